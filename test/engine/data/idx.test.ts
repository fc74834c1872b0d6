import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../../src-main/engine/data/dataset';
import { parseIdxImages, parseIdxLabels } from '../../../src-main/engine/data/idx';
import { loadIdxFolder } from '../../../src-main/engine/data/idx-folder';
import { idxImagesBytes, idxLabelsBytes, tempDir, writeIdx, writeIdxFolder } from './idx-fixtures';

const dirs: string[] = [];
const folder = (gzip = false) => {
  const f = writeIdxFolder({ gzip });
  dirs.push(f.dir);
  return f;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `fn`, expects a DatasetError whose message contains every part. */
function expectDatasetError(fn: () => unknown, ...parts: string[]): string {
  let err: unknown = null;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DatasetError);
  const msg = (err as Error).message;
  for (const p of parts) expect(msg).toContain(p);
  return msg;
}

describe('loadIdxFolder', () => {
  it('loads raw files, scaling pixels by 1/255', () => {
    const f = folder();
    const ds = loadIdxFolder(f.dir, 'fixture');
    expect(ds.name).toBe('fixture');
    expect(ds.inputDim).toBe(16);
    expect(ds.imageShape).toEqual([4, 4]);
    expect(ds.classes).toBe(10);
    expect(ds.train.n).toBe(12);
    expect(ds.test.n).toBe(5);
    expect(ds.train.x.length).toBe(12 * 16);
    expect(ds.test.x.length).toBe(5 * 16);
    expect(Array.from(ds.train.y)).toEqual(Array.from(f.trainLabels));
    expect(Array.from(ds.test.y)).toEqual(Array.from(f.testLabels));
    for (let i = 0; i < f.trainPixels.length; i++) expect(ds.train.x[i]).toBe(Math.fround(f.trainPixels[i] / 255));
    expect(ds.train.x[0]).toBe(0);
    expect(ds.train.x[ds.train.x.length - 1]).toBe(1);
    expect(Math.min(...ds.test.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ds.test.x)).toBeLessThanOrEqual(1);
    expect(ds.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives identical arrays and hash for gzipped and raw files', () => {
    const raw = loadIdxFolder(folder(false).dir, 'a');
    const gz = loadIdxFolder(folder(true).dir, 'a');
    expect(gz.train.x).toEqual(raw.train.x);
    expect(gz.train.y).toEqual(raw.train.y);
    expect(gz.test.x).toEqual(raw.test.x);
    expect(gz.test.y).toEqual(raw.test.y);
    expect(gz.sha256).toBe(raw.sha256);
    expect(loadIdxFolder(folder(false).dir, 'a').sha256).toBe(raw.sha256);
  });

  it('names the expected path of a missing file', () => {
    const f = folder();
    rmSync(join(f.dir, 't10k-labels-idx1-ubyte'));
    const path = join(f.dir, 't10k-labels-idx1-ubyte');
    expectDatasetError(() => loadIdxFolder(f.dir, 'x'), path, 'missing file', `${path}.gz`);
  });

  it('rejects a folder that does not exist', () => {
    expectDatasetError(() => loadIdxFolder('/nonexistent/sqs-idx', 'x'), '/nonexistent/sqs-idx', 'not a directory');
  });
});

describe('IDX defects', () => {
  it('wrong magic number in an images file says which kind of file was expected, not the bytes found', () => {
    const f = folder();
    const file = join(f.dir, 'train-images-idx3-ubyte');
    writeIdx(file, idxImagesBytes(f.trainPixels, 12, 4, 4, 0x00000801));
    expectDatasetError(() => loadIdxFolder(f.dir, 'x'), file, 'not an IDX file of images (unsigned bytes, 3 dimensions): it does not start with the magic number 0x00000803');
    expect(() => loadIdxFolder(f.dir, 'x')).not.toThrow(/0x00000801/);
  });

  it('wrong magic number in a labels file (images given as labels)', () => {
    const f = folder();
    const file = join(f.dir, 'train-labels-idx1-ubyte');
    writeIdx(file, idxImagesBytes(f.trainPixels, 12, 4, 4));
    expectDatasetError(() => loadIdxFolder(f.dir, 'x'), file, 'not an IDX file of labels (unsigned bytes, 1 dimension): it does not start with the magic number 0x00000801');
  });

  it('truncated images say how many bytes were expected and found', () => {
    const f = folder();
    const file = join(f.dir, 't10k-images-idx3-ubyte');
    const bytes = idxImagesBytes(f.testPixels, 5, 4, 4);
    writeIdx(file, bytes.subarray(0, bytes.length - 3));
    expectDatasetError(() => loadIdxFolder(f.dir, 'x'), file, 'truncated data', `expected ${16 + 80} bytes, found ${16 + 77}`);
  });

  it('truncated gzipped labels (decompressed content short)', () => {
    const f = folder(true);
    const file = join(f.dir, 'train-labels-idx1-ubyte');
    writeIdx(file, idxLabelsBytes(f.trainLabels).subarray(0, 8 + 7), true);
    expectDatasetError(() => loadIdxFolder(f.dir, 'x'), `${file}.gz`, 'truncated data', 'expected 20 bytes, found 15');
  });

  it('a truncated header is reported, not read past', () => {
    const file = '/data/short-images';
    expectDatasetError(() => parseIdxImages(Uint8Array.from([0, 0, 8, 3, 0, 0]), file), file, 'truncated header');
    expectDatasetError(() => parseIdxLabels(Uint8Array.from([0, 0]), file), file, 'truncated header');
  });

  it('trailing bytes are a defect too', () => {
    const bytes = Buffer.concat([idxLabelsBytes(Uint8Array.from([1, 2])), Buffer.from([0])]);
    expectDatasetError(() => parseIdxLabels(bytes, 'lab'), 'lab', 'trailing data', 'expected 10 bytes, found 11');
  });

  it('image and label counts that differ name both files', () => {
    const f = folder();
    const labels = join(f.dir, 'train-labels-idx1-ubyte');
    writeIdx(labels, idxLabelsBytes(f.trainLabels.subarray(0, 11)));
    expectDatasetError(
      () => loadIdxFolder(f.dir, 'x'),
      'image and label counts differ',
      join(f.dir, 'train-images-idx3-ubyte'),
      '12 images',
      labels,
      '11 labels',
    );
  });

  it('labels out of range name the label, its index and the class count', () => {
    const f = folder();
    const file = join(f.dir, 't10k-labels-idx1-ubyte');
    const bad = Uint8Array.from(f.testLabels);
    bad[3] = 10;
    writeIdx(file, idxLabelsBytes(bad));
    expectDatasetError(() => loadIdxFolder(f.dir, 'x'), file, 'label 10 at index 3 is out of range', '0..9');
  });

  it('the class count can be given', () => {
    const bytes = idxLabelsBytes(Uint8Array.from([0, 1, 2]));
    expect(Array.from(parseIdxLabels(bytes, 'l', 3).labels)).toEqual([0, 1, 2]);
    expectDatasetError(() => parseIdxLabels(bytes, 'l', 2), 'l', 'label 2 at index 2 is out of range', '0..1 for 2 classes');
  });

  it('train and test of different image sizes name both files', () => {
    const f = folder();
    const test = join(f.dir, 't10k-images-idx3-ubyte');
    writeIdx(test, idxImagesBytes(new Uint8Array(5 * 25), 5, 5, 5));
    expectDatasetError(
      () => loadIdxFolder(f.dir, 'x'),
      'image sizes differ',
      join(f.dir, 'train-images-idx3-ubyte'),
      '4x4',
      test,
      '5x5',
    );
  });

  it('a corrupt gzip names the file', () => {
    const f = folder(true);
    const file = join(f.dir, 'train-images-idx3-ubyte.gz');
    const gz = gzipSync(idxImagesBytes(f.trainPixels, 12, 4, 4));
    gz.fill(0xff, 12, 40);
    writeFileSync(file, gz);
    expectDatasetError(() => loadIdxFolder(f.dir, 'x'), file, 'corrupt gzip');
  });

  it('a gzip cut short names the file', () => {
    const f = folder(true);
    const file = join(f.dir, 't10k-labels-idx1-ubyte.gz');
    const gz = gzipSync(idxLabelsBytes(f.testLabels));
    writeFileSync(file, gz.subarray(0, gz.length - 6));
    expectDatasetError(() => loadIdxFolder(f.dir, 'x'), file, 'corrupt gzip');
  });

  it('prefers the raw file when both raw and .gz exist', () => {
    const f = folder();
    const d = tempDir();
    dirs.push(d);
    writeIdxFolder({ dir: d });
    writeFileSync(join(d, 'train-images-idx3-ubyte.gz'), Buffer.from('not gzip at all'));
    expect(loadIdxFolder(d, 'x').train.x).toEqual(loadIdxFolder(f.dir, 'x').train.x);
  });
});
