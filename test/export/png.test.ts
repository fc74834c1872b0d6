// Figures as PNG: the pixel size follows the DPI, pHYs records it, the provenance rides in an iTXt
// chunk, every CRC is right, and the text is drawn with the bundled font on any machine.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ExportError } from '../../src-main/export/errors';
import { spectrumChart, truncationFigure } from '../../src-main/common/figures';
import { checkDpi, greyPng, pngSize, readChunks, toPng } from '../../src-main/export/png';
import { renderFigure } from '../../src-main/export/render';
import { PROVENANCE, syntheticAtlas } from './fixtures';

function ihdr(png: Uint8Array): { width: number; height: number; depth: number; colour: number } {
  const c = readChunks(png)[0];
  expect(c.type).toBe('IHDR');
  const v = new DataView(c.data.buffer, c.data.byteOffset, c.data.byteLength);
  return { width: v.getUint32(0), height: v.getUint32(4), depth: c.data[8], colour: c.data[9] };
}

function itxt(png: Uint8Array, keyword: string): string | undefined {
  for (const c of readChunks(png)) {
    if (c.type !== 'iTXt') continue;
    const data = Buffer.from(c.data);
    const end = data.indexOf(0);
    if (data.subarray(0, end).toString('latin1') !== keyword) continue;
    expect([data[end + 1], data[end + 2]]).toEqual([0, 0]); // not compressed
    let at = data.indexOf(0, end + 3); // language tag
    at = data.indexOf(0, at + 1); // translated keyword
    return data.subarray(at + 1).toString('utf8');
  }
  return undefined;
}

// a figure of 5 × 3.25 in, so that every size below is a whole number of pixels or a known rounding
const fig = { ...spectrumChart({ values: [3, -2, 1], title: 'spectrum λ', provenance: PROVENANCE }), width: 480, height: 312 };

describe('PNG export', () => {
  it('is width × dpi/96 by height × dpi/96 pixels, with pHYs = the DPI and valid CRCs', async () => {
    expect([fig.width, fig.height]).toEqual([480, 312]);
    for (const [dpi, w, h] of [
      [96, 480, 312],
      [300, 1500, 975],
      [72, 360, 234],
      [150, 750, 488], // 487.5 rounds up
    ] as const) {
      expect(pngSize(fig, dpi)).toEqual({ width: w, height: h });
      const png = await toPng(fig, dpi);
      expect(ihdr(png)).toMatchObject({ width: w, height: h, depth: 8 });
      const chunks = readChunks(png);
      expect(chunks.every((c) => c.crcOk), chunks.filter((c) => !c.crcOk).map((c) => c.type).join()).toBe(true);
      expect(chunks.at(-1)!.type).toBe('IEND');
      const phys = chunks.filter((c) => c.type === 'pHYs');
      expect(phys).toHaveLength(1);
      const v = new DataView(phys[0].data.buffer, phys[0].data.byteOffset, 9);
      expect(v.getUint32(0)).toBe(Math.round(dpi / 0.0254));
      expect(v.getUint32(4)).toBe(Math.round(dpi / 0.0254));
      expect(phys[0].data[8]).toBe(1); // metre
      expect(Math.round(v.getUint32(0) * 0.0254)).toBe(dpi);
      // pHYs before the image data
      expect(chunks.findIndex((c) => c.type === 'pHYs')).toBeLessThan(chunks.findIndex((c) => c.type === 'IDAT'));
    }
  });

  it('carries the provenance, the title and the app in iTXt chunks', async () => {
    const png = await toPng(fig, 96);
    expect(JSON.parse(itxt(png, 'provenance')!)).toEqual(PROVENANCE);
    expect(itxt(png, 'Title')).toBe('spectrum λ');
    expect(itxt(png, 'Software')).toBe('SQS Workbench 9.9.9');
  });

  it('draws text with the bundled font: the same bytes each time, text pixels where the title is', async () => {
    const atlas = syntheticAtlas(2, 2);
    const t = truncationFigure(atlas, {}, PROVENANCE);
    const a = await renderFigure(t, 'png', { dpi: 96 });
    const b = await renderFigure(t, 'png', { dpi: 96 });
    expect(a.mime).toBe('image/png');
    expect(a.extension).toBe('png');
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    // decode the image: RGBA, 8 bits; the title's band (y 6..22) has dark pixels, the margin right of it none
    const { width, height, colour } = ihdr(a.bytes);
    expect(colour).toBe(6);
    const raw = inflateSync(Buffer.concat(readChunks(a.bytes).filter((c) => c.type === 'IDAT').map((c) => Buffer.from(c.data))));
    const stride = width * 4 + 1;
    expect(raw.length).toBe(stride * height);
    const rows = unfilter(raw, width, height);
    const dark = (x0: number, x1: number, y0: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (rows[y][x * 4] < 100) n++;
      return n;
    };
    expect(dark(14, 200, 6, 22)).toBeGreaterThan(100);
    expect(dark(width - 20, width, 0, 30)).toBe(0);
  });

  it('refuses a DPI outside 36..1200', async () => {
    expect(checkDpi(36)).toBe(36);
    expect(checkDpi(1200)).toBe(1200);
    for (const bad of [35, 1201, 0, -1, 150.5, Number.NaN]) expect(() => checkDpi(bad)).toThrow(ExportError);
    await expect(renderFigure(fig, 'png', { dpi: 20 })).rejects.toThrow(/dpi must be an integer from 36 to 1200, got 20/);
  });

  it('greyPng: a one-pixel-per-value greyscale image, 0 white and 1 black', () => {
    const png = greyPng([0, 1, 0.5, 0, 0, 0], [2, 3]);
    expect(ihdr(png)).toEqual({ width: 3, height: 2, depth: 8, colour: 0 });
    expect(readChunks(png).every((c) => c.crcOk)).toBe(true);
    const raw = inflateSync(Buffer.from(readChunks(png).find((c) => c.type === 'IDAT')!.data));
    expect([...raw]).toEqual([0, 255, 0, 128, 0, 255, 255, 255]);
  });
});

/** Undoes PNG row filters (types 0–4) of an 8-bit RGBA image. */
function unfilter(raw: Buffer, width: number, height: number): Uint8Array[] {
  const bpp = 4;
  const stride = width * bpp;
  const rows: Uint8Array[] = [];
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)];
    const line = new Uint8Array(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    const prev = y > 0 ? rows[y - 1] : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      line[i] = (line[i] + [0, a, b, (a + b) >> 1, paeth][type]) & 255;
    }
    rows.push(line);
  }
  return rows;
}
