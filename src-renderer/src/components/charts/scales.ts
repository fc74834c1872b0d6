// The maths behind the charts, free of Svelte and the DOM: domains, scales, ticks and path
// data over d3-scale and d3-shape. A log y scale draws only positive values; the rest of a
// series is left as gaps, never as NaN in the path.
import { extent, line, scaleLinear, scaleLog, schemeTableau10, type ScaleContinuousNumeric } from 'd3';
import type { MetricPoint } from '../../../../src-main/common/contract';
import { formatNumber, formatTicks } from '../../../../src-main/common/number-format';

/** what the x axis counts: a classifier's epochs or steps, a language model's steps or tokens */
export type XKey = 'epoch' | 'step' | 'tokens';
/** a metric's point, with the tokens trained on by then where the run is a language model */
export type ChartPoint = MetricPoint & { tokens?: number };
export type Scale = ScaleContinuousNumeric<number, number>;

/** One line of a chart: a run's metric, or one metric of a run. */
export interface Series {
  key: string;
  label: string;
  points: readonly ChartPoint[];
  color?: string;
}

export interface Tick {
  value: number;
  pos: number;
  label: string;
}

/** n rounded to `digits` decimals, without -0 */
export const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f + 0;
};

/** Whether a point can be drawn on a y scale that is log or not. */
export const drawable = (v: number | null | undefined, log: boolean): v is number => typeof v === 'number' && Number.isFinite(v) && (!log || v > 0);

export const colorOf = (i: number): string => schemeTableau10[i % schemeTableau10.length];

/** The x extent of every point; [0, 1] when there are none, widened when all are equal. */
export function xDomain(series: readonly Series[], x: XKey): [number, number] {
  const [lo, hi] = extent(series.flatMap((s) => s.points.map((p) => p[x])).filter((v): v is number => Number.isFinite(v)));
  if (lo === undefined || hi === undefined) return [0, 1];
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** The y extent of the drawable values, made nice (padded on a log scale, where only positive values count). */
export function yDomain(series: readonly Series[], log: boolean): [number, number] {
  const values = series.flatMap((s) => s.points.map((p) => p.value)).filter((v) => drawable(v, log));
  const [lo, hi] = extent(values);
  if (lo === undefined || hi === undefined) return log ? [1, 10] : [0, 1];
  if (log) {
    // a twentieth of the span (in decades) as margin, so that no point sits on the frame
    const pad = lo === hi ? 2 : (hi / lo) ** 0.05;
    return [lo / pad, hi * pad];
  }
  const [a, b] = lo === hi ? [lo - Math.abs(lo || 1) / 2, hi + Math.abs(hi || 1) / 2] : [lo, hi];
  return scaleLinear().domain([a, b]).nice().domain() as [number, number];
}

export function xScale(domain: [number, number], range: [number, number]): Scale {
  return scaleLinear().domain(domain).range(range);
}

export function yScale(domain: [number, number], range: [number, number], log: boolean): Scale {
  return log ? scaleLog().domain(domain).range(range) : scaleLinear().domain(domain).range(range);
}

/** About `count` ticks, positioned and labelled; integers only when `integer` (epochs, steps). */
export function ticksOf(scale: Scale, count = 5, integer = false): Tick[] {
  let values = scale.ticks(count);
  if (integer) values = values.filter((v) => Number.isInteger(v));
  const log = (scale as { base?: unknown }).base !== undefined;
  let decades = 0;
  // a log scale over decades ticks every 1..9 of each: label the decades only, or the 1, 2 and 5
  // of each when it spans few (under a decade d3 falls back to linear ticks, kept as they are)
  if (log) {
    const [a, b] = scale.domain();
    decades = Math.log10(b / a);
    const keep = decades > 3 ? [1] : [1, 2, 5];
    if (decades >= 1) values = values.filter((v) => keep.includes(Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9))));
  }
  // one number of decimals along a linear axis; a log axis's 1, 2 and 5 of each decade to one digit
  const labels = log && decades >= 1 ? values.map((v) => formatNumber(v, 1)) : formatTicks(values);
  return values.map((value, i) => ({ value, pos: round(scale(value)), label: labels[i] }));
}

/** SVG path data of one series, coordinates rounded to 2 decimals; null when nothing is drawable. */
export function pathOf(points: readonly ChartPoint[], x: XKey, xs: Scale, ys: Scale, log: boolean): string | null {
  const path = line<ChartPoint>()
    .defined((p) => drawable(p.value, log) && Number.isFinite(p[x]))
    .x((p) => xs(p[x] as number))
    .y((p) => ys(p.value as number))
    .digits(2);
  return points.some((p) => drawable(p.value, log)) ? path(points as ChartPoint[]) : null;
}

/** The drawable points of a series at their positions, for dots and hover labels. */
export function dotsOf(points: readonly ChartPoint[], x: XKey, xs: Scale, ys: Scale, log: boolean): { cx: number; cy: number; p: ChartPoint }[] {
  return points.filter((p) => drawable(p.value, log) && Number.isFinite(p[x])).map((p) => ({ cx: round(xs(p[x] as number)), cy: round(ys(p.value as number)), p }));
}

/** A fraction's points as percentages (0.931 → 93.1), so an accuracy chart reads in % as the header and the tables do. */
export function asPercent(points: readonly MetricPoint[]): MetricPoint[] {
  return points.map((p) => ({ ...p, value: p.value === null ? null : 100 * p.value }));
}

/** A language model's metric with the tokens trained on at each of its steps (from its `tokens` series), so it can be drawn against tokens. */
export function withTokens(points: readonly MetricPoint[], tokens: readonly MetricPoint[]): ChartPoint[] {
  const at = new Map(tokens.map((t) => [t.step, t.value]));
  return points.map((p) => ({ ...p, tokens: at.get(p.step) ?? undefined }));
}
