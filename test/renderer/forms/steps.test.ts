// The warning for a configuration that will barely learn: steps per epoch counted as the trainer
// counts batches (checked here by cutting the training set into batches one by one), fewer than
// ten of them warned about, the worst of a sweep's combinations named, unknown sizes not judged.
import { describe, expect, it } from 'vitest';
import { describeFewSteps, fewestSteps, FEW_STEPS } from '../../../src-renderer/src/lib/forms/steps';
import { stepsPerEpoch } from '../../../src-main/common/training-steps';

/** batches of `batch` examples (the last one smaller) until all n are used, as one epoch takes them */
function batchesByHand(n: number, batch: number): number {
  let count = 0;
  for (let start = 0; start < n; start += Math.min(batch, n)) count++;
  return count;
}

describe('steps per epoch', () => {
  it('is the number of batches an epoch is cut into, a batch larger than the set counting once', () => {
    for (const [n, batch] of [[8000, 2048], [8000, 256], [8000, 8000], [8000, 10_000], [12, 5], [1, 1], [60_000, 2048]]) {
      expect(stepsPerEpoch(n, batch), `${n}/${batch}`).toBe(batchesByHand(n, batch));
    }
  });
});

describe('few steps warning', () => {
  const digits = { name: 'MNIST digits (bundled)', trainN: 8000 };
  const fashion = { name: 'Fashion-MNIST', trainN: 60_000 };

  it('warns below ten steps an epoch with the number of steps, and not at ten or more', () => {
    expect(fewestSteps([digits], [2048])).toEqual({ dataset: digits.name, trainN: 8000, batch: 2048, steps: 4 });
    expect(fewestSteps([digits], [800])).toBeNull(); // exactly 10
    expect(fewestSteps([digits], [889])).toMatchObject({ steps: 9 }); // 8000 / 889 = 8.999
    expect(fewestSteps([fashion], [2048])).toBeNull(); // 30 steps
    expect(describeFewSteps(fewestSteps([digits], [2048])!)).toBe(
      `Only 4 optimiser steps per epoch (8,000 training examples of MNIST digits (bundled) in batches of 2,048): with fewer than ${FEW_STEPS} steps an epoch the model will barely learn; a smaller batch takes more steps.`,
    );
    expect(describeFewSteps({ dataset: 'tiny', trainN: 12, batch: 64, steps: 1 })).toMatch(/^Only 1 optimiser step per epoch \(12 training/);
    expect(describeFewSteps({ dataset: 'tiny', trainN: 12, batch: 64, steps: 1 }, true)).toMatch(/^Some runs of this sweep take only 1 optimiser step per epoch \(12 training examples of tiny in batches of 64\)/);
  });

  it('names the worst of a sweep’s combinations, and leaves data of unknown size alone', () => {
    expect(fewestSteps([fashion, digits], [4096, 256, 8192])).toEqual({ dataset: digits.name, trainN: 8000, batch: 8192, steps: 1 });
    expect(fewestSteps([{ name: 'idx', trainN: null }], [10_000])).toBeNull();
    expect(fewestSteps([digits], [])).toBeNull();
  });
});
