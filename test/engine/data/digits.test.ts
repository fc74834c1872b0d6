import { describe, expect, it, vi } from 'vitest';
import { loadDigits } from '../../../src-main/engine/data/digits';
import { loadDataset } from '../../../src-main/engine/data/load';
import type { Split } from '../../../src-main/engine/data/dataset';

// byte comparison: vitest's deep equality walks millions of elements one by one (minutes)
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function classCounts(s: Split): number[] {
  const c = new Array(10).fill(0);
  for (const y of s.y) c[y]++;
  return c;
}

describe('digits (embedded MNIST sample)', () => {
  const ds = loadDigits();

  it('has 8000 train and 2000 test images of 28x28', () => {
    expect(ds.name).toBe('digits');
    expect(ds.inputDim).toBe(784);
    expect(ds.imageShape).toEqual([28, 28]);
    expect(ds.classes).toBe(10);
    expect(ds.train.n).toBe(8000);
    expect(ds.test.n).toBe(2000);
    expect(ds.train.x.length).toBe(8000 * 784);
    expect(ds.test.x.length).toBe(2000 * 784);
    expect(ds.train.y.length).toBe(8000);
    expect(ds.test.y.length).toBe(2000);
    expect(ds.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ds.source).toContain('mnist');
  });

  it('has labels in 0..9, every class in both splits, values in [0, 1]', () => {
    for (const s of [ds.train, ds.test]) {
      for (const y of s.y) expect(y).toBeLessThan(10);
      for (const c of classCounts(s)) expect(c).toBeGreaterThan(50);
      let min = Infinity;
      let max = -Infinity;
      for (const v of s.x) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(min).toBe(0);
      expect(max).toBeLessThanOrEqual(1);
      expect(max).toBeGreaterThan(0.9);
    }
    // the package's per-class counts, summed over both splits
    const total = classCounts(ds.train).map((c, k) => c + classCounts(ds.test)[k]);
    expect(total).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('is cached and goes through loadDataset', () => {
    expect(loadDigits()).toBe(ds);
    expect(loadDataset('digits')).toBe(ds);
  });

  it('splits deterministically (a fresh module parse gives the same arrays and hash)', async () => {
    vi.resetModules();
    const fresh = (await import('../../../src-main/engine/data/digits')).loadDigits();
    // plain boolean: vitest's toBe deep-compares unequal objects to suggest toStrictEqual (slow here)
    expect(fresh === ds || fresh.train.x === ds.train.x).toBe(false);
    expect(sameBytes(fresh.train.y, ds.train.y)).toBe(true);
    expect(sameBytes(fresh.test.y, ds.test.y)).toBe(true);
    expect(sameBytes(fresh.train.x, ds.train.x)).toBe(true);
    expect(sameBytes(fresh.test.x, ds.test.x)).toBe(true);
    expect(fresh.sha256).toBe(ds.sha256);
  });
});

describe("reading the package's number arrays straight from the bytes", () => {
  it('gives exactly the numbers JSON.parse gives, for every file', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { digitsDir, plainDataArray } = await import('../../../src-main/engine/data/digits');
    for (let k = 0; k < 10; k++) {
      const bytes = readFileSync(join(digitsDir(), `${k}.json`));
      const fast = plainDataArray(bytes);
      const parsed = Float64Array.from((JSON.parse(bytes.toString('utf8')) as { data: number[] }).data);
      expect(fast, `${k}.json`).not.toBeNull();
      expect(sameBytes(fast!, parsed), `${k}.json`).toBe(true);
    }
  });

  it('leaves anything but plain decimals to JSON.parse', async () => {
    const { plainDataArray } = await import('../../../src-main/engine/data/digits');
    const read = (text: string) => plainDataArray(Buffer.from(text));
    expect(Array.from(read('{ "data": [0,0.5,1,0.125] }')!)).toEqual([0, 0.5, 1, 0.125]);
    for (const text of ['{ "data": [1e-3] }', '{ "data": [0.5,] }', '{ "data": [-1] }', '{ "data": [.5] }', '{ "data": [0.5] } x', '{"data":[0]}', '{ "data": [0.1234567890123456] }', '{ "data": [00.5] }', '{ "data": [01] }']) {
      expect(read(text), text).toBeNull();
    }
  });
});
