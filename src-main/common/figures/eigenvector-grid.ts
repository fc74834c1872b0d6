// A class's top eigenvectors in input space (Eᵀv) as a grid of heatmaps: each on the diverging
// map centred at 0 with its own symmetric range, its rank above, λ under it, and one colour bar
// that says what the colours mean. As many per row as the width holds (at most `columns`).
import type { EigenSign } from '../formats';
import type { Atlas, AtlasFeature } from '../../engine/analysis/atlas-types';
import { formatNumber } from '../number-format';
import { headingBlock } from './chart';
import { className, findClass, provenanceFor, surrogateKind } from './common';
import { MUTED, text, type Figure, type Mark, type Provenance } from './figure';
import { colorBar, featureTile, tileMargins } from './images';
import { figureStyle, type FigureOptions, type FigureStyle } from './style';

export interface EigenvectorGridInput {
  features: readonly AtlasFeature[];
  imageShape: readonly [number, number];
  title: string;
  /** a line under the title */
  note?: string;
  provenance: Provenance;
  style?: FigureStyle;
  /** images per row at most (default 6) */
  columns?: number;
  /** shown when there are no features */
  empty?: string;
}

export function eigenvectorGrid(o: EigenvectorGridInput): Figure {
  const style = o.style ?? figureStyle();
  const { pad, font } = style;
  const [rows, cols] = o.imageShape;
  for (const f of o.features) {
    if (f.vector.length !== rows * cols) throw new Error(`eigenvectorGrid: feature #${f.rank} has ${f.vector.length} values, not a ${rows}×${cols} image`);
  }
  const width = style.width;
  const k = o.features.length;
  const heading = headingBlock(style, o.title, o.note);
  const marks: Mark[] = [...heading.marks];
  let y = pad + heading.height;
  if (k === 0) {
    marks.push(text(pad, y + font.label * 1.2, o.empty ?? 'no eigenvectors to show', { size: font.label, fill: MUTED }));
    return { width, height: Math.ceil(y + font.label * 1.8 + pad), title: o.title, provenance: o.provenance, marks };
  }
  // as many images of about style.image px as the width holds, then as large as they fit
  const gap = Math.max(6, font.label * 0.9);
  const inner = width - 2 * pad;
  const fits = Math.max(1, Math.floor((inner + gap) / (style.image + gap)));
  const most = Math.max(1, Math.min(o.columns ?? 6, k, fits));
  const perRow = Math.ceil(k / Math.ceil(k / most)); // rows as even as they can be: 3 + 3, not 5 + 1
  const imgW = Math.min(style.image * 1.5, (inner + gap) / perRow - gap);
  const cell = imgW / cols;
  const imgH = rows * cell;
  const tile = { caption: 'x', below: 'x' };
  const m = tileMargins(style, tile);
  const slotH = m.above + imgH + m.below + gap * 0.5;
  o.features.forEach((f, i) => {
    const x = pad + (i % perRow) * (imgW + gap);
    const top = y + Math.floor(i / perRow) * slotH + m.above;
    marks.push(...featureTile(f, o.imageShape, x, top, cell, style, { caption: `#${f.rank}`, below: `range ±${formatNumber(f.range)}` }));
  });
  y += Math.ceil(k / perRow) * slotH + gap * 0.5;
  const bar = colorBar(pad, y, Math.min(inner, 18 * font.tick), style, inner);
  marks.push(...bar.marks);
  return { width, height: Math.ceil(y + bar.height + pad), title: o.title, provenance: o.provenance, marks };
}

/** The features of one class for a sign: the top positive, the most negative, or the top by |λ|. */
export function selectFeatures(atlas: Atlas, c: number, sign: EigenSign, count: number): AtlasFeature[] {
  const k = findClass(atlas, c);
  if (sign === 'positive') return k.positive.slice(0, count);
  if (sign === 'negative') return k.negative.slice(0, count);
  return [...k.positive, ...k.negative].sort((a, b) => a.rank - b.rank).slice(0, count);
}

/** The `eigenvectors` figure: { class, sign, count }. */
export function eigenvectorsFigure(atlas: Atlas, spec: { class: number; sign: EigenSign; count: number }, provenance: Provenance, options: FigureOptions = {}): Figure {
  const k = findClass(atlas, spec.class);
  const features = selectFeatures(atlas, spec.class, spec.sign, spec.count);
  const n = features.length;
  const what = spec.sign === 'magnitude' ? `top ${n} eigenvectors by |λ|` : spec.sign === 'positive' ? `top ${n} positive eigenvectors` : `top ${n} negative eigenvectors`;
  return eigenvectorGrid({
    features,
    imageShape: atlas.imageShape,
    title: `${what} of Q for ${className(spec.class, k.label)}, in input space (Eᵀv)`,
    note: `${surrogateKind(atlas.exact)} surrogate`,
    provenance: provenanceFor(provenance, 'eigenvectors', { class: spec.class, sign: spec.sign }),
    style: figureStyle(options),
    empty: `no ${spec.sign === 'magnitude' ? '' : spec.sign + ' '}eigenvalues in this class`,
  });
}
