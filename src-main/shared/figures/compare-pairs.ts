// Two runs side by side for one class: run A's eigenvectors in the top row, their matches from
// run B under them (sign aligned), and |cos| under each pair.
import type { AtlasComparison } from '../../engine/analysis/atlas-types';
import { ExportError } from './errors';
import { heading, MUTED, text, textWidth, type Figure, type Mark, type Provenance } from './figure';
import { cellFor, className, provenanceFor } from './common';
import { colorBar, featureTile, shapeOf } from './parts';

function runName(r: AtlasComparison['a']): string {
  return `run ${r.runId}${r.name ? ` ${r.name}` : ''} (${r.gate})`;
}

/** The `compare-pairs` figure: { class, count }. */
export function comparePairsFigure(cmp: AtlasComparison, spec: { class: number; count: number }, provenance: Provenance): Figure {
  const k = cmp.classes.find((c) => c.class === spec.class);
  if (!k) throw new ExportError(`unknown class ${spec.class}: the comparison has classes ${cmp.classes.map((c) => c.class).join(', ')}`);
  const matches = k.matches.slice(0, spec.count);
  const title = `${className(k.class, k.label)}: eigenvectors of A and their matches in B`;
  const pad = 14;
  const n = matches.length;
  const shape = n > 0 ? shapeOf(matches[0].a.vector.length, cmp.imageShape) : cmp.imageShape;
  const cell = cellFor(shape, 84);
  const w = shape[1] * cell;
  const h = shape[0] * cell;
  const step = w + 20;
  const lines = [`A (top): ${runName(cmp.a)}`, `B (below): ${runName(cmp.b)}`];
  const width = Math.max(480, pad + n * step, Math.ceil(textWidth(title, 14, 'bold')) + 2 * pad, ...lines.map((s) => Math.ceil(textWidth(s, 10)) + 2 * pad));
  const marks: Mark[] = [heading(title, pad), ...lines.map((s, i) => text(pad, 38 + i * 13, s, { size: 10, fill: MUTED }))];
  const rowA = 78;
  const rowB = rowA + h + 46;
  if (n === 0) marks.push(text(pad, rowA + 10, 'no matched eigenvectors', { fill: MUTED }));
  matches.forEach((m, i) => {
    const x = pad + i * step;
    marks.push(...featureTile(m.a, shape, x, rowA, cell, `A #${m.rankA}`));
    marks.push(...featureTile(m.b, shape, x, rowB, cell, `B #${m.rankB}`));
    marks.push(text(x + w / 2, rowB + h + 30, `|cos| = ${m.similarity.toFixed(2)}`, { anchor: 'middle', weight: 'bold' }));
  });
  const barY = rowB + h + 48;
  marks.push(...colorBar(pad, barY, Math.min(240, width - 2 * pad), 10, ['−max |v|', '0', '+max |v|']));
  return { width, height: barY + 34, title, provenance: provenanceFor(provenance, 'compare-pairs', { class: k.class, b: cmp.b.runId }), marks };
}
