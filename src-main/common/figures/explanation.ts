// One input explained: the image, the model's logits (bars) with the surrogate's (dots), and the
// components λ(vᵀz)² that make up the explained class's logit, each with its heatmap.
import type { Explanation } from '../../engine/analysis/atlas-types';
import { formatNumber, formatSigned } from '../number-format';
import { barChart, barRange } from './bars';
import { headingBlock } from './chart';
import { MUTED, scaledTo, text, type Figure, type Mark, type Provenance } from './figure';
import { colorBar, featureTile, greyImage, shapeOf } from './images';
import { FIGURE_STYLES, figureStyle, type FigureOptions } from './style';
import { textWidth } from './text-metrics';
import { cellFor, className, provenanceFor } from './common';

export interface ExplanationFigureOptions {
  imageShape?: [number, number];
  labels?: string[];
}

/** The `explanation` figure. */
export function explanationFigure(ex: Explanation, o: ExplanationFigureOptions, provenance: Provenance, options: FigureOptions = {}): Figure {
  // laid out at the screen's size, then scaled to the size asked for
  const style = { ...FIGURE_STYLES.screen, title: options.title ?? true };
  const shape = shapeOf(ex.pixels.length, o.imageShape);
  const name = (c: number) => className(c, o.labels?.[c]);
  const title = `why ${name(ex.class)}: the input and its largest components`;
  const pad = 14;
  const tileCell = cellFor(shape, 84);
  const tileW = shape[1] * tileCell;
  const tileH = shape[0] * tileCell;
  const step = tileW + 18;
  const n = ex.components.length;
  const width = Math.max(640, pad + n * step, Math.ceil(textWidth(title, 14, 'bold')) + 2 * pad);
  style.width = width;
  const head = headingBlock(style, title);
  const marks: Mark[] = [...head.marks];

  const top = pad + head.height + 16;
  const inCell = cellFor(shape, 140);
  const inW = shape[1] * inCell;
  const inH = shape[0] * inCell;
  marks.push(text(pad, top - 4, 'input', { fill: '#444444' }));
  marks.push(greyImage(ex.pixels, shape, pad, top, inCell));
  const facts = [`predicted ${ex.predicted}`, ex.label !== null ? `label ${ex.label}` : 'not a test example'];
  facts.forEach((s, i) => marks.push(text(pad, top + inH + 16 + i * 14, s, { size: 10, fill: i === 0 ? '#000000' : MUTED })));

  const box = { x: pad + inW + 70, y: top, w: width - (pad + inW + 70) - 20, h: inH };
  const [lo1, hi1] = barRange(ex.modelLogits);
  const [lo2, hi2] = barRange(ex.surrogateLogits);
  const chart = barChart(ex.modelLogits, box, {
    xLabel: 'class: model logits (bars), surrogate logits (dots)',
    yLabel: 'logit',
    labels: ex.modelLogits.map((_, c) => String(c)),
    highlight: ex.class,
    className: 'logit',
    range: [Math.min(lo1, lo2), Math.max(hi1, hi2)],
  });
  marks.push(...chart.marks);
  ex.surrogateLogits.forEach((v, c) => marks.push({ kind: 'circle', cx: chart.x(c + 1), cy: chart.y(v), r: 2.5, fill: '#222222' }));

  let y = top + inH + 64;
  marks.push(text(pad, y, `components of the ${name(ex.class)} logit, largest |λ(vᵀz)²| first`, { fill: '#444444' }));
  y += 20;
  if (n === 0) marks.push(text(pad, y + 10, 'no components', { fill: MUTED }));
  ex.components.forEach((c, i) => {
    const x = pad + i * step;
    const feature = { class: c.class, rank: c.rank, eigenvalue: c.eigenvalue, sparsity: 0, vector: c.vector, range: c.range };
    marks.push(...featureTile(feature, shape, x, y, tileCell, style, { caption: `#${c.rank}`, below: `vᵀz = ${formatNumber(c.projection)}` }));
    marks.push(text(x + tileW / 2, y + tileH + 39, formatSigned(c.contribution), { anchor: 'middle', weight: 'bold' }));
  });
  y += n === 0 ? 30 : tileH + 56;
  const shown = ex.components.reduce((s, c) => s + c.contribution, 0);
  marks.push(text(pad, y, `surrogate logit ${formatNumber(shown + ex.remainder)} = shown ${formatNumber(shown)} + rest ${formatNumber(ex.remainder)}`, { size: 10, fill: MUTED }));
  const bar = colorBar(pad, y + 14, Math.min(240, width - 2 * pad), style);
  marks.push(...bar.marks);
  const height = Math.ceil(y + 14 + bar.height + pad);
  const fig = { width, height, title, provenance: provenanceFor(provenance, 'explanation', { class: ex.class }), marks };
  return options.size && options.size !== 'screen' ? scaledTo(fig, figureStyle(options).width) : fig;
}
