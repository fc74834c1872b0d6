// IDX reader (the LeCun MNIST format): big-endian header, unsigned-byte payload, raw or gzipped.
// Every defect becomes a DatasetError that names the file, so a user with a broken download
// learns which file to replace instead of seeing NaNs or a crash deep inside training.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError, type Split } from './dataset';

export const IDX_IMAGES_MAGIC = 0x00000803; // unsigned byte, 3 dims
export const IDX_LABELS_MAGIC = 0x00000801; // unsigned byte, 1 dim

export interface IdxImages {
  file: string;
  n: number;
  rows: number;
  cols: number;
  pixels: Uint8Array; // [n, rows*cols]
}

export interface IdxLabels {
  file: string;
  n: number;
  labels: Uint8Array;
}

const hex = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

/** IDX files start with 00 00, so the gzip signature 1f 8b cannot be mistaken for one. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzipped bytes; passes raw IDX bytes through unchanged. */
export function decodeIdxBytes(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new DatasetError(`${file}: corrupt gzip data (${(e as Error).message})`);
  }
}

/** Reads a file and returns its IDX content (gunzipped when needed). */
export function readIdxFile(file: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DatasetError(`${file}: cannot read file (${code ?? (e as Error).message})`);
  }
  return decodeIdxBytes(bytes, file);
}

/** Checks magic and header size, returns the dimensions. */
function readHeader(bytes: Uint8Array, file: string, magic: number, what: string): number[] {
  const ndim = magic & 0xff;
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < 4) {
    throw new DatasetError(`${file}: truncated header: expected at least ${headerBytes} bytes, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    throw new DatasetError(`${file}: wrong magic number ${hex(found)}, expected ${hex(magic)} (${what})`);
  }
  if (bytes.length < headerBytes) {
    throw new DatasetError(`${file}: truncated header: expected at least ${headerBytes} bytes, found ${bytes.length}`);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  return dims;
}

function checkLength(bytes: Uint8Array, file: string, expected: number): void {
  if (bytes.length < expected) {
    throw new DatasetError(`${file}: truncated data: expected ${expected} bytes, found ${bytes.length}`);
  }
  if (bytes.length > expected) {
    throw new DatasetError(`${file}: unexpected trailing data: expected ${expected} bytes, found ${bytes.length}`);
  }
}

export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  const [n, rows, cols] = readHeader(bytes, file, IDX_IMAGES_MAGIC, 'IDX images: unsigned byte, 3 dims');
  if (rows === 0 || cols === 0) throw new DatasetError(`${file}: empty image size ${rows}x${cols}`);
  checkLength(bytes, file, 16 + n * rows * cols);
  return { file, n, rows, cols, pixels: bytes.subarray(16) };
}

export function parseIdxLabels(bytes: Uint8Array, file: string, classes = 10): IdxLabels {
  const [n] = readHeader(bytes, file, IDX_LABELS_MAGIC, 'IDX labels: unsigned byte, 1 dim');
  checkLength(bytes, file, 8 + n);
  const labels = bytes.subarray(8);
  for (let i = 0; i < n; i++) {
    if (labels[i] >= classes) {
      throw new DatasetError(
        `${file}: label ${labels[i]} at index ${i} is out of range (expected 0..${classes - 1} for ${classes} classes)`,
      );
    }
  }
  return { file, n, labels };
}

export function checkIdxPair(images: IdxImages, labels: IdxLabels): void {
  if (images.n !== labels.n) {
    throw new DatasetError(
      `image and label counts differ: ${images.file} has ${images.n} images but ${labels.file} has ${labels.n} labels`,
    );
  }
}

export function checkSameImageSize(train: IdxImages, test: IdxImages): void {
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new DatasetError(
      `train and test image sizes differ: ${train.file} has ${train.rows}x${train.cols} images ` +
        `but ${test.file} has ${test.rows}x${test.cols}`,
    );
  }
}

const SCALE = new Float32Array(256).map((_, i) => i / 255);

/** Copies the bytes out (the IDX buffer may be large and is not kept) and scales pixels to [0, 1]. */
export function toSplit(images: IdxImages, labels: IdxLabels): Split {
  checkIdxPair(images, labels);
  const x = new Float32Array(images.pixels.length);
  for (let i = 0; i < x.length; i++) x[i] = SCALE[images.pixels[i]];
  return { x, y: Uint8Array.from(labels.labels), n: images.n };
}
