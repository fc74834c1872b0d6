// A figure as a plain SVG document: text stays text, nothing refers outside the document, and the
// provenance rides along in <metadata> so that a copied figure still says where it came from.
import { DEFAULT_TEXT_SIZE, INK, type Figure, type Mark } from '../shared/figures/figure';
import { FONT_STACK } from './fonts';

const SVG_NS = 'http://www.w3.org/2000/svg';
export const PROVENANCE_NS = 'urn:sqs-workbench:provenance';

/** Escapes text for XML element content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A coordinate to two decimals at most, no trailing zeros, no negative zero. */
export function fmt(x: number): string {
  if (Number.isInteger(x)) return String(x + 0);
  return String(Number(x.toFixed(2)) + 0);
}

/** A scale factor to four decimals: an image 28 cells wide lands within 0.01 px of its size. */
function fmtScale(x: number): string {
  return String(Number(x.toFixed(4)));
}

function dash(d: number[] | undefined): string {
  return d && d.length > 0 ? ` stroke-dasharray="${d.map(fmt).join(' ')}"` : '';
}

function cls(name: string | undefined): string {
  return name ? ` class="${escapeXml(name)}"` : '';
}

function markSvg(m: Mark, out: string[]): void {
  switch (m.kind) {
    case 'rect': {
      const stroke = m.stroke ? ` stroke="${m.stroke}"${m.strokeWidth !== undefined ? ` stroke-width="${fmt(m.strokeWidth)}"` : ''}` : '';
      const open = `<rect${cls(m.className)} x="${fmt(m.x)}" y="${fmt(m.y)}" width="${fmt(m.width)}" height="${fmt(m.height)}" fill="${m.fill ?? 'none'}"${stroke}`;
      out.push(m.title ? `${open}><title>${escapeXml(m.title)}</title></rect>` : `${open}/>`);
      return;
    }
    case 'line':
      out.push(`<line x1="${fmt(m.x1)}" y1="${fmt(m.y1)}" x2="${fmt(m.x2)}" y2="${fmt(m.y2)}" stroke="${m.stroke}"${m.width !== undefined ? ` stroke-width="${fmt(m.width)}"` : ''}${dash(m.dash)}/>`);
      return;
    case 'path': {
      if (m.points.length === 0) return;
      const d = m.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${fmt(x)},${fmt(y)}`).join(' ') + (m.closed ? ' Z' : '');
      const stroke = m.stroke ? ` stroke="${m.stroke}" stroke-width="${fmt(m.width ?? 1)}"${dash(m.dash)}` : '';
      out.push(`<path${cls(m.className)} d="${d}" fill="${m.fill ?? 'none'}"${stroke}/>`);
      return;
    }
    case 'circle':
      out.push(`<circle${cls(m.className)} cx="${fmt(m.cx)}" cy="${fmt(m.cy)}" r="${fmt(m.r)}" fill="${m.fill}"/>`);
      return;
    case 'text': {
      const attrs = [
        m.anchor !== 'start' ? ` text-anchor="${m.anchor}"` : '',
        m.size !== DEFAULT_TEXT_SIZE ? ` font-size="${fmt(m.size)}"` : '',
        m.weight === 'bold' ? ` font-weight="bold"` : '',
        m.fill !== INK ? ` fill="${m.fill}"` : '',
        m.rotate ? ` transform="rotate(${fmt(m.rotate)} ${fmt(m.x)} ${fmt(m.y)})"` : '',
      ].join('');
      out.push(`<text x="${fmt(m.x)}" y="${fmt(m.y)}"${attrs}>${escapeXml(m.text)}</text>`);
      return;
    }
    case 'group': {
      const data = Object.entries(m.data ?? {})
        .map(([k, v]) => ` data-${k}="${escapeXml(String(v))}"`)
        .join('');
      const t = [m.translate ? `translate(${fmt(m.translate[0])},${fmt(m.translate[1])})` : '', m.scale !== undefined && m.scale !== 1 ? `scale(${fmtScale(m.scale)})` : ''].filter(Boolean).join(' ');
      out.push(`<g${cls(m.className)}${data}${t ? ` transform="${t}"` : ''}${m.crisp ? ' shape-rendering="crispEdges"' : ''}>`);
      if (m.title) out.push(`<title>${escapeXml(m.title)}</title>`);
      for (const c of m.marks) markSvg(c, out);
      out.push('</g>');
      return;
    }
  }
}

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
  for (const m of fig.marks) markSvg(m, out);
  out.push('</svg>');
  return out.join('');
}

/** Marks as a bare <svg> for inside an HTML page (no namespace, title or metadata). */
export function svgFragment(marks: readonly Mark[], width: number, height: number, className?: string): string {
  const out = [`<svg${cls(className)} width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}" font-family="${escapeXml(FONT_STACK)}" font-size="${DEFAULT_TEXT_SIZE}">`];
  for (const m of marks) markSvg(m, out);
  out.push('</svg>');
  return out.join('');
}
