import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../../../src-main/engine/data/dataset';
import { DEBIAN_FASHION_DIR, findFashionMnist, loadFashionMnist } from '../../../src-main/engine/data/fashion';
import { loadDataset, loadTestSplit } from '../../../src-main/engine/data/load';
import { datasetSpecText, parseDatasetSpec } from '../../../src-main/engine/data/spec';
import { tempDir, writeIdxFolder } from './idx-fixtures';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const savedSqsData = process.env.SQS_DATA;
afterEach(() => {
  if (savedSqsData === undefined) delete process.env.SQS_DATA;
  else process.env.SQS_DATA = savedSqsData;
});

describe('dataset specs', () => {
  it('reads the three forms and explains anything else', () => {
    expect(parseDatasetSpec('digits')).toEqual({ ok: true, value: { kind: 'digits' } });
    expect(parseDatasetSpec('fashion-mnist')).toEqual({ ok: true, value: { kind: 'fashion-mnist' } });
    expect(parseDatasetSpec('idx:/some/my dir')).toEqual({ ok: true, value: { kind: 'idx', dir: '/some/my dir' } });
    expect(parseDatasetSpec('idx:C:\\data')).toEqual({ ok: true, value: { kind: 'idx', dir: 'C:\\data' } });
    for (const blank of ['idx:', 'idx:   ']) expect(parseDatasetSpec(blank)).toEqual({ ok: false, error: `'${blank}' names no folder: write idx:<dir>` });
    expect(parseDatasetSpec('idx:/a\nb')).toEqual({ ok: false, error: "'idx:/a b' contains control characters" });
    for (const bad of ['mnist', '', 'Digits', 'idx', ' digits']) {
      expect(parseDatasetSpec(bad)).toEqual({ ok: false, error: `'${bad}' is not one of digits, fashion-mnist, idx:<dir>` });
    }
  });

  it('writes a spec back as the text it was read from', () => {
    for (const text of ['digits', 'fashion-mnist', 'idx:/some/my dir']) {
      const r = parseDatasetSpec(text);
      expect(r.ok && datasetSpecText(r.value)).toBe(text);
    }
  });

  it('loadDataset rejects an unknown spec with a DatasetError listing the forms', () => {
    expect(() => loadDataset('cifar10')).toThrow(DatasetError);
    expect(() => loadDataset('cifar10')).toThrow("dataset 'cifar10' is not one of digits, fashion-mnist, idx:<dir>");
    expect(() => loadTestSplit('idx:   ')).toThrow("dataset 'idx:   ' names no folder: write idx:<dir>");
  });

  it('idx:<dir> loads a folder and is named by the spec', () => {
    const f = writeIdxFolder({ gzip: true });
    dirs.push(f.dir);
    const ds = loadDataset(`idx:${f.dir}`);
    expect(ds.name).toBe(`idx:${f.dir}`);
    expect(ds.train.n).toBe(12);
    expect(ds.test.n).toBe(5);
  });

  it('idx:<dir> of a missing folder is a DatasetError naming it', () => {
    expect(() => loadDataset('idx:/nonexistent/sqs')).toThrow(/\/nonexistent\/sqs/);
  });
});

describe('fashion-mnist location', () => {
  it('looks in $SQS_DATA/fashion-mnist first', () => {
    const root = tempDir('sqs-data-');
    dirs.push(root);
    const dir = join(root, 'fashion-mnist');
    mkdirSync(dir);
    writeIdxFolder({ dir });
    process.env.SQS_DATA = root;
    expect(findFashionMnist()).toBe(dir);
    const ds = loadDataset('fashion-mnist');
    expect(ds.name).toBe('fashion-mnist');
    expect(ds.train.n).toBe(12);
    expect(ds.source).toContain(dir);
  });

  it.skipIf(existsSync(DEBIAN_FASHION_DIR))('says where it looked and how to get it when absent', () => {
    const root = tempDir('sqs-data-');
    dirs.push(root);
    process.env.SQS_DATA = root;
    expect(findFashionMnist()).toBeNull();
    let msg = '';
    try {
      loadFashionMnist();
    } catch (e) {
      expect(e).toBeInstanceOf(DatasetError);
      msg = (e as Error).message;
    }
    expect(msg).toContain(join(root, 'fashion-mnist'));
    expect(msg).toContain(DEBIAN_FASHION_DIR);
    expect(msg).toContain('apt-get install dataset-fashion-mnist');
    expect(msg).toContain('SQS_DATA');
  });
});

describe('the test split alone', () => {
  const same = (spec: string) => {
    const alone = loadTestSplit(spec);
    const full = loadDataset(spec).test;
    expect(alone.n).toBe(full.n);
    expect(Buffer.from(alone.x.buffer, alone.x.byteOffset, alone.x.byteLength).equals(Buffer.from(full.x.buffer, full.x.byteOffset, full.x.byteLength))).toBe(true);
    expect(Array.from(alone.y)).toEqual(Array.from(full.y));
  };

  it('is the same examples as the full load, for digits and for an IDX folder (raw or gzipped)', () => {
    same('digits');
    for (const gzip of [false, true]) {
      const f = writeIdxFolder({ gzip });
      dirs.push(f.dir);
      same(`idx:${f.dir}`);
    }
  });

  it.runIf(findFashionMnist() !== null || process.env.REQUIRE_FASHION === '1')('is the same examples as the full load for Fashion-MNIST', () => same('fashion-mnist'));

  it('names the missing file, like the full load', () => {
    const f = writeIdxFolder();
    dirs.push(f.dir);
    rmSync(join(f.dir, 't10k-labels-idx1-ubyte'));
    expect(() => loadTestSplit(`idx:${f.dir}`)).toThrow(/t10k-labels-idx1-ubyte: missing file/);
    expect(() => loadTestSplit('mnist')).toThrow(DatasetError);
  });
});
