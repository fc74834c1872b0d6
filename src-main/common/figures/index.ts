// Every figure the atlas can draw, each a pure function from the atlas's shapes to a Figure, and
// the atlas's own three (eigenvector grid, spectrum, truncation curve) by the spec the contract
// names them with: what the screen shows is built here, as every export is.
import type { Atlas } from '../../engine/analysis/atlas-types';
import type { EigenSign } from '../formats';
import { eigenvectorsFigure } from './eigenvector-grid';
import type { Figure, Provenance } from './figure';
import { spectrumFigure } from './spectrum';
import type { FigureOptions } from './style';
import { truncationFigure } from './truncation';

export { eigenvectorGrid, eigenvectorsFigure, selectFeatures, type EigenvectorGridInput } from './eigenvector-grid';
export { spectrumChart, spectrumFigure, type SpectrumChartInput } from './spectrum';
export { truncationChart, truncationFigure, type TruncationChartInput, type TruncationCurve } from './truncation';
export { featureFigure, type FeatureFigureOptions } from './feature';
export { explanationFigure, type ExplanationFigureOptions } from './explanation';
export { comparePairsFigure } from './compare-pairs';
export { similarityFigure } from './similarity';
export { figureStyle, FIGURE_STYLES, type FigureOptions, type FigureStyle } from './style';

/** A figure drawn from the atlas alone. */
export type AtlasFigureSpec = { kind: 'eigenvectors'; class: number; sign: EigenSign; count: number } | { kind: 'spectrum'; class: number } | { kind: 'truncation'; class?: number };

export function atlasFigure(atlas: Atlas, spec: AtlasFigureSpec, provenance: Provenance, options: FigureOptions = {}): Figure {
  switch (spec.kind) {
    case 'eigenvectors':
      return eigenvectorsFigure(atlas, spec, provenance, options);
    case 'spectrum':
      return spectrumFigure(atlas, spec, provenance, options);
    case 'truncation':
      return truncationFigure(atlas, spec, provenance, options);
  }
}
export { lmSpectrumFigure, faithfulnessLine } from './lm-spectrum';
export { lmTruncationFigure, logTicks } from './lm-truncation';
export { lmTokensFigure, featureTitle } from './lm-tokens';
export { lmContextsFigure, contextWindow } from './lm-contexts';
export { lmExplanationFigure, componentsLine } from './lm-explanation';
export { lmCompareFigure } from './lm-compare';
export { directionName, quoted, readingKind } from './lm-common';
