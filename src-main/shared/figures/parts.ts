// The pieces figures are built from: cell images (a diverging heatmap for eigenvectors, greyscale
// for inputs), the colour bar, chart axes with round ticks, and bars. Each returns plain marks.
import { divergingColor } from '../colormap';
import type { AtlasFeature } from '../../engine/analysis/atlas-types';
import { FRAME, formatValue, group, line, MUTED, rect, text, type GroupMark, type Mark } from './figure';

/** One image as rows of rects, horizontal runs of one colour merged; cells are `cell` px wide. */
export function cellImage(values: ArrayLike<number>, shape: [number, number], x: number, y: number, cell: number, color: (v: number) => string): GroupMark {
  const [rows, cols] = shape;
  if (values.length !== rows * cols) throw new Error(`cellImage: ${values.length} values do not make a ${rows}×${cols} image`);
  const marks: Mark[] = [];
  for (let r = 0; r < rows; r++) {
    let c = 0;
    while (c < cols) {
      const fill = color(values[r * cols + c]);
      let end = c + 1;
      while (end < cols && color(values[r * cols + end]) === fill) end++;
      marks.push(rect(c, r, end - c, 1, fill));
      c = end;
    }
  }
  marks.push(rect(0, 0, cols, rows, null, { stroke: FRAME, strokeWidth: 1.25 / cell }));
  return group(marks, { translate: [x, y], scale: cell, crisp: true });
}

/** An eigenvector on the diverging map centred at 0, on its own symmetric range ±range. */
export function heatmap(vector: ArrayLike<number>, range: number, shape: [number, number], x: number, y: number, cell: number): GroupMark {
  let r = Number.isFinite(range) && range > 0 ? range : 0;
  if (r === 0) for (let i = 0; i < vector.length; i++) r = Math.max(r, Math.abs(vector[i]));
  return cellImage(vector, shape, x, y, cell, (v) => divergingColor(r > 0 ? v / r : 0));
}

/** Greyscale 0..1: 0 white, 1 black. */
export function greyColor(p: number): string {
  const v = Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : 0;
  const g = Math.round(255 * (1 - v))
    .toString(16)
    .padStart(2, '0');
  return `#${g}${g}${g}`;
}

export function greyImage(pixels: ArrayLike<number>, shape: [number, number], x: number, y: number, cell: number): GroupMark {
  return cellImage(pixels, shape, x, y, cell, greyColor);
}

/** The image shape of a run's inputs: the atlas's, else the square that fits `n` values. */
export function shapeOf(n: number, given?: [number, number]): [number, number] {
  if (given && given[0] * given[1] === n) return given;
  const side = Math.round(Math.sqrt(n));
  if (side * side !== n) throw new Error(`inputs of ${n} values are not square images; only image runs can be drawn`);
  return [side, side];
}

/**
 * One eigenvector as a tile: a caption above, the heatmap in a group that names its rank, λ and
 * range, and λ (and a second line) below.
 */
export function featureTile(f: AtlasFeature, shape: [number, number], x: number, y: number, cell: number, caption: string, below?: string): Mark[] {
  const [rows, cols] = shape;
  const w = cols * cell;
  const h = rows * cell;
  const map = heatmap(f.vector, f.range, shape, x, y, cell);
  const marks: Mark[] = [
    ...(caption ? [text(x, y - 3, caption, { fill: '#444444' })] : []),
    group([map], { className: 'eigenvector', data: { rank: f.rank, eigenvalue: f.eigenvalue, range: f.range } }),
    text(x + w / 2, y + h + 13, `λ = ${formatValue(f.eigenvalue)}`, { anchor: 'middle' }),
  ];
  if (below) marks.push(text(x + w / 2, y + h + 26, below, { anchor: 'middle', fill: MUTED, size: 9 }));
  return marks;
}

/** The diverging map from −1 to +1 as 64 steps, with three labels under it. */
export function colorBar(x: number, y: number, width: number, height: number, labels: [string, string, string]): Mark[] {
  const steps = 64;
  const cells: Mark[] = [];
  for (let i = 0; i < steps; i++) {
    const t = -1 + (2 * (i + 0.5)) / steps;
    cells.push(rect(x + (i * width) / steps, y, width / steps + 0.01, height, divergingColor(t)));
  }
  cells.push(rect(x, y, width, height, null, { stroke: FRAME }));
  return [
    group(cells, { crisp: true }),
    text(x, y + height + 12, labels[0]),
    text(x + width / 2, y + height + 12, labels[1], { anchor: 'middle' }),
    text(x + width, y + height + 12, labels[2], { anchor: 'end' }),
  ];
}

