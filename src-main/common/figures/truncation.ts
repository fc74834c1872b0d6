// The truncation curve: test accuracy of the quadratic surrogate keeping the top k components per
// class, on a y range fitted to the values (not 0–1), with the model's own accuracy as a labelled
// reference line; a class's curve, when asked for, is the recall on that class's test examples.
import type { Atlas } from '../../engine/analysis/atlas-types';
import { formatPercent } from '../number-format';
import { chartFrame } from './chart';
import { className, findClass, provenanceFor, surrogateKind } from './common';
import { group, line, MUTED, OKABE_ITO, text, type Figure, type Mark, type Provenance } from './figure';
import { markerRadius, series, type LegendItem, type MarkerShape } from './legend';
import { figureStyle, PX_PER_PT, type FigureOptions, type FigureStyle } from './style';
import { textWidth } from './text-metrics';
import { niceDomain, tickCount, wholeTicks } from './ticks';

export interface TruncationCurve {
  label: string;
  points: readonly { k: number; accuracy: number }[];
  /** a name for readers of the SVG: 'all', 'class' */
  key: string;
}

export interface TruncationChartInput {
  curves: readonly TruncationCurve[];
  title: string;
  provenance: Provenance;
  /** horizontal reference lines (the model's own accuracy) */
  references?: { label: string; accuracy: number }[];
  /** a line under the title */
  note?: string;
  style?: FigureStyle;
}

/** Each curve's colour, marker and dash, in order: black circles solid, vermillion squares dashed, … */
const LOOKS: { color: string; marker: MarkerShape; dash?: number[] }[] = [
  { color: OKABE_ITO[0], marker: 'circle' },
  { color: OKABE_ITO[6], marker: 'square', dash: [4, 2] },
  { color: OKABE_ITO[5], marker: 'triangle', dash: [1.5, 1.5] },
  { color: OKABE_ITO[1], marker: 'diamond', dash: [6, 2, 1.5, 2] },
];
const REFERENCE = '#666666';

export function truncationChart(o: TruncationChartInput): Figure {
  const style = o.style ?? figureStyle();
  const refs = o.references ?? [];
  const scaleDash = (d?: number[]) => d?.map((x) => x * style.line.data);
  const items: LegendItem[] = o.curves.map((c, i) => ({ label: c.label, ...LOOKS[i % LOOKS.length], dash: scaleDash(LOOKS[i % LOOKS.length].dash) }));
  const refDash = [3 * PX_PER_PT, 2 * PX_PER_PT];
  const legendItems: LegendItem[] = [...items, ...refs.map((r) => ({ label: `${r.label} (${formatPercent(r.accuracy, 1)})`, color: REFERENCE, marker: 'none' as const, dash: refDash, width: style.line.thin }))];
  const ks = o.curves.flatMap((c) => c.points.map((p) => p.k)).filter(Number.isFinite);
  const kLo = ks.length > 0 ? Math.min(...ks) : 0;
  const kHi = ks.length > 0 ? Math.max(...ks) : 1;
  const values = [...o.curves.flatMap((c) => c.points.map((p) => 100 * p.accuracy)), ...refs.map((r) => 100 * r.accuracy)].filter(Number.isFinite);
  const y = niceDomain(values.length > 0 ? Math.min(...values) : 0, values.length > 0 ? Math.max(...values) : 100, 5);
  const refLabelWidth = refs.length > 0 ? Math.max(...refs.map((r) => textWidth(r.label, style.font.tick))) + 4 : 0;
  const frame = chartFrame({
    style,
    title: o.title,
    note: o.note,
    legend: legendItems.length > 1 ? legendItems : undefined,
    x: { domain: [kLo, Math.max(kHi, kLo + 1)], ticks: wholeTicks(kLo, Math.max(kHi, kLo + 1), tickCount(style.width - 80, kHi, style.font.tick)), label: 'components kept per class (k)' },
    y: { domain: y.domain, ticks: y.ticks, label: 'test accuracy (%)' },
    right: refLabelWidth,
    inset: { x: markerRadius(style) + 2, y: markerRadius(style) + 1 },
  });
  const { box } = frame;
  const curves: Mark[] = o.curves.map((c, i) => series(c.points.map((p) => [frame.x(p.k), frame.y(100 * p.accuracy)]), items[i], style, c.key));
  // the reference lines go over the curves, dashed, so that one the curves run along stays visible
  const references: Mark[] = refs.map((r) => {
    const ry = frame.y(100 * r.accuracy);
    return group(
      [line(box.x, ry, box.x + box.w, ry, REFERENCE, { width: style.line.thin, dash: refDash }), text(box.x + box.w + 3, ry + style.font.tick * 0.35, r.label, { size: style.font.tick, fill: MUTED })],
      { className: 'reference', data: { label: r.label, accuracy: r.accuracy } },
    );
  });
  return { width: frame.width, height: frame.height, title: o.title, provenance: o.provenance, marks: [...frame.head, ...curves, ...references, ...frame.axes] };
}

/** The `truncation` figure: { class? }; with a class, its recall curve beside the accuracy over all classes. */
export function truncationFigure(atlas: Atlas, spec: { class?: number }, provenance: Provenance, options: FigureOptions = {}): Figure {
  const curves: TruncationCurve[] = [{ key: 'all', label: 'all classes', points: atlas.truncation }];
  if (spec.class !== undefined) {
    const k = findClass(atlas, spec.class);
    curves.push({ key: 'class', label: `${className(spec.class, k.label).replace('class ', 'class-')} recall`, points: k.truncation });
  }
  return truncationChart({
    curves,
    title: 'surrogate accuracy keeping the top k components per class',
    provenance: provenanceFor(provenance, 'truncation', spec.class !== undefined ? { class: spec.class } : {}),
    references: [{ label: 'model', accuracy: atlas.modelAccuracy }],
    note: `${surrogateKind(atlas.exact)} surrogate; test set`,
    style: figureStyle(options),
  });
}
