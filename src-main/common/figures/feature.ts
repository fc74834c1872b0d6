// One feature in detail: its heatmap large with λ, rank and sparsity and what its colours mean;
// the test examples it contributes most and least to, each with λ(vᵀz)² and vᵀz; and the logit it
// gives every class.
import type { FeatureDetail, RankedExample } from '../../engine/analysis/atlas-types';
import { exampleRowTitles, gaugeLegend } from '../atlas-captions';
import { formatNumber } from '../number-format';
import { barChart } from './bars';
import { headingBlock } from './chart';
import { MUTED, scaledTo, text, type Figure, type Mark, type Provenance } from './figure';
import { colorBar, featureTile, greyImage, shapeOf } from './images';
import { FIGURE_STYLES, figureStyle, type FigureOptions } from './style';
import { textWidth } from './text-metrics';
import { cellFor, className, provenanceFor } from './common';

export interface FeatureFigureOptions {
  /** the run's input shape; default the square that fits */
  imageShape?: [number, number];
  /** the dataset's class names, by class index */
  labels?: string[];
}

/** A row of small greyscale examples with a caption; each shows its contribution, projection and label. */
export function exampleRow(examples: readonly RankedExample[], shape: [number, number], x: number, y: number, caption: string): { marks: Mark[]; height: number; width: number } {
  const cell = cellFor(shape, 56);
  const w = shape[1] * cell;
  const h = shape[0] * cell;
  const step = w + 12;
  const marks: Mark[] = [text(x, y, caption, { fill: '#444444' })];
  if (examples.length === 0) marks.push(text(x, y + 20, 'none', { fill: MUTED }));
  examples.forEach((e, i) => {
    const ex = x + i * step;
    marks.push(greyImage(e.pixels, shape, ex, y + 8, cell));
    marks.push(text(ex + w / 2, y + 8 + h + 12, formatNumber(e.contribution), { anchor: 'middle', size: 10 }));
    marks.push(text(ex + w / 2, y + 8 + h + 23, `vᵀz ${formatNumber(e.projection)}`, { anchor: 'middle', size: 8, fill: MUTED }));
    marks.push(text(ex + w / 2, y + 8 + h + 34, `#${e.index} · ${e.label}`, { anchor: 'middle', size: 8, fill: MUTED }));
  });
  return { marks, height: 8 + h + 43, width: Math.max(0, examples.length * step - 12) };
}

/** The `feature` figure: { class, rank }, from the feature's detail. */
export function featureFigure(detail: FeatureDetail, o: FeatureFigureOptions, provenance: Provenance, options: FigureOptions = {}): Figure {
  // laid out at the screen's size, then scaled to the size asked for
  const style = { ...FIGURE_STYLES.screen, title: options.title ?? true };
  const f = detail.feature;
  const shape = shapeOf(f.vector.length, o.imageShape);
  const label = o.labels?.[f.class];
  const title = `${className(f.class, label)}: eigenvector #${f.rank} (Eᵀv)`;
  const pad = 14;
  const cell = cellFor(shape, 224);
  const imgW = shape[1] * cell;
  const imgH = shape[0] * cell;
  const exampleCount = Math.max(detail.topExamples.length, detail.bottomExamples.length);
  const exampleW = exampleCount * (shape[1] * cellFor(shape, 56) + 12);
  const width = Math.max(640, pad * 2 + exampleW, Math.ceil(textWidth(title, 14, 'bold')) + 2 * pad);
  style.width = width;

  const head = headingBlock(style, title);
  const marks: Mark[] = [...head.marks];
  const top = pad + head.height + 12;
  marks.push(...featureTile(f, shape, pad, top, cell, style));
  const fx = pad + imgW + 28;
  const total = detail.positiveCount + detail.negativeCount;
  const facts: [string, string][] = [
    [`λ = ${formatNumber(f.eigenvalue)}`, 'bold'],
    [`rank ${f.rank} of ${total} by |λ|`, 'normal'],
    [`${detail.positiveCount} positive, ${detail.negativeCount} negative in the class`, 'normal'],
    [`sparsity (‖v‖₁/‖v‖₂)²/d = ${formatNumber(f.sparsity)}`, 'normal'],
    [`mean contribution λ(vᵀz)² = ${formatNumber(detail.meanContribution)}`, 'normal'],
    [`heatmap range ±${formatNumber(f.range)}`, 'normal'],
  ];
  facts.forEach(([s, weight], i) => marks.push(text(fx, top + 14 + i * 20, s, { size: i === 0 ? 14 : 11, weight: weight as 'normal' | 'bold' })));
  marks.push(...colorBar(fx, top + imgH - 40, Math.min(220, width - fx - pad), style).marks);

  marks.push(text(pad, top + imgH + 30, gaugeLegend(label ?? String(f.class)), { size: 10, fill: '#444444' }));
  let y = top + imgH + 48;
  const titles = exampleRowTitles(detail.rankedBy);
  const most = exampleRow(detail.topExamples, shape, pad, y, `${titles.top} (under each: λ(vᵀz)², vᵀz, index · label)`);
  marks.push(...most.marks);
  y += most.height + 16;
  const least = exampleRow(detail.bottomExamples, shape, pad, y, titles.bottom);
  marks.push(...least.marks);
  y += least.height + 20;

  const C = detail.classLogits.length;
  const box = { x: 64, y: y + 10, w: width - 84, h: 140 };
  marks.push(text(pad, y, `the logit this feature gives each class c′: vᵀQ(c′)v (λ for its own class)`, { fill: '#444444' }));
  const chart = barChart(detail.classLogits, box, {
    xLabel: 'class c′',
    yLabel: 'vᵀQ(c′)v',
    labels: Array.from({ length: C }, (_, c) => String(c)),
    highlight: f.class,
    className: 'class-logit',
  });
  marks.push(...chart.marks);
  const height = box.y + box.h + 44;
  const fig = { width, height, title, provenance: provenanceFor(provenance, 'feature', { class: f.class, rank: f.rank }), marks };
  return options.size && options.size !== 'screen' ? scaledTo(fig, figureStyle(options).width) : fig;
}
