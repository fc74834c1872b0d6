// A bar chart over classes (logits, vᵀQ(c′)v): a bar from 0 per value at x = 1…n, positive red and
// negative blue, on a y range of round steps that holds 0, axes drawn over the bars' ends.
import { divergingColor } from '../colormap';
import { plotAxes, type Box } from './chart';
import { line, rect, type Mark } from './figure';
import { FIGURE_STYLES, type FigureStyle } from './style';
import { niceDomain, wholeTicks } from './ticks';

export type { Box };

/** The value range of a bar chart: always includes 0, never empty. */
export function barRange(values: readonly number[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const v of values) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  if (lo === hi) hi = lo + 1;
  return [lo, hi];
}

export interface BarChartOptions {
  xLabel: string;
  yLabel: string;
  /** names of the bars, shown under each when there are at most 30 */
  labels?: string[];
  /** outline this bar (0-based) */
  highlight?: number;
  className?: string;
  /** the y range to hold; default: the values' range with 0 */
  range?: [number, number];
  style?: FigureStyle;
}

export interface BarChart {
  x: (v: number) => number;
  y: (v: number) => number;
  marks: Mark[];
}

/** Bars in `box` for values at x = 1…n, with a thin line at 0. */
export function barChart(values: readonly number[], box: Box, o: BarChartOptions): BarChart {
  const style = o.style ?? FIGURE_STYLES.screen;
  const n = values.length;
  const [lo, hi] = o.range ?? barRange(values);
  const y = niceDomain(lo, hi, 5);
  const xTicks = o.labels && n <= 30 ? values.map((_, i) => ({ at: i + 1, label: o.labels![i] ?? String(i) })) : wholeTicks(1, Math.max(1, n));
  const a = plotAxes(box, { domain: [0.5, n + 0.5], ticks: xTicks, label: o.xLabel }, { domain: y.domain, ticks: y.ticks, label: o.yLabel }, style, { x: style.line.axis + 1, y: style.line.axis });
  const bw = Math.max(style.line.thin, (box.w / Math.max(n, 1)) * 0.7);
  const marks: Mark[] = [line(box.x, a.y(0), box.x + box.w, a.y(0), '#777777', { width: style.line.thin })];
  values.forEach((v, i) => {
    const y0 = a.y(0);
    const y1 = a.y(Number.isFinite(v) ? v : 0);
    const lit = i === o.highlight;
    marks.push(
      rect(a.x(i + 1) - bw / 2, Math.min(y0, y1), bw, Math.abs(y1 - y0), divergingColor(v >= 0 ? 0.85 : -0.85), {
        className: o.className ?? (v >= 0 ? 'positive' : 'negative'),
        ...(lit ? { stroke: '#000000', strokeWidth: style.line.data } : {}),
      }),
    );
  });
  return { x: a.x, y: a.y, marks: [...marks, ...a.marks] };
}
