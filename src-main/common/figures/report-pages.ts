// Pages of text for the report's PDF: headings, paragraphs wrapped to the page, and tables whose
// columns are as wide as their widest cell. Text stays text (searchable, copyable), as in every
// figure; the HTML page shows the same blocks as HTML.
import { group, line, MUTED, text, type Figure, type Mark, type Provenance } from './figure';
import { figureStyle, type FigureOptions } from './style';
import { textWidth, wrapText } from './text-metrics';

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; muted?: boolean }
  | { kind: 'table'; header: string[]; rows: string[][]; /** columns set flush right (numbers) */ right?: number[] };

/** A page holding the blocks in order, as tall as they need. */
export function textPage(title: string, blocks: readonly Block[], provenance: Provenance, figure: string, options: FigureOptions = {}): Figure {
  const style = figureStyle({ size: 'page', ...options });
  const { pad, font } = style;
  const width = style.width;
  const inner = width - 2 * pad;
  const marks: Mark[] = [];
  let y = pad;
  for (const s of wrapText(title, inner, font.title * 1.2, 'bold')) {
    y += font.title * 1.3;
    marks.push(text(pad, y, s, { size: font.title * 1.2, weight: 'bold' }));
  }
  y += font.label * 0.6;
  for (const b of blocks) {
    if (b.kind === 'heading') {
      y += font.label * 1.9;
      marks.push(text(pad, y, b.text, { size: font.title, weight: 'bold' }));
      y += font.label * 0.5;
    } else if (b.kind === 'paragraph') {
      for (const s of wrapText(b.text, inner, font.label)) {
        y += font.label * 1.35;
        marks.push(text(pad, y, s, { size: font.label, ...(b.muted ? { fill: MUTED } : {}) }));
      }
      y += font.label * 0.4;
    } else {
      const size = font.label;
      const gap = size * 1.2;
      const cols = b.header.length;
      const widths = Array.from({ length: cols }, (_, j) => Math.max(textWidth(b.header[j], size, 'bold'), ...b.rows.map((r) => textWidth(r[j] ?? '', size))));
      const total = widths.reduce((a, w) => a + w, 0) + gap * (cols - 1);
      const shrink = total > inner ? inner / total : 1;
      const cell = (row: string[], yy: number, weight: 'normal' | 'bold'): Mark[] => {
        let x = pad;
        return row.map((s, j) => {
          const right = b.right?.includes(j);
          const m = text(right ? x + widths[j] * shrink : x, yy, s, { size: size * shrink, weight, anchor: right ? 'end' : 'start' });
          x += (widths[j] + gap) * shrink;
          return m;
        });
      };
      const rowH = size * 1.45 * shrink;
      y += rowH;
      const rows: Mark[] = [...cell(b.header, y, 'bold')];
      rows.push(line(pad, y + rowH * 0.35, pad + total * shrink, y + rowH * 0.35, '#888888', { width: style.line.thin }));
      for (const r of b.rows) {
        y += rowH;
        rows.push(...cell(r, y, 'normal'));
      }
      marks.push(group(rows, { className: 'table' }));
      y += size * 0.6;
    }
  }
  return { width, height: Math.ceil(y + pad + font.label), title, provenance: { ...provenance, figure }, marks };
}
