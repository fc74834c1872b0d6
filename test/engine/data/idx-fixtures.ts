// Small IDX files written on the fly, so the reader is tested on real files without shipping data.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function tempDir(prefix = 'sqs-idx-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function header(magic: number, dims: number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * dims.length);
  b.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  return b;
}

export function idxImagesBytes(pixels: Uint8Array, n: number, rows: number, cols: number, magic = 0x00000803): Buffer {
  return Buffer.concat([header(magic, [n, rows, cols]), pixels]);
}

export function idxLabelsBytes(labels: Uint8Array, magic = 0x00000801): Buffer {
  return Buffer.concat([header(magic, [labels.length]), labels]);
}

/** Writes `bytes` to `path` (plus `.gz`, gzipped, when asked); returns the path written. */
export function writeIdx(path: string, bytes: Uint8Array, gzip = false): string {
  const file = gzip ? path + '.gz' : path;
  writeFileSync(file, gzip ? gzipSync(bytes) : bytes);
  return file;
}

export interface Fixture {
  dir: string;
  rows: number;
  cols: number;
  trainPixels: Uint8Array;
  trainLabels: Uint8Array;
  testPixels: Uint8Array;
  testLabels: Uint8Array;
}

/** A deterministic pixel pattern that covers 0 and 255, so scaling is checked at both ends. */
function pixels(n: number, dim: number, offset: number): Uint8Array {
  const p = new Uint8Array(n * dim);
  for (let i = 0; i < p.length; i++) p[i] = (i * 37 + offset) % 256;
  p[0] = 0;
  p[p.length - 1] = 255;
  return p;
}

/** Four MNIST-layout IDX files in `dir` (a new temp dir unless given): 12 train and 5 test images of 4x4. */
export function writeIdxFolder(opts: { dir?: string; gzip?: boolean; trainN?: number; testN?: number } = {}): Fixture {
  const dir = opts.dir ?? tempDir();
  const rows = 4;
  const cols = 4;
  const trainN = opts.trainN ?? 12;
  const testN = opts.testN ?? 5;
  const f: Fixture = {
    dir,
    rows,
    cols,
    trainPixels: pixels(trainN, rows * cols, 1),
    trainLabels: Uint8Array.from({ length: trainN }, (_, i) => i % 10),
    testPixels: pixels(testN, rows * cols, 2),
    testLabels: Uint8Array.from({ length: testN }, (_, i) => (i * 3) % 10),
  };
  const gz = opts.gzip ?? false;
  writeIdx(join(dir, 'train-images-idx3-ubyte'), idxImagesBytes(f.trainPixels, trainN, rows, cols), gz);
  writeIdx(join(dir, 'train-labels-idx1-ubyte'), idxLabelsBytes(f.trainLabels), gz);
  writeIdx(join(dir, 't10k-images-idx3-ubyte'), idxImagesBytes(f.testPixels, testN, rows, cols), gz);
  writeIdx(join(dir, 't10k-labels-idx1-ubyte'), idxLabelsBytes(f.testLabels), gz);
  return f;
}
