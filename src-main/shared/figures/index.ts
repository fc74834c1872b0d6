// Every figure the atlas can draw, each a pure function from the atlas's shapes to a Figure.
export { eigenvectorGrid, eigenvectorsFigure, selectFeatures, type EigenvectorGridInput } from './eigenvector-grid';
export { spectrumChart, spectrumFigure, type SpectrumChartInput } from './spectrum';
export { truncationChart, truncationFigure, type TruncationChartInput } from './truncation';
export { featureFigure, type FeatureFigureOptions } from './feature';
export { explanationFigure, type ExplanationFigureOptions } from './explanation';
export { comparePairsFigure } from './compare-pairs';
export { similarityFigure } from './similarity';
