// Heatmap and greyscale pixels: every value goes through the same diverging colour map as the
// exported figures (value / range, white at 0), and an input reads as dark ink on white.
import { describe, expect, it } from 'vitest';
import { divergingRgb, NEGATIVE_RGB, POSITIVE_RGB } from '../../../src-main/common/colormap';
import { greyRgba, heatmapRgba } from '../../../src-renderer/src/lib/atlas/pixels';
import { bytesOfBase64 } from '../../../src-renderer/src/lib/atlas/download';

const pixel = (rgba: Uint8ClampedArray, i: number) => [...rgba.subarray(4 * i, 4 * i + 4)];

describe('heatmap pixels', () => {
  it('map each value over its symmetric range through divergingRgb, opaque', () => {
    const values = [-2, -1, -0.3, 0, 0.25, 1.7, 2];
    const rgba = heatmapRgba(values, 2);
    expect(rgba.length).toBe(4 * values.length);
    values.forEach((v, i) => expect(pixel(rgba, i)).toEqual([...divergingRgb(v / 2), 255]));
    expect(pixel(rgba, 0)).toEqual([...NEGATIVE_RGB, 255]);
    expect(pixel(rgba, 3)).toEqual([255, 255, 255, 255]);
    expect(pixel(rgba, 6)).toEqual([...POSITIVE_RGB, 255]);
  });

  it('agree with divergingRgb on many random values, and clamp beyond the range', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const values = Array.from({ length: 784 }, rand);
    const range = Math.max(...values.map(Math.abs));
    const rgba = heatmapRgba(values, range);
    values.forEach((v, i) => expect(pixel(rgba, i).slice(0, 3)).toEqual(divergingRgb(v / range)));
    expect(pixel(heatmapRgba([5], 1), 0)).toEqual([...POSITIVE_RGB, 255]);
  });

  it('draw an all-zero feature (range 0) white, and write into a given buffer', () => {
    const out = new Uint8ClampedArray(8);
    expect(heatmapRgba([0, 0], 0, out)).toBe(out);
    expect([...out]).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
  });
});

describe('greyscale pixels', () => {
  it('show 0 as white paper and 1 as black ink, clamped, non-finite as paper', () => {
    const rgba = greyRgba([0, 1, 0.5, -1, 2, Number.NaN]);
    expect([0, 1, 2, 3, 4, 5].map((i) => pixel(rgba, i))).toEqual([
      [255, 255, 255, 255],
      [0, 0, 0, 255],
      [128, 128, 128, 255],
      [255, 255, 255, 255],
      [0, 0, 0, 255],
      [255, 255, 255, 255],
    ]);
  });
});

describe('helpers', () => {
  it('decode base64 to the exact bytes', () => {
    const bytes = Uint8Array.from([0, 1, 2, 127, 128, 254, 255, 60, 115, 118, 103]);
    expect([...bytesOfBase64(Buffer.from(bytes).toString('base64'))]).toEqual([...bytes]);
    expect(new TextDecoder().decode(bytesOfBase64(btoa('<svg xmlns')))).toBe('<svg xmlns');
  });
});
