// The reproduction report's charts, drawn from a study's numbers (engine/analysis/study-types):
// accuracy against training examples on a log axis, a value per gate with its spread over seeds,
// and SQS-vs-bilinear similarity by rank with its spread. A spread is a band (mean ± std) under its
// line, or a whisker through its point; gates keep one colour and marker in every chart.
import type { GateName } from '../../engine/train/config';
import type { Spread, StudyResult } from '../../engine/analysis/study-types';
import { formatTicks } from '../number-format';
import { chartFrame } from './chart';
import { group, line, OKABE_ITO, type Figure, type Mark, type Provenance } from './figure';
import { marker, markerRadius, series, type LegendItem, type MarkerShape } from './legend';
import { figureStyle, type FigureOptions, type FigureStyle } from './style';
import { niceDomain, tickCount, wholeTicks, type Tick } from './ticks';

const GATE_LOOK: Record<GateName, { color: string; marker: MarkerShape; dash?: number[] }> = {
  bilinear: { color: OKABE_ITO[1], marker: 'square' },
  sqs: { color: OKABE_ITO[5], marker: 'circle' },
  swiglu: { color: OKABE_ITO[3], marker: 'triangle', dash: [5, 2] },
  geglu: { color: OKABE_ITO[6], marker: 'diamond', dash: [2, 2] },
  reglu: { color: OKABE_ITO[7], marker: 'square', dash: [6, 2, 1, 2] },
  'relu-mlp': { color: OKABE_ITO[0], marker: 'circle', dash: [1, 2] },
};

export function gateLook(gate: GateName, style: FigureStyle): LegendItem {
  const l = GATE_LOOK[gate] ?? GATE_LOOK['relu-mlp'];
  return { label: gate, color: l.color, marker: l.marker, dash: l.dash?.map((d) => d * style.line.data) };
}

/** A colour mixed with white: the band under a line. */
export function tint(hex: string, amount = 0.78): string {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return '#' + c.map((v) => Math.round(v + (255 - v) * amount).toString(16).padStart(2, '0')).join('');
}

/** mean ± std as a closed band through the points' x. */
function band(xs: readonly number[], s: readonly Spread[], y: (v: number) => number, color: string): Mark {
  const up = xs.map((x, i): [number, number] => [x, y(s[i].mean + s[i].std)]);
  const down = xs.map((x, i): [number, number] => [x, y(s[i].mean - s[i].std)]).reverse();
  return { kind: 'path', points: [...up, ...down], closed: true, fill: tint(color), className: 'spread' };
}

/** Ticks at 1, 2 and 5 × 10ⁿ inside [lo, hi] (log axis), at their log10. */
export function logTicks(lo: number, hi: number): Tick[] {
  const values: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of [1, 2, 5]) if (m * 10 ** e >= lo * 0.999 && m * 10 ** e <= hi * 1.001) values.push(m * 10 ** e);
  // each label on its own (500, 1k, 20k): a shared exponent reads badly across decades
  const label = (v: number) => (v >= 1e6 ? `${Number((v / 1e6).toPrecision(3))}M` : v >= 1e3 ? `${Number((v / 1e3).toPrecision(3))}k` : formatTicks([v])[0]);
  return values.map((v) => ({ at: Math.log10(v), label: label(v) }));
}

/** The nearest of 1, 2, 5 × 10ⁿ below (down) or above (up) v. */
export function logStep(v: number, dir: 'down' | 'up'): number {
  const e = Math.floor(Math.log10(v));
  const steps = [1, 2, 5, 10].map((m) => m * 10 ** e);
  return dir === 'down' ? steps.filter((s) => s <= v * 1.000001).at(-1)! : steps.find((s) => s >= v * 0.999999)!;
}

/** Test accuracy against training examples (log axis), one line per gate, mean ± std over seeds as a band. */
export function efficiencyFigure(r: StudyResult, provenance: Provenance, options: FigureOptions = {}): Figure {
  const style = figureStyle(options);
  const curves = r.efficiency.filter((e) => e.points.length > 0);
  const xs = curves.flatMap((c) => c.points.map((p) => p.examples));
  const ys = curves.flatMap((c) => c.points.flatMap((p) => [p.accuracy.mean - p.accuracy.std, p.accuracy.mean + p.accuracy.std].map((v) => 100 * v)));
  // from the 1-2-5 step at or below the fewest examples to the one at or above the most
  const lo = logStep(Math.min(...xs), 'down');
  const hi = Math.max(logStep(Math.max(...xs), 'up'), lo * 10);
  const y = niceDomain(Math.min(...ys), Math.max(...ys), 5);
  const items = curves.map((c) => gateLook(c.gate, style));
  const title = 'Test accuracy against training examples';
  const frame = chartFrame({
    style,
    title,
    note: 'nested subsets of the training set, the same for every gate and seed; full test set; mean ± std over seeds',
    legend: items,
    x: { domain: [Math.log10(lo), Math.log10(hi)], ticks: logTicks(lo, hi), label: 'training examples (log scale)' },
    y: { domain: y.domain, ticks: y.ticks, label: 'test accuracy (%)' },
    inset: { x: markerRadius(style) + 2, y: 0 },
  });
  const scale = (s: Spread): Spread => ({ mean: 100 * s.mean, std: 100 * s.std, n: s.n });
  const marks: Mark[] = [...frame.head];
  curves.forEach((c, i) => {
    const px = c.points.map((p) => frame.x(Math.log10(p.examples)));
    marks.push(group([band(px, c.points.map((p) => scale(p.accuracy)), frame.y, items[i].color)], { className: `band ${c.gate}` }));
  });
  curves.forEach((c, i) => marks.push(series(c.points.map((p) => [frame.x(Math.log10(p.examples)), frame.y(100 * p.accuracy.mean)]), items[i], style, c.gate)));
  marks.push(...frame.axes);
  return { width: frame.width, height: frame.height, title, provenance: { ...provenance, figure: 'data-efficiency' }, marks };
}

