// Garbage in, one clear line out: generated sweeps of malformed IDX folders through the real
// command line (in-process), `train --dataset idx:<dir> --out`, and through the workspace
// (datasets.import, train.start). Every case: the exit code (or error code), one line naming the
// file and the problem, no stack, the folder unchanged and nothing written.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src-main/api/service';
import { ApiError } from '../../src-main/common/contract';
import { idxImagesBytes, idxLabelsBytes, writeIdxFolder, type Fixture } from '../engine/data/idx-fixtures';
import { tempDir } from '../helpers/cli';
import { expectOneLine, snapshot } from './harness';
import { escapeRegExp as re, runMain as cli } from './run-main';

const root = tempDir('sqs-faults-idx-');
let idx: Fixture;
let idxGz: Fixture;
let n = 0;

const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;
const IMAGES = new Set<string>([FILES[0], FILES[2]]);

beforeAll(() => {
  for (const d of ['idx', 'idx-gz']) mkdirSync(join(root, d));
  idx = writeIdxFolder({ dir: join(root, 'idx') });
  idxGz = writeIdxFolder({ dir: join(root, 'idx-gz'), gzip: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const copy = (src: string) => {
  const dir = join(root, `case-${n++}`);
  cpSync(src, dir, { recursive: true });
  return dir;
};

/** `train` on the IDX folder `dir` is refused with `message`; the folder is unchanged and no run folder is made. */
async function trainRefused(dir: string, message: RegExp, what: string): Promise<void> {
  const out = join(root, `out-${n++}`);
  const before = snapshot(dir);
  const r = await cli(['train', '--dataset', `idx:${dir}`, '--d', '2', '--h', '2', '--epochs', '1', '--out', out]);
  expectOneLine(r, 1, message);
  expect(snapshot(dir), what).toEqual(before);
  expect(existsSync(out), what).toBe(false);
}

describe('IDX files', () => {
  it.each(FILES)('every truncation of %s (raw)', async (name) => {
    const bytes = readFileSync(join(idx.dir, name));
    for (let len = 0; len < bytes.length; len++) {
      const dir = copy(idx.dir);
      writeFileSync(join(dir, name), bytes.subarray(0, len));
      await trainRefused(dir, new RegExp(`^${re(join(dir, name))}: truncated (header|data): expected (at least )?\\d+ bytes, found ${len}$`, 'm'), 'IDX truncation (raw)');
    }
  });

  it.each(FILES)('every truncation of %s.gz', async (name) => {
    const bytes = readFileSync(join(idxGz.dir, `${name}.gz`));
    for (let len = 0; len < bytes.length; len++) {
      const dir = copy(idxGz.dir);
      writeFileSync(join(dir, `${name}.gz`), bytes.subarray(0, len));
      await trainRefused(dir, new RegExp(`^${re(join(dir, `${name}.gz`))}: (truncated header|truncated data|corrupt gzip data)`, 'm'), 'IDX truncation (gzip)');
    }
  });

  it.each(FILES)('every bit of the magic number of %s flipped', async (name) => {
    const bytes = readFileSync(join(idx.dir, name));
    const expected = IMAGES.has(name) ? '0x00000803' : '0x00000801';
    for (let bit = 0; bit < 32; bit++) {
      const dir = copy(idx.dir);
      const b = Buffer.from(bytes);
      b[bit >> 3] ^= 1 << (bit & 7);
      writeFileSync(join(dir, name), b);
      await trainRefused(dir, new RegExp(`^${re(join(dir, name))}: not an IDX file of (images|labels) \\(unsigned bytes, [13] dimensions?\\): it does not start with the magic number ${expected}$`, 'm'), 'IDX magic');
    }
  });

  it('wrong dimensions in a header: counts and sizes that disagree with the file, zero, 2^32 − 1', async () => {
    const file = join(idx.dir, FILES[0]);
    const cases: [number, number, RegExp][] = [
      // [dimension index, value, message]
      [0, 13, /truncated data: expected 224 bytes, found 208/],
      [0, 11, /unexpected trailing data: expected 192 bytes, found 208/],
      [1, 5, /truncated data: expected 256 bytes, found 208/],
      [2, 3, /unexpected trailing data: expected 160 bytes, found 208/],
      [1, 0, /empty image size 0x4/],
      [2, 0, /empty image size 4x0/],
      [0, 0xffffffff, /header promises 4294967295×4×4 = \d+ bytes of data, more than the 2\.0 GiB an IDX file may hold/],
      [1, 0xffffffff, /header promises/],
    ];
    for (const [i, v, message] of cases) {
      const dir = copy(idx.dir);
      const b = Buffer.from(readFileSync(file));
      b.writeUInt32BE(v, 4 + 4 * i);
      writeFileSync(join(dir, FILES[0]), b);
      await trainRefused(dir, new RegExp(`^${re(join(dir, FILES[0]))}: ${message.source}`, 'm'), 'IDX dims');
    }
    for (const [v, message] of [[6, /truncated data: expected 14 bytes, found 13/], [4, /unexpected trailing data: expected 12 bytes, found 13/], [0xffffffff, /header promises/]] as const) {
      const dir = copy(idx.dir);
      const b = Buffer.from(readFileSync(join(idx.dir, FILES[3])));
      b.writeUInt32BE(v, 4);
      writeFileSync(join(dir, FILES[3]), b);
      await trainRefused(dir, new RegExp(`^${re(join(dir, FILES[3]))}: ${message.source}`, 'm'), 'IDX dims');
    }
  });

  it('counts and image sizes that disagree between files name both files', async () => {
    const cases: [string, Buffer, RegExp][] = [
      [FILES[1], idxLabelsBytes(idx.trainLabels.subarray(0, 11)), /image and label counts differ: .*train-images-idx3-ubyte has 12 images but .*train-labels-idx1-ubyte has 11 labels/],
      [FILES[3], idxLabelsBytes(Uint8Array.of(1, 2, 3, 4, 5, 6)), /image and label counts differ: .*t10k-images-idx3-ubyte has 5 images but .*t10k-labels-idx1-ubyte has 6 labels/],
      [FILES[0], idxImagesBytes(idx.trainPixels.subarray(0, 11 * 16), 11, 4, 4), /image and label counts differ: .*has 11 images but .*has 12 labels/],
      [FILES[2], idxImagesBytes(new Uint8Array(5 * 25), 5, 5, 5), /train and test image sizes differ: .*train-images-idx3-ubyte has 4x4 images but .*t10k-images-idx3-ubyte has 5x5/],
    ];
    for (const [name, bytes, message] of cases) {
      const dir = copy(idx.dir);
      writeFileSync(join(dir, name), bytes);
      await trainRefused(dir, message, 'IDX counts');
    }
  });

  it('every label out of range, at every index', async () => {
    for (const name of [FILES[1], FILES[3]]) {
      const labels = name === FILES[1] ? idx.trainLabels : idx.testLabels;
      for (let i = 0; i < labels.length; i++) {
        const dir = copy(idx.dir);
        const bad = Uint8Array.from(labels);
        bad[i] = i % 2 === 0 ? 10 : 255;
        writeFileSync(join(dir, name), idxLabelsBytes(bad));
        await trainRefused(dir, new RegExp(`^${re(join(dir, name))}: label ${bad[i]} at index ${i} is out of range \\(expected 0\\.\\.9 for 10 classes\\)`, 'm'), 'IDX labels');
      }
    }
  });

  it('an empty training or test split', async () => {
    for (const [opts, file, role] of [[{ trainN: 0 }, FILES[0], 'training'], [{ testN: 0 }, FILES[2], 'test']] as const) {
      const dir = join(root, `empty-${n++}`);
      mkdirSync(dir);
      writeIdxFolder({ dir, ...opts });
      await trainRefused(dir, new RegExp(`^${re(join(dir, file))}: holds 0 images; a dataset needs at least one ${role} example$`, 'm'), 'IDX empty split');
    }
  });

  it('files that are not regular files: a FIFO, a device, a link loop, a dangling link, a folder', async () => {
    for (const name of FILES) {
      const hazards: [string, (p: string) => void, RegExp][] = [
        ['FIFO', (p) => execFileSync('mkfifo', [p]), /a FIFO, not a regular file/],
        ['device', (p) => symlinkSync('/dev/zero', p), /a character device, not a regular file/],
        ['loop', (p) => symlinkSync(p, p), /a symbolic link loop/],
        ['dangling', (p) => symlinkSync(join(root, 'nowhere'), p), /a symbolic link to a missing file/],
        ['folder', (p) => mkdirSync(p), /a directory, not a regular file/],
      ];
      for (const [, make, message] of hazards) {
        const dir = copy(idx.dir);
        rmSync(join(dir, name));
        make(join(dir, name));
        await trainRefused(dir, new RegExp(`^${re(join(dir, name))}: ${message.source}$`, 'm'), 'IDX not a regular file');
      }
    }
  });

  it('a gzip that inflates beyond its header stops at the header\'s promise', async () => {
    const header = idxImagesBytes(new Uint8Array(0), 12, 4, 4);
    const cases: [Buffer, RegExp][] = [
      // 64 MiB of zeros in 64 KiB: refused after 208 bytes
      [gzipSync(Buffer.concat([header, Buffer.alloc(64 * 2 ** 20)])), /unexpected trailing data: decompresses to more than the 208 bytes its header promises/],
      [Buffer.concat([gzipSync(idxImagesBytes(idx.trainPixels, 12, 4, 4)), Buffer.from('garbage')]), /corrupt gzip data/],
      [gzipSync(idxImagesBytes(idx.trainPixels.subarray(0, 100), 12, 4, 4)), /truncated data: expected 208 bytes, found 116/],
    ];
    for (const [bytes, message] of cases) {
      const dir = copy(idxGz.dir);
      writeFileSync(join(dir, `${FILES[0]}.gz`), bytes);
      await trainRefused(dir, new RegExp(`^${re(join(dir, `${FILES[0]}.gz`))}: ${message.source}`, 'm'), 'IDX gzip size');
    }
  });

  it('the workspace refuses such folders before anything is recorded: datasets.import and train.start', async () => {
    const ws = join(root, 'ws');
    const service = createService({ workspaceDir: ws, dataRoots: 'any' }); // as the command line opens it
    try {
      const broken: [string, (dir: string) => void, RegExp][] = [
        ['FIFO', (d) => (rmSync(join(d, FILES[1])), execFileSync('mkfifo', [join(d, FILES[1])])), /a FIFO, not a regular file/],
        ['loop', (d) => (rmSync(join(d, FILES[0])), symlinkSync(join(d, FILES[0]), join(d, FILES[0]))), /a symbolic link loop/],
        ['truncated', (d) => writeFileSync(join(d, FILES[2]), readFileSync(join(idx.dir, FILES[2])).subarray(0, 50)), /truncated data: expected 96 bytes, found 50/],
        ['no test examples', (d) => writeIdxFolder({ dir: d, testN: 0 }), /holds 0 images; a dataset needs at least one test example/],
        ['no training examples', (d) => writeIdxFolder({ dir: d, trainN: 0 }), /holds 0 images; a dataset needs at least one training example/],
      ];
      for (const [, breakIt, message] of broken) {
        const dir = copy(idx.dir);
        breakIt(dir);
        const before = snapshot(ws);
        for (const [call, code] of [[() => service.call('datasets.import', { path: dir }), 'bad_request'], [() => service.call('train.start', { config: { dataset: `idx:${dir}`, d: 2, h: 2 } }), 'unavailable']] as const) {
          const e = await call().then(() => null, (err: unknown) => err);
          expect(e).toBeInstanceOf(ApiError);
          expect((e as ApiError).code).toBe(code);
          expect((e as ApiError).message).toMatch(message);
          expect((e as ApiError).message).toContain(dir);
        }
        expect(snapshot(ws)).toEqual(before);
      }
    } finally {
      await service.close();
    }
  });
});
