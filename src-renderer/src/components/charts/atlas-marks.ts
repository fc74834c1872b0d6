// The maths of the atlas charts, free of Svelte and the DOM: a spectrum as stems by rank, curves
// over an integer x (truncation, similarity by rank), and bars per class (logits). Positions are
// rounded to 2 decimals so the markup stays small and snapshots stable.
import { extent, line, scaleBand, scaleLinear } from 'd3';
import { divergingColor } from '../../../../src-main/shared/colormap';
import { round, type Scale } from './scales';

export const POSITIVE_COLOR = divergingColor(1);
export const NEGATIVE_COLOR = divergingColor(-1);

export interface Stem {
  rank: number;
  value: number;
  x: number;
  y: number;
  color: string;
}

/** A y domain that holds 0 and every finite value, made nice; [-1, 1] when there is nothing. */
export function zeroedDomain(values: readonly number[]): [number, number] {
  const [lo, hi] = extent([0, ...values.filter(Number.isFinite)]) as [number, number];
  if (lo === hi) return [-1, 1];
  return scaleLinear().domain([lo, hi]).nice().domain() as [number, number];
}

/** λ by rank (1-based) as stems from the zero line: positive red, negative blue. */
export function spectrumStems(eigenvalues: readonly number[], width: number, height: number): { xs: Scale; ys: Scale; zero: number; stems: Stem[] } {
  const xs = scaleLinear().domain([0.5, Math.max(1, eigenvalues.length) + 0.5]).range([0, width]);
  const ys = scaleLinear().domain(zeroedDomain(eigenvalues)).range([height, 0]);
  const stems = eigenvalues.map((value, i) => ({ rank: i + 1, value, x: round(xs(i + 1)), y: round(ys(value)), color: value >= 0 ? POSITIVE_COLOR : NEGATIVE_COLOR }));
  return { xs, ys, zero: round(ys(0)), stems };
}

export interface XY {
  x: number;
  y: number;
}

export interface Curve {
  key: string;
  label: string;
  color: string;
  points: readonly XY[];
  dashed?: boolean;
}

export function curveXDomain(curves: readonly Curve[]): [number, number] {
  const [lo, hi] = extent(curves.flatMap((c) => c.points.map((p) => p.x)).filter(Number.isFinite));
  if (lo === undefined || hi === undefined) return [0, 1];
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** SVG path data of a curve, finite points only; null when fewer than one. */
export function curvePath(points: readonly XY[], xs: Scale, ys: Scale): string | null {
  const ok = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (ok.length === 0) return null;
  return line<XY>()
    .x((p) => xs(p.x))
    .y((p) => ys(p.y))
    .digits(2)(ok);
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
