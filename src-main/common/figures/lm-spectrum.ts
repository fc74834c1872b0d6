// The spectrum of Q_ℓ(u) for one layer and output direction: signed eigenvalues by rank (|λ|
// descending) with how many of each sign in the title, and under it which reading it is and how
// faithful the quadratic form is to the MLP over validation positions.
import type { LmSpectrum } from '../../engine/analysis/lm-atlas-types';
import { formatFixed, formatPercent } from '../number-format';
import { provenanceFor } from './common';
import type { Figure, Provenance } from './figure';
import { layerAndDirection, readingKind } from './lm-common';
import { spectrumChart } from './spectrum';
import { figureStyle, type FigureOptions } from './style';

/** "correlation 0.9991, relative error 4.10%": how well x̂ᵀQx̂ stands for uᵀMLP(x̂). */
export function faithfulnessLine(s: Pick<LmSpectrum, 'exact' | 'faithfulness'>): string {
  return `${readingKind(s.exact)}: correlation ${formatFixed(s.faithfulness.correlation, 4)}, relative error ${formatPercent(s.faithfulness.relative_error)} over validation positions`;
}

export function lmSpectrumFigure(s: LmSpectrum, provenance: Provenance, options: FigureOptions = {}): Figure {
  return spectrumChart({
    values: s.eigenvalues,
    title: `spectrum of Q for ${layerAndDirection(s.layer, s.direction)}: ${s.positives} positive, ${s.negatives} negative`,
    note: faithfulnessLine(s),
    provenance: provenanceFor(provenance, 'lm-spectrum', { layer: s.layer, direction: s.direction.spec }),
    style: figureStyle(options),
  });
}
