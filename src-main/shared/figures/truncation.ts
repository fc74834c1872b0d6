// The truncation curve: test accuracy of the quadratic surrogate keeping k components per class.
import { divergingColor } from '../colormap';
import type { Atlas } from '../../engine/analysis/atlas-types';
import { heading, line, MUTED, text, textWidth, type Figure, type Mark, type Provenance } from './figure';
import { provenanceFor, surrogateKind } from './common';
import { axes, integerTicks } from './parts';

export interface TruncationChartInput {
  points: readonly { k: number; accuracy: number }[];
  title: string;
  provenance: Provenance;
  /** horizontal reference lines (e.g. the model's own accuracy) */
  references?: { label: string; accuracy: number }[];
  /** a line under the title */
  note?: string;
}

export function truncationChart(o: TruncationChartInput): Figure {
  const width = Math.max(480, Math.ceil(textWidth(o.title, 14, 'bold')) + 28);
  const height = 312;
  const box = { x: 64, y: 46, w: width - 84, h: height - 96 };
  const maxK = Math.max(1, ...o.points.map((p) => p.k));
  const a = axes(box, [0, maxK], [0, 1], { xLabel: 'components kept per class (k)', yLabel: 'test accuracy', xTicks: integerTicks(0, maxK) });
  const marks: Mark[] = [heading(o.title), ...a.marks];
  if (o.note) marks.push(text(box.x + box.w, 36, o.note, { anchor: 'end', fill: MUTED, size: 10 }));
  for (const r of o.references ?? []) {
    marks.push(line(box.x, a.y(r.accuracy), box.x + box.w, a.y(r.accuracy), '#999999', { dash: [4, 3] }));
    marks.push(text(box.x + box.w - 4, a.y(r.accuracy) - 4, `${r.label} ${(100 * r.accuracy).toFixed(1)}%`, { anchor: 'end', fill: MUTED, size: 9 }));
  }
  const red = divergingColor(0.9);
  if (o.points.length > 0) {
    marks.push({ kind: 'path', className: 'truncation', points: o.points.map((p) => [a.x(p.k), a.y(p.accuracy)]), stroke: red, width: 1.5 });
    for (const p of o.points) marks.push({ kind: 'circle', cx: a.x(p.k), cy: a.y(p.accuracy), r: 2, fill: red });
  }
  return { width, height, title: o.title, provenance: o.provenance, marks };
}

/** The `truncation` figure. */
export function truncationFigure(atlas: Atlas, provenance: Provenance): Figure {
  return truncationChart({
    points: atlas.truncation,
    title: 'surrogate accuracy keeping k components per class',
    provenance: provenanceFor(provenance, 'truncation'),
    references: [{ label: 'model', accuracy: atlas.modelAccuracy }],
    note: `${surrogateKind(atlas.exact)} surrogate`,
  });
}
