// How a mark's numbers and options become SVG attribute values, shared by the file writer
// (export/svg.ts) and the screen (FigureView.svelte) so that both draw the same figure the same way.
import { DEFAULT_TEXT_SIZE, INK, type GroupMark, type TextMark } from './figure';

/** A coordinate to two decimals at most, no trailing zeros, no negative zero. */
export function fmt(x: number): string {
  if (Number.isInteger(x)) return String(x + 0);
  return String(Number(x.toFixed(2)) + 0);
}

/** A scale factor to four decimals: an image 28 cells wide lands within 0.01 px of its size. */
export function fmtScale(x: number): string {
  return String(Number(x.toFixed(4)) + 0);
}

/** stroke-dasharray, or undefined for a solid line */
export function dashArray(d: readonly number[] | undefined): string | undefined {
  return d && d.length > 0 ? d.map(fmt).join(' ') : undefined;
}

/** A group's transform: translate, then scale; undefined when it has neither. */
export function groupTransform(m: GroupMark): string | undefined {
  const t = [m.translate ? `translate(${fmt(m.translate[0])},${fmt(m.translate[1])})` : '', m.scale !== undefined && m.scale !== 1 ? `scale(${fmtScale(m.scale)})` : ''].filter(Boolean).join(' ');
  return t || undefined;
}

/** A group's data as data-* attributes. */
export function dataAttributes(m: GroupMark): Record<string, string> {
  return Object.fromEntries(Object.entries(m.data ?? {}).map(([k, v]) => [`data-${k}`, String(v)]));
}

/** path data through the points, closed or not */
export function pathData(points: readonly [number, number][], closed = false): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${fmt(x)},${fmt(y)}`).join(' ') + (closed ? ' Z' : '');
}

/** A text mark's attributes other than x and y, each only where it differs from the document's defaults. */
export function textAttributes(m: TextMark): Record<string, string> {
  const a: Record<string, string> = {};
  if (m.anchor !== 'start') a['text-anchor'] = m.anchor;
  if (m.size !== DEFAULT_TEXT_SIZE) a['font-size'] = fmt(m.size);
  if (m.weight === 'bold') a['font-weight'] = 'bold';
  if (m.fill !== INK) a.fill = m.fill;
  if (m.rotate) a.transform = `rotate(${fmt(m.rotate)} ${fmt(m.x)} ${fmt(m.y)})`;
  return a;
}
