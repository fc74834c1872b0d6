// The maths of the bars per class (logits, vᵀQ(c′)v) in the feature detail and the explanation,
// free of Svelte and the DOM. Positions are rounded to 2 decimals so the markup stays small. (The
// atlas's own figures are drawn by common/figures, as the export draws them.)
import { extent, scaleBand, scaleLinear } from 'd3';
import { divergingColor } from '../../../../src-main/common/colormap';
import { round, type Scale } from './scales';

export const POSITIVE_COLOR = divergingColor(1);
export const NEGATIVE_COLOR = divergingColor(-1);

/** A y domain that holds 0 and every finite value, made nice; [-1, 1] when there is nothing. */
export function zeroedDomain(values: readonly number[]): [number, number] {
  const [lo, hi] = extent([0, ...values.filter(Number.isFinite)]) as [number, number];
  if (lo === hi) return [-1, 1];
  return scaleLinear().domain([lo, hi]).nice().domain() as [number, number];
}

export interface Bar {
  group: number;
  key: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
}

/** One group of bars per class (one bar per series in it), from the zero line up or down; a
 * series coloured 'sign' is red where positive and blue where negative. */
export function groupedBars(
  groups: number,
  series: readonly { key: string; color: string; values: readonly number[] }[],
  width: number,
  height: number,
): { outer: (i: number) => number; band: number; ys: Scale; zero: number; bars: Bar[] } {
  const outer = scaleBand<number>().domain(Array.from({ length: groups }, (_, i) => i)).range([0, width]).paddingInner(0.2).paddingOuter(0.1);
  const inner = scaleBand<string>().domain(series.map((s) => s.key)).range([0, outer.bandwidth()]).paddingInner(0.1);
  const ys = scaleLinear().domain(zeroedDomain(series.flatMap((s) => s.values))).range([height, 0]);
  const zero = ys(0);
  const bars = series.flatMap((s) =>
    s.values.slice(0, groups).map((value, group) => {
      const y = Number.isFinite(value) ? ys(value) : zero;
      const color = s.color === 'sign' ? (value >= 0 ? POSITIVE_COLOR : NEGATIVE_COLOR) : s.color;
      const x = round((outer(group) ?? 0) + (inner(s.key) ?? 0));
      return { group, key: s.key, value, x, y: round(Math.min(y, zero)), width: round(inner.bandwidth()), height: round(Math.abs(y - zero)), color };
    }),
  );
  return { outer: (i) => round((outer(i) ?? 0) + outer.bandwidth() / 2), band: outer.bandwidth(), ys, zero: round(zero), bars };
}
