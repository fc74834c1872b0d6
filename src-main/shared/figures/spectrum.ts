// A class's spectrum: λ against rank (by |λ|), positive eigenvalues red, negative blue.
import type { Atlas } from '../../engine/analysis/atlas-types';
import { heading, MUTED, text, textWidth, type Figure, type Provenance } from './figure';
import { className, findClass, provenanceFor } from './common';
import { barChart } from './parts';

export interface SpectrumChartInput {
  /** eigenvalues ordered by |λ| descending */
  values: readonly number[];
  title: string;
  provenance: Provenance;
}

export function spectrumChart(o: SpectrumChartInput): Figure {
  const width = Math.max(480, Math.ceil(textWidth(o.title, 14, 'bold')) + 28);
  const height = 312;
  const box = { x: 64, y: 46, w: width - 84, h: height - 96 };
  const n = o.values.length;
  const pos = o.values.filter((v) => v > 0).length;
  const marks = [
    heading(o.title),
    ...barChart(o.values, box, { xLabel: 'rank (by |λ|)', yLabel: 'λ' }).marks,
    text(box.x + box.w, 36, `${pos} positive, ${n - pos} negative`, { anchor: 'end', fill: MUTED, size: 10 }),
  ];
  return { width, height, title: o.title, provenance: o.provenance, marks };
}

/** The `spectrum` figure: { class }. */
export function spectrumFigure(atlas: Atlas, spec: { class: number }, provenance: Provenance): Figure {
  const k = findClass(atlas, spec.class);
  return spectrumChart({
    values: k.eigenvalues,
    title: `${className(spec.class, k.label)}: spectrum of Q(e_${spec.class})`,
    provenance: provenanceFor(provenance, 'spectrum', { class: spec.class }),
  });
}
