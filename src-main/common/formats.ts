// The file formats figures and atlases are exported in, and which eigenvectors a grid shows:
// named once for the contract, the exporters and the renderer's menus.

export const FIGURE_FORMATS = ['svg', 'png', 'pdf'] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

export const ATLAS_EXPORT_FORMATS = ['svg', 'png', 'pdf', 'html'] as const;
export type AtlasExportFormat = (typeof ATLAS_EXPORT_FORMATS)[number];

/** a class's top eigenvectors by sign, or by |λ| */
export const EIGEN_SIGNS = ['positive', 'negative', 'magnitude'] as const;
export type EigenSign = (typeof EIGEN_SIGNS)[number];

/** a run's metric points as tidy rows */
export const METRICS_EXPORT_FORMATS = ['csv', 'json'] as const;
export type MetricsExportFormat = (typeof METRICS_EXPORT_FORMATS)[number];

/** the size a figure is drawn at: as on screen, or one column or the full text width of a journal page */
export const FIGURE_SIZES = ['screen', 'column', 'page'] as const;
export type FigureSize = (typeof FIGURE_SIZES)[number];

/** PNG resolution in dots per inch; figures are laid out in CSS pixels, 96 to the inch */
export const DPI = { min: 36, max: 1200, default: 300 } as const;

/** how many positive and how many negative eigenvectors of each class an atlas shows */
export const ATLAS_COUNT = { default: 6, max: 64 } as const;
