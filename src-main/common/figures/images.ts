// Images made of cells: an eigenvector (Eᵀv) on the diverging map centred at 0 with its own
// symmetric range, an input in greyscale, an eigenvector as a captioned tile, and the colour bar
// that says what the map's ends mean. The screen's canvases colour their pixels the same way.
import { divergingColor } from '../colormap';
import type { AtlasFeature } from '../../engine/analysis/atlas-types';
import { formatNumber } from '../number-format';
import { featureLabel } from './common';
import { FRAME, group, MUTED, rect, text, type GroupMark, type Mark } from './figure';
import type { FigureStyle } from './style';
import { wrapText } from './text-metrics';

/** One image as rows of rects, horizontal runs of one colour merged; cells are `cell` px wide. */
export function cellImage(values: ArrayLike<number>, shape: readonly [number, number], x: number, y: number, cell: number, color: (v: number) => string, frameWidth = 1): GroupMark {
  const [rows, cols] = shape;
  if (values.length !== rows * cols) throw new Error(`cellImage: ${values.length} values do not make a ${rows}×${cols} image`);
  const fills = Array.from({ length: rows * cols }, (_, i) => color(values[i]));
  const marks: Mark[] = [];
  for (let r = 0; r < rows; r++) {
    let c = 0;
    while (c < cols) {
      const fill = fills[r * cols + c];
      let end = c + 1;
      while (end < cols && fills[r * cols + end] === fill) end++;
      marks.push(rect(c, r, end - c, 1, fill));
      c = end;
    }
  }
  marks.push(rect(0, 0, cols, rows, null, { stroke: FRAME, strokeWidth: frameWidth / cell, className: 'frame' }));
  return group(marks, { translate: [x, y], scale: cell, crisp: true });
}

/** The half-range an eigenvector image is drawn on: its own, or its largest |value| when it has none. */
export function heatmapRange(vector: ArrayLike<number>, range: number): number {
  if (Number.isFinite(range) && range > 0) return range;
  let r = 0;
  for (let i = 0; i < vector.length; i++) if (Number.isFinite(vector[i])) r = Math.max(r, Math.abs(vector[i]));
  return r;
}

/** An eigenvector on the diverging map centred at 0, on its own symmetric range ±range. */
export function heatmap(vector: ArrayLike<number>, range: number, shape: readonly [number, number], x: number, y: number, cell: number, frameWidth = 1): GroupMark {
  const r = heatmapRange(vector, range);
  return cellImage(vector, shape, x, y, cell, (v) => divergingColor(r > 0 ? v / r : 0), frameWidth);
}

/** Greyscale 0..1: 0 white, 1 black. */
export function greyColor(p: number): string {
  const v = Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : 0;
  const g = Math.round(255 * (1 - v))
    .toString(16)
    .padStart(2, '0');
  return `#${g}${g}${g}`;
}

export function greyImage(pixels: ArrayLike<number>, shape: readonly [number, number], x: number, y: number, cell: number): GroupMark {
  return cellImage(pixels, shape, x, y, cell, greyColor);
}

/** The image shape of a run's inputs: the atlas's, else the square that fits `n` values. */
export function shapeOf(n: number, given?: readonly [number, number]): [number, number] {
  if (given && given[0] * given[1] === n) return [given[0], given[1]];
  const side = Math.round(Math.sqrt(n));
  if (side * side !== n) throw new Error(`inputs of ${n} values are not square images; only image runs can be drawn`);
  return [side, side];
}

export interface TileText {
  /** above the image (e.g. its rank) */
  caption?: string;
  /** a second line under λ */
  below?: string;
}

/** The room a tile's text takes above and below its image, px. */
export function tileMargins(style: FigureStyle, t: TileText): { above: number; below: number } {
  const { font } = style;
  return { above: t.caption ? font.note * 1.25 : 0, below: font.label * 1.3 + (t.below ? font.note * 1.2 : 0) };
}

/**
 * One eigenvector as a tile: a caption above, the heatmap in a group that names its rank, λ and
 * range (and says so on hover), λ and a second line below. (x, y) is the image's top left.
 */
export function featureTile(f: AtlasFeature, shape: readonly [number, number], x: number, y: number, cell: number, style: FigureStyle, t: TileText = {}): Mark[] {
  const { font } = style;
  const w = shape[1] * cell;
  const h = shape[0] * cell;
  const map = heatmap(f.vector, f.range, shape, x, y, cell, style.line.thin);
  const marks: Mark[] = [
    ...(t.caption ? [text(x, y - font.note * 0.35, t.caption, { size: font.note, fill: MUTED })] : []),
    group([map], { className: 'eigenvector', data: { rank: f.rank, eigenvalue: f.eigenvalue, range: f.range }, title: featureLabel(f.class, f.rank, f.eigenvalue) }),
    text(x + w / 2, y + h + font.label * 1.1, `λ = ${formatNumber(f.eigenvalue)}`, { anchor: 'middle', size: font.label }),
  ];
  if (t.below) marks.push(text(x + w / 2, y + h + font.label * 1.3 + font.note * 1.0, t.below, { anchor: 'middle', fill: MUTED, size: font.note }));
  return marks;
}

/**
 * The diverging map from −1 to +1 as 64 steps, its ends and middle labelled with what they are
 * (the image's most negative and most positive value of Eᵀv, and 0), and a line saying that each
 * image has its own range. Returns its marks and height.
 */
export function colorBar(x: number, y: number, width: number, style: FigureStyle, noteWidth = width): { marks: Mark[]; height: number } {
  const { font } = style;
  const steps = 64;
  const barH = Math.max(6, font.tick * 0.9);
  const cells: Mark[] = [];
  for (let i = 0; i < steps; i++) {
    const t = -1 + (2 * (i + 0.5)) / steps;
    cells.push(rect(x + (i * width) / steps, y, width / steps + 0.01, barH, divergingColor(t)));
  }
  cells.push(rect(x, y, width, barH, null, { stroke: FRAME, strokeWidth: style.line.thin }));
  const labelY = y + barH + font.tick * 1.05;
  const notes = wrapText('each image scaled to its own largest |Eᵀv|', Math.max(width, noteWidth), font.note);
  const noteY = labelY + font.note * 1.3;
  return {
    marks: [
      group(
        [
          group(cells, { crisp: true }),
          text(x, labelY, '−max |Eᵀv|', { size: font.tick }),
          text(x + width / 2, labelY, '0', { anchor: 'middle', size: font.tick }),
          text(x + width, labelY, '+max |Eᵀv|', { anchor: 'end', size: font.tick }),
          ...notes.map((s, i) => text(x, noteY + i * font.note * 1.2, s, { size: font.note, fill: MUTED })),
        ],
        { className: 'colour-bar' },
      ),
    ],
    height: noteY - y + (notes.length - 1) * font.note * 1.2 + font.note * 0.3,
  };
}
