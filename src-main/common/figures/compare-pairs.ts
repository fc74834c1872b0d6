// Two runs side by side for one class: run A's eigenvectors in the top row, their matches from
// run B under them (sign aligned), and |cos| under each pair; as many pairs per row as fit.
import type { AtlasComparison } from '../../engine/analysis/atlas-types';
import { formatFixed } from '../number-format';
import { headingBlock } from './chart';
import { className, provenanceFor } from './common';
import { ExportError } from './errors';
import { MUTED, text, type Figure, type Mark, type Provenance } from './figure';
import { colorBar, featureTile, shapeOf, tileMargins } from './images';
import { figureStyle, type FigureOptions } from './style';
import { wrapText } from './text-metrics';

function runName(r: AtlasComparison['a']): string {
  return `run ${r.runId}${r.name ? ` ${r.name}` : ''} (${r.gate})`;
}

/** The `compare-pairs` figure: { class, count }. */
export function comparePairsFigure(cmp: AtlasComparison, spec: { class: number; count: number }, provenance: Provenance, options: FigureOptions = {}): Figure {
  const style = figureStyle(options);
  const { pad, font } = style;
  const k = cmp.classes.find((c) => c.class === spec.class);
  if (!k) throw new ExportError(`unknown class ${spec.class}: the comparison has classes ${cmp.classes.map((c) => c.class).join(', ')}`);
  const matches = k.matches.slice(0, spec.count);
  const title = `${className(k.class, k.label)}: eigenvectors of A and their matches in B`;
  const width = style.width;
  const inner = width - 2 * pad;
  const heading = headingBlock(style, title);
  const marks: Mark[] = [...heading.marks];
  let y = pad + heading.height;
  for (const s of [`A (upper): ${runName(cmp.a)}`, `B (lower): ${runName(cmp.b)}`].flatMap((s) => wrapText(s, inner, font.note))) {
    marks.push(text(pad, y + font.note, s, { size: font.note, fill: MUTED }));
    y += font.note * 1.3;
  }
  y += font.note * 0.5;
  const n = matches.length;
  if (n === 0) {
    marks.push(text(pad, y + font.label, 'no matched eigenvectors', { size: font.label, fill: MUTED }));
    return { width, height: Math.ceil(y + font.label * 1.6 + pad), title, provenance: provenanceFor(provenance, 'compare-pairs', { class: k.class, b: cmp.b.runId }), marks };
  }
  const shape = shapeOf(matches[0].a.vector.length, cmp.imageShape);
  const gap = Math.max(8, font.label);
  const most = Math.max(1, Math.min(n, Math.floor((inner + gap) / (style.image * 0.9 + gap))));
  const perRow = Math.ceil(n / Math.ceil(n / most)); // rows as even as they can be: 4 + 4, not 7 + 1
  const imgW = Math.min(style.image * 1.3, (inner + gap) / perRow - gap);
  const cell = imgW / shape[1];
  const imgH = shape[0] * cell;
  const m = tileMargins(style, { caption: 'x' });
  const pairH = 2 * (m.above + imgH + m.below) + font.label * 1.4 + gap;
  matches.forEach((p, i) => {
    const x = pad + (i % perRow) * (imgW + gap);
    const top = y + Math.floor(i / perRow) * pairH;
    marks.push(...featureTile(p.a, shape, x, top + m.above, cell, style, { caption: `A #${p.rankA}` }));
    const below = top + m.above + imgH + m.below;
    marks.push(...featureTile(p.b, shape, x, below + m.above, cell, style, { caption: `B #${p.rankB}` }));
    marks.push(text(x + imgW / 2, below + m.above + imgH + m.below + font.label * 0.9, `|cos| = ${formatFixed(p.similarity, 2)}`, { anchor: 'middle', size: font.label, weight: 'bold' }));
  });
  y += Math.ceil(n / perRow) * pairH;
  const bar = colorBar(pad, y, Math.min(inner, 18 * font.tick), style, inner);
  marks.push(...bar.marks);
  return { width, height: Math.ceil(y + bar.height + pad), title, provenance: provenanceFor(provenance, 'compare-pairs', { class: k.class, b: cmp.b.runId }), marks };
}
