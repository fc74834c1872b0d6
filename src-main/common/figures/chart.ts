// The frame every chart shares: a heading (title and note, left out when the caption belongs to
// the paper), a legend under it, margins measured from the labels they hold, and two axes whose
// lines are drawn last and whose data area is inset, so no bar, line or marker covers an axis.
import { group, line, MUTED, text, type Mark, type TextMark } from './figure';
import type { LegendItem } from './legend';
import { legend } from './legend';
import type { FigureStyle } from './style';
import { textWidth, wrapText } from './text-metrics';
import type { Tick } from './ticks';

const AXIS_INK = '#222222';

/** A title (bold, wrapped to the width) and a note under it; nothing when the style has no title. */
export function headingBlock(style: FigureStyle, title: string, note?: string): { marks: TextMark[]; height: number } {
  if (!style.title) return { marks: [], height: 0 };
  const { font, pad } = style;
  const lines = wrapText(title, style.width - 2 * pad, font.title, 'bold');
  const marks = lines.map((s, i) => text(pad, pad + font.title * (0.92 + 1.2 * i), s, { size: font.title, weight: 'bold' }));
  let height = font.title * 1.2 * lines.length;
  // a long note (a caveat) wraps like the title
  for (const s of note ? wrapText(note, style.width - 2 * pad, font.note) : []) {
    marks.push(text(pad, pad + height + font.note * 1.05, s, { size: font.note, fill: MUTED }));
    height += font.note * 1.35;
  }
  return { marks, height: height + font.note * 0.5 };
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface AxisSpec {
  domain: [number, number];
  ticks: Tick[];
  label: string;
}

export interface FrameInput {
  style: FigureStyle;
  title: string;
  note?: string;
  legend?: LegendItem[];
  x: AxisSpec;
  y: AxisSpec;
  /** room to the right of the plot, px (a reference line's label) */
  right?: number;
  /** the data area's inset from the axes, px */
  inset?: { x: number; y: number };
}

export interface Frame {
  width: number;
  height: number;
  box: Box;
  /** value → px */
  x: (v: number) => number;
  y: (v: number) => number;
  /** the heading and the legend: draw first */
  head: Mark[];
  /** the axes, their ticks and labels: draw after the data */
  axes: Mark[];
}

/** The plot box, scales and axis marks of a chart of `style.width`, its height following from its plot's aspect. */
export function chartFrame(o: FrameInput): Frame {
  const { style } = o;
  const { font, pad, tick } = style;
  const width = style.width;
  const heading = headingBlock(style, o.title, o.note);
  const head: Mark[] = [...heading.marks];
  let top = pad + heading.height;
  if (o.legend && o.legend.length > 0) {
    const l = legend(o.legend, pad, top, width - 2 * pad, style);
    head.push(...l.marks);
    top += l.height + font.tick * 0.4;
  }
  top += font.tick * 0.6; // the top tick label stands half above its tick
  const yLabelsWidth = Math.max(0, ...o.y.ticks.map((t) => textWidth(t.label, font.tick)));
  const left = pad + font.label * 1.25 + font.tick * 0.5 + yLabelsWidth + 3 + tick;
  const lastX = o.x.ticks.at(-1)?.label ?? '';
  const right = Math.max(pad, (o.right ?? 0) + pad / 2, textWidth(lastX, font.tick) / 2 + 2);
  const w = Math.max(40, width - left - right);
  const h = Math.round(Math.max(style.plot.min, Math.min(style.plot.max, w * style.plot.aspect)));
  const box = { x: left, y: top, w, h };
  const height = Math.ceil(top + h + tick + 3 + font.tick * 1.05 + font.label * 1.35 + pad);
  const a = plotAxes(box, o.x, o.y, style, o.inset);
  return { width, height, box, x: a.x, y: a.y, head, axes: a.marks };
}

/**
 * Scales from the axes' domains onto `box` (inset from its edges by `inset` px) and the axes' marks:
 * ticks outward with their labels, the two axis lines, and the axis titles.
 */
export function plotAxes(box: Box, xa: AxisSpec, ya: AxisSpec, style: FigureStyle, inset = { x: 0, y: 0 }): { x: (v: number) => number; y: (v: number) => number; marks: Mark[] } {
  const scale = (d: [number, number], from: number, to: number) => (v: number) => from + ((v - d[0]) / (d[1] - d[0] || 1)) * (to - from);
  const x = scale(xa.domain, box.x + inset.x, box.x + box.w - inset.x);
  const y = scale(ya.domain, box.y + box.h - inset.y, box.y + inset.y);
  const { font, tick, line: lw } = style;
  const bottom = box.y + box.h;
  const ticks: Mark[] = [];
  for (const t of xa.ticks) {
    ticks.push(line(x(t.at), bottom, x(t.at), bottom + tick, AXIS_INK, { width: lw.axis }));
    ticks.push(text(x(t.at), bottom + tick + 2 + font.tick * 0.8, t.label, { anchor: 'middle', size: font.tick }));
  }
  for (const t of ya.ticks) {
    ticks.push(line(box.x - tick, y(t.at), box.x, y(t.at), AXIS_INK, { width: lw.axis }));
    ticks.push(text(box.x - tick - 3, y(t.at) + font.tick * 0.35, t.label, { anchor: 'end', size: font.tick }));
  }
  const yLabelsWidth = Math.max(0, ...ya.ticks.map((t) => textWidth(t.label, font.tick)));
  const half = lw.axis / 2; // the two lines meet in a square corner
  const marks: Mark[] = [
    group(ticks, { className: 'ticks' }),
    group([line(box.x - half, bottom, box.x + box.w, bottom, AXIS_INK, { width: lw.axis }), line(box.x, box.y, box.x, bottom + half, AXIS_INK, { width: lw.axis })], { className: 'axes' }),
    text(box.x + box.w / 2, bottom + tick + 3 + font.tick * 1.05 + font.label * 1.0, xa.label, { anchor: 'middle', size: font.label }),
    text(box.x - tick - 3 - yLabelsWidth - font.tick * 0.5 - font.label * 0.25, box.y + box.h / 2, ya.label, { anchor: 'middle', size: font.label, rotate: -90 }),
  ];
  return { x, y, marks };
}
