// Marks as SVG markup, the one way a mark is written: export/svg.ts wraps it into a document, and
// the screen inserts the markup of images made of cells as it is (thousands of rects are far
// quicker to insert as markup than to create one by one). The attribute values come from
// svg-attributes, which the screen's own SVG elements use too.
import type { Mark } from './figure';
import { dashArray, dataAttributes, fmt, groupTransform, pathData, textAttributes } from './svg-attributes';

/** Escapes text for XML element content and attribute values. */
export function escapeXml(s: string): string {
  return /[&<>"']/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;') : s;
}

/** Attributes in order, those without a value left out. */
export function attributes(a: Record<string, string | number | undefined>): string {
  let s = '';
  for (const k in a) {
    const v = a[k];
    if (v !== undefined) s += ` ${k}="${escapeXml(String(v))}"`;
  }
  return s;
}

function titled(tag: string, a: string, title: string | undefined): string {
  return title ? `<${tag}${a}><title>${escapeXml(title)}</title></${tag}>` : `<${tag}${a}/>`;
}

/** Appends the markup of one mark (a group with everything in it) to `out`. */
export function markMarkup(m: Mark, out: string[]): void {
  switch (m.kind) {
    case 'rect': {
      const a = attributes({ class: m.className, x: fmt(m.x), y: fmt(m.y), width: fmt(m.width), height: fmt(m.height), fill: m.fill ?? 'none', stroke: m.stroke, 'stroke-width': m.stroke && m.strokeWidth !== undefined ? fmt(m.strokeWidth) : undefined });
      out.push(titled('rect', a, m.title));
      return;
    }
    case 'line':
      out.push(`<line${attributes({ x1: fmt(m.x1), y1: fmt(m.y1), x2: fmt(m.x2), y2: fmt(m.y2), stroke: m.stroke, 'stroke-width': m.width !== undefined ? fmt(m.width) : undefined, 'stroke-dasharray': dashArray(m.dash) })}/>`);
      return;
    case 'path': {
      if (m.points.length === 0) return;
      const stroke = m.stroke ? { stroke: m.stroke, 'stroke-width': fmt(m.width ?? 1), 'stroke-dasharray': dashArray(m.dash) } : {};
      out.push(`<path${attributes({ class: m.className, d: pathData(m.points, m.closed), fill: m.fill ?? 'none', ...stroke })}/>`);
      return;
    }
    case 'circle':
      out.push(`<circle${attributes({ class: m.className, cx: fmt(m.cx), cy: fmt(m.cy), r: fmt(m.r), fill: m.fill })}/>`);
      return;
    case 'text':
      out.push(`<text${attributes({ x: fmt(m.x), y: fmt(m.y), ...textAttributes(m) })}>${escapeXml(m.text)}</text>`);
      return;
    case 'group': {
      out.push(`<g${attributes({ class: m.className, ...dataAttributes(m), transform: groupTransform(m), 'shape-rendering': m.crisp ? 'crispEdges' : undefined })}>`);
      if (m.title) out.push(`<title>${escapeXml(m.title)}</title>`);
      for (const c of m.marks) markMarkup(c, out);
      out.push('</g>');
      return;
    }
  }
}

/** The markup of marks, as one string. */
export function marksMarkup(marks: readonly Mark[]): string {
  const out: string[] = [];
  for (const m of marks) markMarkup(m, out);
  return out.join('');
}
