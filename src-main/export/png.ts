// Figures as PNG at a chosen resolution: the figure's SVG rendered by resvg with DejaVu Sans loaded
// from its files (no system fonts, so every machine draws the same pixels), then a pHYs chunk that
// records the DPI and an iTXt chunk that carries the provenance.
import { renderAsync } from '@resvg/resvg-js';
import { crc32, deflateSync } from 'node:zlib';
import { ExportError } from './errors';
import { DPI } from '../common/formats';
import type { Figure } from '../common/figures/figure';
import { FONT_FAMILY, fontFiles } from './fonts';
import { toSvg } from './svg';

export const { default: DEFAULT_DPI, min: MIN_DPI, max: MAX_DPI } = DPI;
const CSS_DPI = 96;

export function checkDpi(dpi: number): number {
  if (!Number.isInteger(dpi) || dpi < MIN_DPI || dpi > MAX_DPI) throw new ExportError(`dpi must be an integer from ${MIN_DPI} to ${MAX_DPI}, got ${dpi}`);
  return dpi;
}

/** The pixel size of a figure at `dpi`: its CSS size scaled by dpi/96, rounded. */
export function pngSize(fig: Pick<Figure, 'width' | 'height'>, dpi: number): { width: number; height: number } {
  return { width: Math.max(1, Math.round((fig.width * dpi) / CSS_DPI)), height: Math.max(1, Math.round((fig.height * dpi) / CSS_DPI)) };
}

export async function toPng(fig: Figure, dpi: number = DEFAULT_DPI): Promise<Uint8Array> {
  checkDpi(dpi);
  const size = pngSize(fig, dpi);
  const fonts = fontFiles();
  const image = await renderAsync(toSvg(fig, { pixels: size }), {
    fitTo: { mode: 'original' },
    background: '#ffffff',
    font: { loadSystemFonts: false, fontFiles: [fonts.regular, fonts.bold], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    logLevel: 'off',
  });
  if (image.width !== size.width || image.height !== size.height) {
    throw new Error(`toPng: rendered ${image.width}×${image.height}, expected ${size.width}×${size.height}`);
  }
  return withChunks(image.asPng(), [physChunk(dpi), itxtChunk('provenance', JSON.stringify(fig.provenance)), itxtChunk('Title', fig.title), itxtChunk('Software', `SQS Workbench ${fig.provenance.app_version}`)]);
}

/** A small greyscale image (0 → white, 1 → black) as an 8-bit greyscale PNG, one pixel per value. */
export function greyPng(pixels: ArrayLike<number>, shape: [number, number]): Uint8Array {
  const [rows, cols] = shape;
  if (pixels.length !== rows * cols) throw new Error(`greyPng: ${pixels.length} values do not make a ${rows}×${cols} image`);
  const raw = new Uint8Array(rows * (cols + 1)); // each row: filter type 0, then its bytes
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = pixels[r * cols + c];
      raw[r * (cols + 1) + 1 + c] = Math.round(255 * (1 - (Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0)));
    }
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, cols);
  view.setUint32(4, rows);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, greyscale, deflate, adaptive filtering, no interlace
  return new Uint8Array(Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]));
}

// ---------------------------------------------------------------- PNG chunks

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export interface PngChunk {
  type: string;
  data: Uint8Array;
  /** the stored CRC, and whether it matches type and data */
  crc: number;
  crcOk: boolean;
}

export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, 'latin1'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** pHYs: pixels per metre in x and y, unit metre. */
export function physChunk(dpi: number): Uint8Array {
  const data = new Uint8Array(9);
  const view = new DataView(data.buffer);
  const ppm = Math.round(dpi / 0.0254);
  view.setUint32(0, ppm);
  view.setUint32(4, ppm);
  data[8] = 1;
  return chunk('pHYs', data);
}

/** iTXt, uncompressed UTF-8: keyword, 0, flag 0, method 0, no language tag, no translation, text. */
export function itxtChunk(keyword: string, value: string): Uint8Array {
  const key = Buffer.from(keyword, 'latin1');
  const text = Buffer.from(value, 'utf8');
  const data = new Uint8Array(key.length + 5 + text.length);
  data.set(key, 0);
  // key.length: 0 (end of keyword), 0 (not compressed), 0 (method), 0 (empty language), 0 (empty translation)
  data.set(text, key.length + 5);
  return chunk('iTXt', data);
}

export function readChunks(png: Uint8Array): PngChunk[] {
  if (png.length < 8 || SIGNATURE.some((b, i) => png[i] !== b)) throw new Error('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: PngChunk[] = [];
  let at = 8;
  while (at + 12 <= png.length) {
    const length = view.getUint32(at);
    const type = Buffer.from(png.subarray(at + 4, at + 8)).toString('latin1');
    if (at + 12 + length > png.length) throw new Error(`PNG chunk ${type} runs past the end of the file`);
    const data = png.subarray(at + 8, at + 8 + length);
    const crc = view.getUint32(at + 8 + length);
    out.push({ type, data, crc, crcOk: crc32(png.subarray(at + 4, at + 8 + length)) === crc });
    at += 12 + length;
    if (type === 'IEND') break;
  }
  return out;
}

/** The PNG with `extra` chunks right after IHDR, any pHYs it had dropped. */
export function withChunks(png: Uint8Array, extra: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [SIGNATURE];
  for (const c of readChunks(png)) {
    if (c.type === 'pHYs') continue;
    parts.push(chunk(c.type, c.data));
    if (c.type === 'IHDR') parts.push(...extra);
  }
  return new Uint8Array(Buffer.concat(parts));
}
