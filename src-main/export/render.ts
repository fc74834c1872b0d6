// The one way a figure becomes a file: SVG, PNG at a chosen DPI, or vector PDF.
import type { FigureFormat } from '../common/formats';
import { ExportError } from './errors';
import type { Figure } from '../common/figures/figure';
import { DEFAULT_DPI, checkDpi, toPng } from './png';
import { toSvg } from './svg';

export type FigureMime = 'image/svg+xml' | 'image/png' | 'application/pdf';

export interface RenderedFigure {
  bytes: Uint8Array;
  mime: FigureMime;
  /** without the dot */
  extension: string;
}

export interface RenderOptions {
  /** PNG only: pixels per inch, 36 to 1200 (default 300); the figure is laid out at 96 */
  dpi?: number;
}

export async function renderFigure(fig: Figure, format: FigureFormat, opts: RenderOptions = {}): Promise<RenderedFigure> {
  switch (format) {
    case 'svg':
      return { bytes: new Uint8Array(Buffer.from(toSvg(fig), 'utf8')), mime: 'image/svg+xml', extension: 'svg' };
    case 'png':
      return { bytes: await toPng(fig, checkDpi(opts.dpi ?? DEFAULT_DPI)), mime: 'image/png', extension: 'png' };
    case 'pdf': {
      // pdfkit takes a tenth of a second to load: only when a PDF is asked for
      const { toPdf } = await import('./pdf');
      return { bytes: await toPdf(fig), mime: 'application/pdf', extension: 'pdf' };
    }
    default:
      throw new ExportError(`unknown figure format '${String(format)}': choose svg, png or pdf`);
  }
}
