// A class's top eigenvectors in input space (Eᵀv) as a grid of heatmaps: each on the diverging
// map centred at 0 with its own symmetric range, λ under each, and one colour bar.
import type { EigenSign } from '../formats';
import type { Atlas, AtlasFeature } from '../../engine/analysis/atlas-types';
import { formatValue, heading, MUTED, text, textWidth, type Figure, type Mark, type Provenance } from './figure';
import { cellFor, className, findClass, provenanceFor, surrogateKind } from './common';
import { colorBar, featureTile } from './parts';

export interface EigenvectorGridInput {
  features: readonly AtlasFeature[];
  imageShape: [number, number];
  title: string;
  provenance: Provenance;
  /** images per row (default 6) */
  columns?: number;
  /** pixels per image cell (default: about 112 px per image) */
  cell?: number;
  /** shown when there are no features */
  empty?: string;
}

export function eigenvectorGrid(o: EigenvectorGridInput): Figure {
  const shape = o.imageShape;
  const [rows, cols] = shape;
  for (const f of o.features) {
    if (f.vector.length !== rows * cols) throw new Error(`eigenvectorGrid: feature #${f.rank} has ${f.vector.length} values, not a ${rows}×${cols} image`);
  }
  const k = o.features.length;
  const cell = o.cell ?? cellFor(shape, 112);
  const perRow = Math.max(1, Math.min(o.columns ?? 6, k));
  const imgW = cols * cell;
  const imgH = rows * cell;
  const pad = 14;
  const slotW = imgW + pad;
  const slotH = imgH + 44;
  const top = 34;
  const gridRows = Math.max(1, Math.ceil(k / perRow));
  const width = Math.max(perRow * slotW + pad, 280, Math.ceil(textWidth(o.title, 14, 'bold')) + 2 * pad);
  const height = k === 0 ? 90 : top + gridRows * slotH + 44;
  const marks: Mark[] = [heading(o.title, pad)];
  if (k === 0) {
    marks.push(text(pad, 56, o.empty ?? 'no eigenvectors to show', { fill: MUTED }));
    return { width, height, title: o.title, provenance: o.provenance, marks };
  }
  o.features.forEach((f, i) => {
    const x = pad + (i % perRow) * slotW;
    const y = top + Math.floor(i / perRow) * slotH + 12;
    marks.push(...featureTile(f, shape, x, y, cell, `#${f.rank}`, `range ±${formatValue(f.range)}`));
  });
  const barW = Math.min(240, width - 2 * pad);
  marks.push(...colorBar(pad, height - 36, barW, 10, ['−max |v|', '0', '+max |v|']));
  marks.push(text(pad + barW + 8, height - 27, 'per image', { fill: MUTED, size: 9 }));
  return { width, height, title: o.title, provenance: o.provenance, marks };
}

/** The features of one class for a sign: the top positive, the most negative, or the top by |λ|. */
export function selectFeatures(atlas: Atlas, c: number, sign: EigenSign, count: number): AtlasFeature[] {
  const k = findClass(atlas, c);
  if (sign === 'positive') return k.positive.slice(0, count);
  if (sign === 'negative') return k.negative.slice(0, count);
  return [...k.positive, ...k.negative].sort((a, b) => a.rank - b.rank).slice(0, count);
}

const SIGN_WORDS: Record<EigenSign, string> = { positive: 'positive', negative: 'negative', magnitude: 'by |λ|' };

/** The `eigenvectors` figure: { class, sign, count }. */
export function eigenvectorsFigure(atlas: Atlas, spec: { class: number; sign: EigenSign; count: number }, provenance: Provenance): Figure {
  const k = findClass(atlas, spec.class);
  const features = selectFeatures(atlas, spec.class, spec.sign, spec.count);
  const what = spec.sign === 'magnitude' ? `top ${features.length} eigenvectors by |λ|` : `top ${features.length} ${SIGN_WORDS[spec.sign]} eigenvectors`;
  return eigenvectorGrid({
    features,
    imageShape: atlas.imageShape,
    title: `${className(spec.class, k.label)}: ${what} (Eᵀv, ${surrogateKind(atlas.exact)})`,
    provenance: provenanceFor(provenance, 'eigenvectors', { class: spec.class, sign: spec.sign }),
    empty: `no ${spec.sign === 'magnitude' ? '' : spec.sign + ' '}eigenvalues in this class`,
  });
}
