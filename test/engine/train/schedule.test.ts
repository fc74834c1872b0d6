import { describe, expect, it } from 'vitest';
import { adamScalars } from '../../../src-main/engine/train/adamw';
import { learningRate } from '../../../src-main/engine/train/schedule';

describe('learning-rate schedule', () => {
  it('starts at the base rate and decays along a cosine towards zero', () => {
    expect(learningRate(1e-3, 1, 100, 0)).toBeCloseTo(1e-3, 12);
    expect(learningRate(1e-3, 51, 100, 0)).toBeCloseTo(0.5e-3, 12);
    expect(learningRate(1e-3, 100, 100, 0)).toBeCloseTo(0.5e-3 * (1 + Math.cos((Math.PI * 99) / 100)), 12);
    for (let t = 2; t <= 100; t++) expect(learningRate(1e-3, t, 100, 0)).toBeLessThan(learningRate(1e-3, t - 1, 100, 0));
  });

  it('warms up linearly, then follows the cosine over the remaining steps', () => {
    expect(learningRate(1e-3, 1, 100, 10)).toBeCloseTo(1e-4, 12);
    expect(learningRate(1e-3, 10, 100, 10)).toBeCloseTo(1e-3, 12);
    expect(learningRate(1e-3, 11, 100, 10)).toBeCloseTo(1e-3, 12);
    expect(learningRate(1e-3, 56, 100, 10)).toBeCloseTo(0.5e-3, 12);
  });
});

describe('AdamW scalars', () => {
  it('fold decoupled weight decay and bias correction into three numbers', () => {
    const s = adamScalars(1e-3, 0.1, 2);
    expect(s.decay).toBeCloseTo(1 - 1e-4, 15);
    expect(s.stepSize).toBeCloseTo((1e-3 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.81), 15);
    expect(s.epsHat).toBeCloseTo(1e-8 * Math.sqrt(1 - 0.999 ** 2), 20);
  });
});
