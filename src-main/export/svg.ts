// A figure as a plain SVG document: text stays text, nothing refers outside the document, and the
// provenance rides along in <metadata> so that a copied figure still says where it came from. The
// marks are written by common/figures/svg-markup, as the screen writes them.
import { DEFAULT_TEXT_SIZE, FONT_STACK, type Figure, type Mark } from '../common/figures/figure';
import { fmt } from '../common/figures/svg-attributes';
import { attributes, escapeXml, markMarkup } from '../common/figures/svg-markup';

export { escapeXml };

const SVG_NS = 'http://www.w3.org/2000/svg';
export const PROVENANCE_NS = 'urn:sqs-workbench:provenance';

export interface SvgOptions {
  /** the drawn size in pixels when it differs from the figure's own (the picture is stretched to it) */
  pixels?: { width: number; height: number };
}

export function toSvg(fig: Figure, o: SvgOptions = {}): string {
  const { width, height } = fig;
  const size = o.pixels ? `width="${o.pixels.width}" height="${o.pixels.height}" preserveAspectRatio="none"` : `width="${fmt(width)}" height="${fmt(height)}"`;
  const out = [
    `<svg xmlns="${SVG_NS}" ${size} viewBox="0 0 ${fmt(width)} ${fmt(height)}" font-family="${escapeXml(FONT_STACK)}" font-size="${DEFAULT_TEXT_SIZE}">`,
    `<title>${escapeXml(fig.title)}</title>`,
    `<metadata><provenance xmlns="${PROVENANCE_NS}">${escapeXml(JSON.stringify(fig.provenance))}</provenance></metadata>`,
    `<rect width="${fmt(width)}" height="${fmt(height)}" fill="#ffffff"/>`,
  ];
  for (const m of fig.marks) markMarkup(m, out);
  out.push('</svg>');
  return out.join('');
}

/** Marks as a bare <svg> for inside an HTML page (no namespace, title or metadata). */
export function svgFragment(marks: readonly Mark[], width: number, height: number, className?: string): string {
  const out = [`<svg${attributes({ class: className })} width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}" font-family="${escapeXml(FONT_STACK)}" font-size="${DEFAULT_TEXT_SIZE}">`];
  for (const m of marks) markMarkup(m, out);
  out.push('</svg>');
  return out.join('');
}