export interface GateSeries {
  label: string;
  values: { gate: GateName; spread: Spread }[];
  color: string;
  marker: MarkerShape;
}

/** One value per gate (a point with a whisker of ± std over seeds), one or more series side by side. */
export function gateValuesFigure(title: string, note: string, yLabel: string, gates: readonly GateName[], all: readonly GateSeries[], provenance: Provenance, figure: string, options: FigureOptions & { range?: [number, number] } = {}): Figure {
  const style = figureStyle(options);
  const values = all.flatMap((s) => s.values.flatMap((v) => [v.spread.mean - v.spread.std, v.spread.mean + v.spread.std]));
  const [lo, hi] = options.range ?? [Math.min(...values), Math.max(...values)];
  const y = niceDomain(lo, hi, 5);
  const ticks: Tick[] = gates.map((g, i) => ({ at: i + 1, label: g }));
  const items: LegendItem[] = all.map((s) => ({ label: s.label, color: s.color, marker: s.marker }));
  const frame = chartFrame({ style, title, note, legend: all.length > 1 ? items : undefined, x: { domain: [0.5, gates.length + 0.5], ticks, label: 'gate' }, y: { domain: y.domain, ticks: y.ticks, label: yLabel } });
  const r = markerRadius(style);
  const step = all.length > 1 ? Math.min(18, frame.box.w / gates.length / (all.length + 1)) : 0;
  const marks: Mark[] = [...frame.head];
  all.forEach((s, j) => {
    const dx = (j - (all.length - 1) / 2) * step;
    for (const v of s.values) {
      const i = gates.indexOf(v.gate);
      if (i < 0 || !Number.isFinite(v.spread.mean)) continue;
      const cx = frame.x(i + 1) + dx;
      const parts: Mark[] = [];
      if (v.spread.std > 0) {
        const [y1, y2] = [frame.y(v.spread.mean - v.spread.std), frame.y(v.spread.mean + v.spread.std)];
        parts.push(line(cx, y1, cx, y2, s.color, { width: style.line.data }), line(cx - r, y1, cx + r, y1, s.color, { width: style.line.data }), line(cx - r, y2, cx + r, y2, s.color, { width: style.line.data }));
      }
      parts.push(marker(s.marker, cx, frame.y(v.spread.mean), r * 1.2, s.color)!);
      marks.push(group(parts, { className: 'value', data: { gate: v.gate, series: s.label, mean: v.spread.mean, std: v.spread.std, n: v.spread.n } }));
    }
  });
  marks.push(...frame.axes);
  return { width: frame.width, height: frame.height, title, provenance: { ...provenance, figure }, marks };
}

/** SQS-vs-bilinear |cos| by rank (by assignment and by rank), mean over classes, band: ± std over seed pairs. */
export function similaritySpreadFigure(sim: NonNullable<StudyResult['similarity']>, provenance: Provenance, options: FigureOptions = {}): Figure {
  const style = figureStyle(options);
  const n = Math.max(2, sim.by_rank.length);
  const items: (LegendItem & { values: Spread[]; key: string })[] = [
    { label: 'matched by assignment', color: OKABE_ITO[5], marker: 'circle', values: sim.by_assignment, key: 'by-assignment' },
    { label: 'matched by rank', color: OKABE_ITO[1], marker: 'square', dash: [4 * style.line.data, 2 * style.line.data], values: sim.by_rank, key: 'by-rank' },
  ];
  const y = niceDomain(0, 1, 5);
  const title = 'SQS vs bilinear: |cos| of matched eigenvectors';
  const frame = chartFrame({
    style,
    title,
    note: `same-seed pairs (${sim.pairs.map((p) => `runs ${p.bilinear}/${p.sqs}`).join(', ')}), mean over classes; band: ± std over seeds`,
    legend: items,
    x: { domain: [1, n], ticks: wholeTicks(1, n, tickCount(style.width - 80, n, style.font.tick)), label: 'rank in the bilinear run (by |λ|)' },
    y: { domain: y.domain, ticks: y.ticks, label: 'mean |cos|' },
    inset: { x: markerRadius(style) + 2, y: markerRadius(style) + 1 },
  });
  const clamp = (s: Spread): Spread => ({ ...s, mean: Math.max(0, Math.min(1, s.mean)) });
  const marks: Mark[] = [...frame.head];
  for (const s of items) marks.push(group([band(s.values.map((_, i) => frame.x(i + 1)), s.values.map(clamp), (v) => frame.y(Math.max(0, Math.min(1, v))), s.color)], { className: `band ${s.key}` }));
  for (const s of items) marks.push(series(s.values.map((v, i) => [frame.x(i + 1), frame.y(clamp(v).mean)]), s, style, s.key));
  marks.push(...frame.axes);
  return { width: frame.width, height: frame.height, title, provenance: { ...provenance, figure: 'sqs-vs-bilinear' }, marks };
}
