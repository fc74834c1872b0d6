// IDX reader (the LeCun MNIST format): big-endian header, unsigned-byte payload, raw or gzipped.
// Every defect becomes a DatasetError that names the file, so a user with a broken download
// learns which file to replace instead of seeing NaNs or a crash deep inside training.
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { byteSize, MAX_READ_BYTES, readRegularFileRange, statRegularFile, UnreadableFileError } from '../util/regular-file';
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

/** What each magic number means, for messages. */
const KINDS: Record<number, string> = {
  [IDX_IMAGES_MAGIC]: 'images (unsigned bytes, 3 dimensions)',
  [IDX_LABELS_MAGIC]: 'labels (unsigned bytes, 1 dimension)',
};

/** The largest IDX content read: what one buffer can hold. */
export const MAX_IDX_BYTES = MAX_READ_BYTES;

/** Compressed prefixes tried for the header: a gzip header with a long file name may come first. */
const GZIP_PREFIXES = [4096, 65536];

/** Decompresses as much of a gzip prefix as it holds (a cut stream is no error here). */
function gunzipPrefix(bytes: Uint8Array, file: string): Buffer {
  try {
    return gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch (e) {
    throw new DatasetError(`${file}: corrupt gzip data (${(e as Error).message})`);
  }
}

/** An IDX file whose header has been read and checked; its content not yet. */
interface IdxSource {
  file: string;
  /** on disk */
  size: number;
  gzip: boolean;
  dims: number[];
  /** the content's length, header included, as the header promises it */
  expected: number;
}

/**
 * Opens an IDX file of the kind `magic` names, raw or gzipped: only a regular file, its header read
 * (from a decompressed prefix for a gzip) and checked, and a raw file whose size is not what the
 * header promises refused before anything more is read.
 */
function openIdx(file: string, magic: number): IdxSource {
  let size: number;
  try {
    size = statRegularFile(file).size;
  } catch (e) {
    throw e instanceof UnreadableFileError ? new DatasetError(e.message) : e;
  }
  const headerBytes = 4 + 4 * (magic & 0xff);
  const head = readRange(file, 0, Math.min(size, GZIP_PREFIXES.at(-1)!));
  const gzip = isGzip(head);
  let header: Uint8Array = head;
  if (gzip) {
    for (const p of GZIP_PREFIXES) {
      header = gunzipPrefix(head.subarray(0, p), file);
      if (header.length >= headerBytes || p >= head.length) break;
    }
  }
  const dims = readHeader(header, file, magic, KINDS[magic]);
  const expected = dims.reduce((a, b) => a * b, 1) + headerBytes;
  if (expected > MAX_IDX_BYTES) {
    throw new DatasetError(`${file}: header promises ${dims.join('×')} = ${expected - headerBytes} bytes of data, more than the ${byteSize(MAX_IDX_BYTES)} an IDX file may hold`);
  }
  if (!gzip) checkLength(size, file, expected);
  else if (size > MAX_IDX_BYTES) throw new DatasetError(`${file}: ${byteSize(size)}, more than the ${byteSize(MAX_IDX_BYTES)} a gzipped IDX file may have`);
  return { file, size, gzip, dims, expected };
}

/** The dimensions an IDX file's header declares ([n, rows, cols] or [n]), read without its content. */
export function readIdxDims(file: string, magic: number): number[] {
  return openIdx(file, magic).dims;
}

/**
 * Reads an IDX file of the kind `magic` names, raw or gzipped, and returns its (decompressed)
 * content: the header first (see openIdx), then a raw file's bytes, or a gzip inflated with its
 * output capped at what the header promises, so a broken or hostile file cannot take more memory
 * than it claims.
 */
export function readIdxFile(file: string, magic: number): Uint8Array {
  const src = openIdx(file, magic);
  const bytes = readRange(file, 0, src.size);
  if (!src.gzip) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: src.expected });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DatasetError(`${file}: unexpected trailing data: decompresses to more than the ${src.expected} bytes its header promises`);
    }
    throw new DatasetError(`${file}: corrupt gzip data (${(e as Error).message})`);
  }
}

function readRange(file: string, position: number, length: number): Buffer {
  try {
    return readRegularFileRange(file, position, length);
  } catch (e) {
    throw e instanceof UnreadableFileError ? new DatasetError(e.message) : e;
  }
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
    // which kind of file was expected, never the bytes found: the path may name any file
    throw new DatasetError(`${file}: not an IDX file of ${what}: it does not start with the magic number ${hex(magic)}`);
  }
  if (bytes.length < headerBytes) {
    throw new DatasetError(`${file}: truncated header: expected at least ${headerBytes} bytes, found ${bytes.length}`);
  }
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  if (magic === IDX_IMAGES_MAGIC) checkImageSize(file, dims[1], dims[2]);
  return dims;
}

function checkLength(length: number, file: string, expected: number): void {
  if (length < expected) {
    throw new DatasetError(`${file}: truncated data: expected ${expected} bytes, found ${length}`);
  }
  if (length > expected) {
    throw new DatasetError(`${file}: unexpected trailing data: expected ${expected} bytes, found ${length}`);
  }
}

export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  const [n, rows, cols] = readHeader(bytes, file, IDX_IMAGES_MAGIC, KINDS[IDX_IMAGES_MAGIC]);
  checkLength(bytes.length, file, 16 + n * rows * cols);
  return { file, n, rows, cols, pixels: bytes.subarray(16) };
}

export function parseIdxLabels(bytes: Uint8Array, file: string, classes = 10): IdxLabels {
  const [n] = readHeader(bytes, file, IDX_LABELS_MAGIC, KINDS[IDX_LABELS_MAGIC]);
  checkLength(bytes.length, file, 8 + n);
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

function checkImageSize(file: string, rows: number, cols: number): void {
  if (rows === 0 || cols === 0) throw new DatasetError(`${file}: empty image size ${rows}x${cols}`);
}

type Counted = Pick<IdxImages, 'file' | 'n'>;
type Sized = Pick<IdxImages, 'file' | 'rows' | 'cols'>;

export function checkIdxPair(images: Counted, labels: Counted): void {
  if (images.n !== labels.n) {
    throw new DatasetError(
      `image and label counts differ: ${images.file} has ${images.n} images but ${labels.file} has ${labels.n} labels`,
    );
  }
}

export function checkSameImageSize(train: Sized, test: Sized): void {
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
