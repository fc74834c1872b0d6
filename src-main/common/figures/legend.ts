// Series told apart by more than colour: each has its own marker shape and line dash as well as
// its Okabe–Ito colour, and a legend shows the three together beside the series' name.
import { group, line, rect, text, type Mark } from './figure';
import type { FigureStyle } from './style';
import { textWidth } from './text-metrics';

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'none';

export interface LegendItem {
  label: string;
  color: string;
  marker: MarkerShape;
  dash?: number[];
  /** the line width, px (default: the style's data line) */
  width?: number;
}

/** A marker of about the same area whatever its shape, centred on (cx, cy); r is the circle's radius. */
export function marker(shape: MarkerShape, cx: number, cy: number, r: number, fill: string): Mark | null {
  switch (shape) {
    case 'circle':
      return { kind: 'circle', cx, cy, r, fill };
    case 'square': {
      const s = r * 0.9;
      return rect(cx - s, cy - s, 2 * s, 2 * s, fill);
    }
    case 'triangle': {
      const s = r * 1.35;
      return { kind: 'path', points: [[cx, cy - s], [cx + s * 0.87, cy + s * 0.5], [cx - s * 0.87, cy + s * 0.5]], closed: true, fill };
    }
    case 'diamond': {
      const s = r * 1.25;
      return { kind: 'path', points: [[cx, cy - s], [cx + s, cy], [cx, cy + s], [cx - s, cy]], closed: true, fill };
    }
    case 'none':
      return null;
  }
}

/** The marker radius of a style: about 2.5 px on screen, 1.6 pt on paper. */
export const markerRadius = (style: FigureStyle): number => Math.max(2, style.line.data * 1.6);

/** One series: a line through its points and a marker at each (fewer markers when they crowd). */
export function series(points: readonly [number, number][], item: LegendItem, style: FigureStyle, className: string): Mark {
  const marks: Mark[] = [];
  const width = item.width ?? style.line.data;
  if (points.length > 1) marks.push({ kind: 'path', points: [...points], stroke: item.color, width, dash: item.dash, className: 'line' });
  const r = markerRadius(style);
  const span = points.length > 1 ? Math.abs(points.at(-1)![0] - points[0][0]) : 0;
  // at most one marker per 3 radii along x, always the first and the last
  const every = Math.max(1, Math.ceil((points.length * 3 * r) / Math.max(span, 1)));
  points.forEach(([x, y], i) => {
    if (i % every !== 0 && i !== points.length - 1) return;
    const m = marker(item.marker, x, y, r, item.color);
    if (m) marks.push(m);
  });
  return group(marks, { className: `series ${className}`, data: { label: item.label } });
}

/** The legend's items left to right, wrapping within `maxWidth`; returns its marks and height. */
export function legend(items: readonly LegendItem[], x: number, y: number, maxWidth: number, style: FigureStyle): { marks: Mark[]; height: number } {
  const size = style.font.label;
  const rowH = size * 1.35;
  const swatch = size * 2;
  const gap = size * 1.1;
  const marks: Mark[] = [];
  let cx = x;
  let row = 0;
  for (const item of items) {
    const w = swatch + size * 0.4 + textWidth(item.label, size);
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      row++;
    }
    const cy = y + row * rowH + rowH / 2;
    const parts: Mark[] = [line(cx, cy, cx + swatch, cy, item.color, { width: item.width ?? style.line.data, dash: item.dash })];
    const m = marker(item.marker, cx + swatch / 2, cy, markerRadius(style), item.color);
    if (m) parts.push(m);
    parts.push(text(cx + swatch + size * 0.4, cy + size * 0.35, item.label, { size }));
    marks.push(group(parts, { className: 'legend-item' }));
    cx += w + gap;
  }
  return { marks: [group(marks, { className: 'legend' })], height: items.length === 0 ? 0 : (row + 1) * rowH };
}
