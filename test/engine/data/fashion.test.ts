// The real Fashion-MNIST, when this machine has it (Debian's dataset-fashion-mnist or $SQS_DATA).
import { describe, expect, it } from 'vitest';
import { findFashionMnist } from '../../../src-main/engine/data/fashion';
import { loadDataset } from '../../../src-main/engine/data/load';

const dir = findFashionMnist();
const required = process.env.REQUIRE_FASHION === '1';
if (!dir && !required) {
  console.warn('fashion-mnist not found (apt-get install dataset-fashion-mnist or set SQS_DATA): skipping its test');
}

describe.skipIf(!dir && !required)('fashion-mnist (real data)', () => {
  it('loads 60000/10000 images of 784 with labels 0..9', () => {
    expect(dir, 'REQUIRE_FASHION=1 but fashion-mnist was not found').not.toBeNull();
    const ds = loadDataset('fashion-mnist');
    expect(ds.inputDim).toBe(784);
    expect(ds.imageShape).toEqual([28, 28]);
    expect(ds.train.n).toBe(60000);
    expect(ds.test.n).toBe(10000);
    expect(ds.train.x.length).toBe(60000 * 784);
    expect(ds.test.x.length).toBe(10000 * 784);
    for (const s of [ds.train, ds.test]) {
      const counts = new Array(10).fill(0);
      for (const y of s.y) counts[y]++;
      // Fashion-MNIST is balanced: 6000 per class in train, 1000 in test
      expect(counts).toEqual(new Array(10).fill(s.n / 10));
    }
  });
});
