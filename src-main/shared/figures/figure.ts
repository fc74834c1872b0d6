// One retained description of a figure, drawn once by the figure builders and written out by each
// serialiser (SVG, PDF, PNG): a page size in CSS pixels (96 per inch), a title, the provenance it
// carries, and a list of simple marks. Nothing here knows a file format.

export interface Provenance {
  run_id: string;
  run_dir: string;
  gate: string;
  config: unknown;
  app_version: string;
  [key: string]: unknown;
}

export type Anchor = 'start' | 'middle' | 'end';

export interface RectMark {
  kind: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  /** #rrggbb, or null for an outline only */
  fill: string | null;
  stroke?: string;
  strokeWidth?: number;
  className?: string;
}

export interface LineMark {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stroke: string;
  width?: number;
  /** dash and gap lengths */
  dash?: number[];
}

/** A polyline (open) or polygon (closed) through points. */
export interface PathMark {
  kind: 'path';
  points: [number, number][];
  closed?: boolean;
  fill?: string | null;
  stroke?: string;
  width?: number;
  dash?: number[];
  className?: string;
}

export interface CircleMark {
  kind: 'circle';
  cx: number;
  cy: number;
  r: number;
  fill: string;
}

/** One line of text; (x, y) is the anchor point on the baseline. */
export interface TextMark {
  kind: 'text';
  x: number;
  y: number;
  text: string;
  size: number;
  weight: 'normal' | 'bold';
  anchor: Anchor;
  fill: string;
  /** degrees, clockwise, about (x, y) */
  rotate?: number;
}

/** Marks drawn together: a class name and data attributes for readers of the SVG, an optional
 * translate-then-scale, and crisp edges for images made of cells. */
export interface GroupMark {
  kind: 'group';
  className?: string;
  data?: Record<string, string | number>;
  translate?: [number, number];
  scale?: number;
  crisp?: boolean;
  marks: Mark[];
}

export type Mark = RectMark | LineMark | PathMark | CircleMark | TextMark | GroupMark;

export interface Figure {
  /** CSS pixels, 96 per inch */
  width: number;
  height: number;
  title: string;
  provenance: Provenance;
  marks: Mark[];
}

export const DEFAULT_TEXT_SIZE = 11;
export const INK = '#000000';
export const FRAME = '#888888';
export const MUTED = '#666666';

export function rect(x: number, y: number, width: number, height: number, fill: string | null, more: Partial<Omit<RectMark, 'kind'>> = {}): RectMark {
  return { kind: 'rect', x, y, width, height, fill, ...more };
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, more: Partial<Omit<LineMark, 'kind'>> = {}): LineMark {
  return { kind: 'line', x1, y1, x2, y2, stroke, ...more };
}

export function text(x: number, y: number, s: string, more: Partial<Omit<TextMark, 'kind' | 'x' | 'y' | 'text'>> = {}): TextMark {
  return { kind: 'text', x, y, text: s, size: DEFAULT_TEXT_SIZE, weight: 'normal', anchor: 'start', fill: INK, ...more };
}

export function group(marks: Mark[], more: Partial<Omit<GroupMark, 'kind' | 'marks'>> = {}): GroupMark {
  return { kind: 'group', ...more, marks };
}

/** A figure's heading: bold, top left. */
export function heading(s: string, x = 14): TextMark {
  return text(x, 20, s, { size: 14, weight: 'bold' });
}

/** A generous estimate of a text's width in DejaVu Sans, for laying out (not for placing glyphs). */
export function textWidth(s: string, size = DEFAULT_TEXT_SIZE, weight: 'normal' | 'bold' = 'normal'): number {
  return [...s].length * size * (weight === 'bold' ? 0.7 : 0.62);
}

/** Three significant digits, or an exponent for very small and very large values. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 0.01 && a < 1000 ? v.toPrecision(3) : v.toExponential(2);
}

/** Every mark of a figure, groups opened, depth first. */
export function* walkMarks(marks: readonly Mark[]): Generator<Mark> {
  for (const m of marks) {
    yield m;
    if (m.kind === 'group') yield* walkMarks(m.marks);
  }
}
