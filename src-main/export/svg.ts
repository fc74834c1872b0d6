// A figure as a plain SVG document: text stays text, nothing refers outside the document, and the
// provenance rides along in <metadata> so that a copied figure still says where it came from. The
// attribute values come from shared/figures/svg-attributes, as the screen's do.
import { DEFAULT_TEXT_SIZE, FONT_STACK, type Figure, type Mark } from '../shared/figures/figure';
import { dashArray, dataAttributes, fmt, groupTransform, pathData, textAttributes } from '../shared/figures/svg-attributes';

const SVG_NS = 'http://www.w3.org/2000/svg';
export const PROVENANCE_NS = 'urn:sqs-workbench:provenance';

/** Escapes text for XML element content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Attributes in order, those without a value left out. */
function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function titled(tag: string, a: string, title: string | undefined): string {
  return title ? `<${tag}${a}><title>${escapeXml(title)}</title></${tag}>` : `<${tag}${a}/>`;
}

function markSvg(m: Mark, out: string[]): void {
  switch (m.kind) {
    case 'rect': {
      const a = attrs({ class: m.className, x: fmt(m.x), y: fmt(m.y), width: fmt(m.width), height: fmt(m.height), fill: m.fill ?? 'none', stroke: m.stroke, 'stroke-width': m.stroke && m.strokeWidth !== undefined ? fmt(m.strokeWidth) : undefined });
      out.push(titled('rect', a, m.title));
      return;
    }
    case 'line':
      out.push(`<line${attrs({ x1: fmt(m.x1), y1: fmt(m.y1), x2: fmt(m.x2), y2: fmt(m.y2), stroke: m.stroke, 'stroke-width': m.width !== undefined ? fmt(m.width) : undefined, 'stroke-dasharray': dashArray(m.dash) })}/>`);
      return;
    case 'path': {
      if (m.points.length === 0) return;
      const stroke = m.stroke ? { stroke: m.stroke, 'stroke-width': fmt(m.width ?? 1), 'stroke-dasharray': dashArray(m.dash) } : {};
      out.push(`<path${attrs({ class: m.className, d: pathData(m.points, m.closed), fill: m.fill ?? 'none', ...stroke })}/>`);
      return;
    }
    case 'circle':
      out.push(`<circle${attrs({ class: m.className, cx: fmt(m.cx), cy: fmt(m.cy), r: fmt(m.r), fill: m.fill })}/>`);
      return;
    case 'text':
      out.push(`<text${attrs({ x: fmt(m.x), y: fmt(m.y), ...textAttributes(m) })}>${escapeXml(m.text)}</text>`);
      return;
    case 'group': {
      out.push(`<g${attrs({ class: m.className, ...dataAttributes(m), transform: groupTransform(m), 'shape-rendering': m.crisp ? 'crispEdges' : undefined })}>`);
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
  const out = [`<svg${attrs({ class: className })} width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}" font-family="${escapeXml(FONT_STACK)}" font-size="${DEFAULT_TEXT_SIZE}">`];
  for (const m of marks) markSvg(m, out);
  out.push('</svg>');
  return out.join('');
}
