// Data-efficiency runs train on nested subsets: each smaller one inside every larger one, the
// same whatever the gate and seed, and (budget 'steps') as many optimiser steps as the full set.
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../src-main/engine/data/digits';
import { subsetIndices, subsetSize, trainingSubset } from '../../../src-main/engine/data/subset';
import { DEFAULT_CONFIG } from '../../../src-main/engine/train/config';
import { trainingData } from '../../../src-main/engine/train/run';
import { stepsPerEpoch } from '../../../src-main/engine/train/schedule';

const PERCENTS = [1, 2, 5, 10, 25, 50, 100];

describe('nested training subsets', () => {
  it('are nested: every smaller subset is the head of every larger one', () => {
    const n = 8000;
    const sets = PERCENTS.map((p) => Array.from(subsetIndices(n, p)));
    expect(sets.map((s) => s.length)).toEqual([80, 160, 400, 800, 2000, 4000, 8000]);
    for (let i = 1; i < sets.length; i++) {
      const larger = new Set(sets[i]);
      expect(sets[i - 1].every((j) => larger.has(j))).toBe(true);
    }
    expect(new Set(sets.at(-1)).size).toBe(n);
  });

  it('are the same for every gate and seed (their own seed, not the run\'s)', () => {
    const a = trainingData({ ...DEFAULT_CONFIG, gate: 'bilinear', seed: 0, train_percent: 5 });
    const b = trainingData({ ...DEFAULT_CONFIG, gate: 'swiglu', seed: 7, train_percent: 5 });
    expect(Buffer.from(a.train.x.buffer).equals(Buffer.from(b.train.x.buffer))).toBe(true);
    expect(Array.from(a.train.y)).toEqual(Array.from(b.train.y));
  });

  it("repeat the subset to the full size under budget 'steps', keep it alone under 'epochs'", () => {
    const data = loadDigits();
    const n = data.train.n;
    const steps = trainingSubset(data, 2, 'steps');
    const epochs = trainingSubset(data, 2, 'epochs');
    const m = subsetSize(n, 2);
    expect(epochs.train.n).toBe(m);
    expect(steps.train.n).toBe(n);
    expect(stepsPerEpoch(steps.train.n, 2048)).toBe(stepsPerEpoch(n, 2048));
    // row i of the repeated split is subset example i mod m, and the test split is untouched
    const dIn = data.inputDim;
    const kept = subsetIndices(n, 2);
    for (const i of [0, m - 1, m, 3 * m + 5, n - 1]) {
      const src = kept[i % m];
      expect(steps.train.y[i]).toBe(data.train.y[src]);
      expect(Array.from(steps.train.x.subarray(i * dIn, (i + 1) * dIn))).toEqual(Array.from(data.train.x.subarray(src * dIn, (src + 1) * dIn)));
    }
    expect(steps.test).toBe(data.test);
    expect(trainingSubset(data, 100, 'steps')).toBe(data);
  });
});
