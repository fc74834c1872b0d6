// The sizes a figure is drawn at. On screen: 640 px wide (narrower where the window is), text as
// the UI's; exported "as on screen" at that width. For a
// paper: one column (3.25 in) or the text width (6.75 in), text in points as journals ask (axis
// labels 8 pt, tick labels 7 pt), no line under 0.5 pt. Figures are laid out in CSS px (96/in).
import type { FigureSize } from '../formats';

export const PX_PER_IN = 96;
/** 1 pt = 1/72 in = 4/3 px */
export const PX_PER_PT = PX_PER_IN / 72;
const pt = (n: number) => n * PX_PER_PT;

export interface FigureStyle {
  size: FigureSize;
  /** the figure's width in px */
  width: number;
  /** whether the figure carries its title (a paper's caption replaces it) */
  title: boolean;
  /** text sizes in px */
  font: { title: number; label: number; tick: number; note: number };
  /** line widths in px: axes and frames, data lines, the thinnest (reference lines, ticks) */
  line: { axis: number; data: number; thin: number };
  /** length of a tick mark, px */
  tick: number;
  /** the margin around everything, px */
  pad: number;
  /** a chart's plot area: its height as a fraction of its width, within [min, max] px */
  plot: { aspect: number; min: number; max: number };
  /** the size an eigenvector image aims at, px */
  image: number;
}

const PAPER = {
  title: true,
  font: { title: pt(9), label: pt(8), tick: pt(7), note: pt(7) },
  line: { axis: pt(0.75), data: pt(1), thin: pt(0.5) },
  tick: pt(3),
  pad: pt(4),
};

export const FIGURE_STYLES: Record<FigureSize, FigureStyle> = {
  screen: {
    size: 'screen',
    width: 640,
    title: true,
    font: { title: 14, label: 11, tick: 10, note: 10 },
    line: { axis: 1, data: 1.5, thin: 1 },
    tick: 4,
    pad: 12,
    plot: { aspect: 0.45, min: 140, max: 220 },
    image: 84,
  },
  column: { size: 'column', width: 3.25 * PX_PER_IN, ...PAPER, plot: { aspect: 0.62, min: 120, max: 240 }, image: 72 },
  page: { size: 'page', width: 6.75 * PX_PER_IN, ...PAPER, plot: { aspect: 0.4, min: 160, max: 260 }, image: 84 },
};

export interface FigureOptions {
  /** default 'screen' */
  size?: FigureSize;
  /** default true */
  title?: boolean;
  /** a width in px other than the size's own (on screen: the width it is shown at) */
  width?: number;
}

export function figureStyle(o: FigureOptions = {}): FigureStyle {
  const base = FIGURE_STYLES[o.size ?? 'screen'];
  return { ...base, width: o.width !== undefined && o.width > 0 ? Math.round(o.width) : base.width, title: o.title ?? base.title };
}