export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** A round tick value as short text: 0.2 not 0.200, 5 not 5.00. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e6) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}

/** Round ticks that are whole numbers (ranks, counts). */
export function integerTicks(lo: number, hi: number): { at: number; label: string }[] {
  const ticks = niceTicks(lo, hi).filter((t) => Number.isInteger(t));
  return ticks.map((t) => ({ at: t, label: String(t) }));
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Axes {
  x: (v: number) => number;
  y: (v: number) => number;
  marks: Mark[];
}

export interface AxesOptions {
  xLabel: string;
  yLabel: string;
  /** label the x axis at these positions instead of round ticks */
  xTicks?: { at: number; label: string }[];
  yTickFormat?: (v: number) => string;
}

/** Linear axes in `box` for the ranges xr and yr: the two axis lines, ticks, tick labels, titles. */
export function axes(box: Box, xr: [number, number], yr: [number, number], o: AxesOptions): Axes {
  const x = (v: number) => box.x + ((v - xr[0]) / (xr[1] - xr[0] || 1)) * box.w;
  const y = (v: number) => box.y + box.h - ((v - yr[0]) / (yr[1] - yr[0] || 1)) * box.h;
  const ink = '#333333';
  const bottom = box.y + box.h;
  const marks: Mark[] = [group([line(box.x, bottom, box.x + box.w, bottom, ink), line(box.x, box.y, box.x, bottom, ink)], { className: 'axes' })];
  const xTicks = o.xTicks ?? niceTicks(xr[0], xr[1]).map((t) => ({ at: t, label: tickLabel(t) }));
  for (const t of xTicks) {
    marks.push(line(x(t.at), bottom, x(t.at), bottom + 4, ink));
    marks.push(text(x(t.at), bottom + 15, t.label, { anchor: 'middle' }));
  }
  const yFormat = o.yTickFormat ?? tickLabel;
  for (const t of niceTicks(yr[0], yr[1])) {
    marks.push(line(box.x - 4, y(t), box.x, y(t), ink));
    marks.push(text(box.x - 6, y(t) + 4, yFormat(t), { anchor: 'end' }));
  }
  marks.push(text(box.x + box.w / 2, bottom + 32, o.xLabel, { anchor: 'middle' }));
  marks.push(text(box.x - 50, box.y + box.h / 2, o.yLabel, { anchor: 'middle', rotate: -90 }));
  return { x, y, marks };
}

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
  /** the y range; default: the values' range with 0 */
  range?: [number, number];
}

/** Bars from 0 for values at x = 1…n (positive red, negative blue), with a dashed line at 0. */
export function barChart(values: readonly number[], box: Box, o: BarChartOptions): Axes {
  const n = values.length;
  const a = axes(box, [0.5, n + 0.5], o.range ?? barRange(values), {
    xLabel: o.xLabel,
    yLabel: o.yLabel,
    xTicks: o.labels && n <= 30 ? values.map((_, i) => ({ at: i + 1, label: o.labels![i] ?? String(i) })) : integerTicks(1, n),
  });
  const bw = Math.max(1, (box.w / Math.max(n, 1)) * 0.7);
  const marks: Mark[] = [...a.marks, line(box.x, a.y(0), box.x + box.w, a.y(0), '#999999', { dash: [3, 3] })];
  values.forEach((v, i) => {
    const y0 = a.y(0);
    const y1 = a.y(Number.isFinite(v) ? v : 0);
    const lit = i === o.highlight;
    marks.push(
      rect(a.x(i + 1) - bw / 2, Math.min(y0, y1), bw, Math.abs(y1 - y0), divergingColor(v >= 0 ? 0.85 : -0.85), {
        className: o.className ?? (v >= 0 ? 'positive' : 'negative'),
        ...(lit ? { stroke: '#000000', strokeWidth: 1.5 } : {}),
      }),
    );
  });
  return { x: a.x, y: a.y, marks };
}
