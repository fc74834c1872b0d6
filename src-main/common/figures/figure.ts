// One retained description of a figure, drawn once by the figure builders and written out by each
// serialiser (SVG, PDF, PNG) and drawn on screen by the renderer: a page size in CSS pixels (96 per
// inch), a title, the provenance it carries, and a list of simple marks. Nothing here knows a file
// format or a DOM.

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
  /** shown on hover */
  title?: string;
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
  className?: string;
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

/** Marks drawn together: a class name and data attributes for readers of the SVG (and for the
 * screen, which makes a group with data a thing to click), a title shown on hover, an optional
 * translate-then-scale, and crisp edges for images made of cells. */
export interface GroupMark {
  kind: 'group';
  className?: string;
  data?: Record<string, string | number>;
  title?: string;
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

/** The font every figure is set in (embedded in PDF and PNG), then what a viewer without it has. */
export const FONT_FAMILY = 'DejaVu Sans';
export const FONT_STACK = `'${FONT_FAMILY}', Helvetica, Arial, sans-serif`;
export const DEFAULT_TEXT_SIZE = 11;
export const INK = '#000000';
export const FRAME = '#888888';
export const MUTED = '#555555';

/** Okabe & Ito's colours, told apart with every kind of colour blindness: black, orange, sky blue,
 * bluish green, yellow, blue, vermillion, reddish purple. */
export const OKABE_ITO = ['#000000', '#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7'] as const;

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

/** Every mark of a figure, groups opened, depth first. */
export function* walkMarks(marks: readonly Mark[]): Generator<Mark> {
  for (const m of marks) {
    yield m;
    if (m.kind === 'group') yield* walkMarks(m.marks);
  }
}

/** The figure scaled as a whole to `width` px (its text with it), for layouts drawn at one size only. */
export function scaledTo(fig: Figure, width: number): Figure {
  if (Math.abs(width - fig.width) < 0.5) return fig;
  const s = width / fig.width;
  return { ...fig, width, height: Math.ceil(fig.height * s), marks: [group(fig.marks, { scale: s })] };
}
