// The batches prepared ahead on their own thread are the very batches the step loop used to make
// itself: the epoch's seeded shuffle, rows copied in that order, one-hot labels, then the epoch's
// noise stream added batch after batch.
import { describe, expect, it } from 'vitest';
import { BatchPrefetcher } from '../../../src-main/engine/train/batch-prefetch';
import type { BatchPlan } from '../../../src-main/engine/train/batches';
import { Rng } from '../../../src-main/engine/util/rng';

/** The loop's own batches, written out as it made them: one epoch at a time, one batch after another. */
function loopBatches(plan: BatchPlan, x: Float32Array, y: Uint8Array, epoch: number): { x: Float32Array; onehot: Float32Array }[] {
  const order = new Rng(plan.seed, 1_000_000 + epoch).permutation(plan.n);
  const noise = new Rng(plan.seed, 2_000_000 + epoch);
  const out = [];
  for (let start = 0; start < plan.n; start += plan.batch) {
    const rows = Math.min(plan.batch, plan.n - start);
    const bx = new Float32Array(rows * plan.dIn);
    const onehot = new Float32Array(rows * plan.classes);
    for (let i = 0; i < rows; i++) {
      const src = order[start + i];
      for (let c = 0; c < plan.dIn; c++) bx[i * plan.dIn + c] = x[src * plan.dIn + c];
      onehot[i * plan.classes + y[src]] = 1;
    }
    if (plan.noise > 0) noise.addNormal(bx, plan.noise);
    out.push({ x: bx, onehot });
  }
  return out;
}

function toyData(n: number, dIn: number, classes: number): { x: Float32Array; y: Uint8Array } {
  const rng = new Rng(5, 5);
  return { x: Float32Array.from({ length: n * dIn }, () => rng.uniform()), y: Uint8Array.from({ length: n }, () => rng.int(classes)) };
}

describe('batches prepared ahead', () => {
  it('equal the batches the step loop made, across epochs and a smaller last batch', async () => {
    const plan: BatchPlan = { n: 103, dIn: 7, classes: 4, batch: 25, seed: 3, noise: 0.4 };
    const data = toyData(plan.n, plan.dIn, plan.classes);
    const prefetch = BatchPrefetcher.start(plan, data, 2, 4); // as a run resumed after epoch 1
    try {
      for (let epoch = 2; epoch <= 4; epoch++) {
        const expected = loopBatches(plan, data.x, data.y, epoch);
        expect(expected.length).toBe(5);
        for (const [k, want] of expected.entries()) {
          const got = await prefetch.next();
          expect({ epoch: got.epoch, k: got.k, rows: got.rows }).toEqual({ epoch, k, rows: k < 4 ? 25 : 3 });
          expect(Array.from(got.x)).toEqual(Array.from(want.x));
          expect(Array.from(got.onehot)).toEqual(Array.from(want.onehot));
          prefetch.release(got);
        }
      }
    } finally {
      await prefetch.close();
    }
  });

  it('keep handing out batches in order while the trainer holds some back', async () => {
    const plan: BatchPlan = { n: 40, dIn: 3, classes: 2, batch: 10, seed: 1, noise: 0 };
    const data = toyData(plan.n, plan.dIn, plan.classes);
    const prefetch = BatchPrefetcher.start(plan, data, 1, 1);
    try {
      const first = await prefetch.next();
      const second = await prefetch.next();
      const expected = loopBatches(plan, data.x, data.y, 1);
      expect(Array.from(second.x)).toEqual(Array.from(expected[1].x));
      prefetch.release(first);
      prefetch.release(second);
      const rest = [await prefetch.next(), await prefetch.next()];
      expect(rest.map((b) => b.k)).toEqual([2, 3]);
      expect(Array.from(rest[1].x)).toEqual(Array.from(expected[3].x));
    } finally {
      await prefetch.close();
    }
  });
});
