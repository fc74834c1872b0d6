// Images as canvas pixels: a feature (Eᵀv) through the diverging colour map on its own symmetric
// range ±range, exactly as the exported figures colour it, and a test input in greyscale.
import { divergingRgb } from '../../../../src-main/common/colormap';
import { heatmapRange } from '../../../../src-main/common/figures/images';

/** RGBA bytes of a heatmap: each value over its range (as the figures take it) through divergingRgb (0 → white), opaque. */
export function heatmapRgba(values: ArrayLike<number>, range: number, out = new Uint8ClampedArray(values.length * 4)): Uint8ClampedArray {
  const half = heatmapRange(values, range);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = divergingRgb(half > 0 ? values[i] / half : 0);
    out[4 * i] = r;
    out[4 * i + 1] = g;
    out[4 * i + 2] = b;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** RGBA bytes of an input in [0, 1]: ink dark on white paper (1 → black, 0 → white), clamped. */
export function greyRgba(values: ArrayLike<number>, out = new Uint8ClampedArray(values.length * 4)): Uint8ClampedArray {
  for (let i = 0; i < values.length; i++) {
    const v = Number.isFinite(values[i]) ? Math.max(0, Math.min(1, values[i])) : 0;
    const grey = Math.round(255 * (1 - v));
    out[4 * i] = grey;
    out[4 * i + 1] = grey;
    out[4 * i + 2] = grey;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** Paints RGBA bytes of a rows×cols image into a canvas of that size (CSS scales it up). */
export function paint(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, rows: number, cols: number): void {
  if (canvas.width !== cols) canvas.width = cols;
  if (canvas.height !== rows) canvas.height = rows;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = new ImageData(cols, rows);
  image.data.set(rgba.subarray(0, rows * cols * 4));
  ctx.putImageData(image, 0, 0);
}
