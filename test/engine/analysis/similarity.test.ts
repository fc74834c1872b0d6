// Cross-run similarity: sign-blind, permutation-aware, and exact on hand-checkable cases.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-main/engine/util/rng';
import { absCosineMatrix, matchFeatures, meanCurve } from '../../../src-main/engine/analysis/similarity';

function randomSet(rng: Rng, k: number, dim: number): Float64Array {
  const x = new Float64Array(k * dim);
  for (let t = 0; t < x.length; t++) x[t] = rng.normal();
  return x;
}

describe('absCosineMatrix / matchFeatures', () => {
  it('gives 1 everywhere for identical sets', () => {
    const k = 6;
    const dim = 20;
    const a = randomSet(new Rng(1), k, dim);
    const { byRank, byAssignment, assignment } = matchFeatures(a, a.slice(), k, dim);
    for (let i = 0; i < k; i++) {
      expect(byRank[i]).toBeCloseTo(1, 12);
      expect(byAssignment[i]).toBeCloseTo(1, 12);
      expect(assignment[i]).toBe(i);
    }
    const s = absCosineMatrix(a, a, k, dim);
    for (const x of s) expect(x).toBeLessThanOrEqual(1);
  });

  it('recovers a permutation with sign flips and rescaling: byRank < 1, byAssignment = 1', () => {
    const k = 8;
    const dim = 50;
    const rng = new Rng(2);
    const a = randomSet(rng, k, dim);
    const perm = [3, 0, 7, 1, 6, 2, 5, 4]; // b_j = ±c · a_perm[j]
    const b = new Float64Array(k * dim);
    for (let j = 0; j < k; j++) {
      const scale = (j % 2 === 0 ? -1 : 1) * (0.5 + j);
      for (let t = 0; t < dim; t++) b[j * dim + t] = scale * a[perm[j] * dim + t];
    }
    const { byRank, byAssignment, assignment } = matchFeatures(a, b, k, dim);
    for (let i = 0; i < k; i++) {
      expect(byRank[i]).toBeLessThan(0.9); // random 50-d vectors are far from parallel
      expect(byAssignment[i]).toBeCloseTo(1, 12);
      expect(perm[assignment[i]]).toBe(i); // a_i is matched with the b that copies it
    }
  });

  it('gives 0 for orthogonal sets and for zero vectors', () => {
    const k = 2;
    const dim = 4;
    const a = Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0);
    const b = Float64Array.of(0, 0, 3, 0, 0, 0, 0, -2);
    expect(Array.from(absCosineMatrix(a, b, k, dim))).toEqual([0, 0, 0, 0]);
    const m = matchFeatures(a, b, k, dim);
    expect(Array.from(m.byRank)).toEqual([0, 0]);
    expect(Array.from(m.byAssignment)).toEqual([0, 0]);
    const zero = new Float64Array(k * dim);
    expect(Array.from(absCosineMatrix(a, zero, k, dim))).toEqual([0, 0, 0, 0]);
  });

  it('matches a hand-computed 2×2 case', () => {
    // a0 = (1, 0), a1 = (0, 1); b0 = (1, 1), b1 = (-3, 4).
    // |cos|: S00 = 1/√2, S01 = 3/5, S10 = 1/√2, S11 = 4/5.
    // By rank: [1/√2, 4/5]. Assignment: identity 1/√2 + 4/5 ≈ 1.507 > swap 3/5 + 1/√2 ≈ 1.307.
    const a = Float64Array.of(1, 0, 0, 1);
    const b = Float64Array.of(1, 1, -3, 4);
    const s = absCosineMatrix(a, b, 2, 2);
    const r = Math.SQRT1_2;
    [r, 0.6, r, 0.8].forEach((x, t) => expect(s[t]).toBeCloseTo(x, 14));
    const m = matchFeatures(a, b, 2, 2);
    expect(Array.from(m.assignment)).toEqual([0, 1]);
    expect(m.byRank[0]).toBeCloseTo(r, 14);
    expect(m.byRank[1]).toBeCloseTo(0.8, 14);
    // Swap b's rows: rank order now loses, assignment still finds the better pairing.
    const m2 = matchFeatures(a, Float64Array.of(-3, 4, 1, 1), 2, 2);
    expect(Array.from(m2.assignment)).toEqual([1, 0]);
    expect(m2.byRank[0]).toBeCloseTo(0.6, 14);
    expect(m2.byAssignment[0]).toBeCloseTo(r, 14);
    expect(m2.byAssignment[1]).toBeCloseTo(0.8, 14);
  });

  it('throws clearly on length mismatches and bad shapes', () => {
    expect(() => absCosineMatrix(new Float64Array(6), new Float64Array(6), 2, 4)).toThrow(/a has length 6, expected k×dim = 2×4 = 8/);
    expect(() => matchFeatures(new Float64Array(8), new Float64Array(7), 2, 4)).toThrow(/b has length 7/);
    expect(() => absCosineMatrix(new Float64Array(0), new Float64Array(0), -1, 0)).toThrow(/non-negative integers/);
  });
});

describe('meanCurve', () => {
  it('averages per-rank curves over classes', () => {
    const m = meanCurve([Float64Array.of(1, 0.5, 0), Float64Array.of(0, 0.5, 1), Float64Array.of(0.5, 0.2, 0.2)]);
    [0.5, 0.4, 0.4].forEach((x, i) => expect(m[i]).toBeCloseTo(x, 14));
    expect(Array.from(meanCurve([Float64Array.of(0.3, 0.7)]))).toEqual([0.3, 0.7]);
  });

  it('rejects an empty list and curves of unequal length', () => {
    expect(() => meanCurve([])).toThrow(/at least one curve/);
    expect(() => meanCurve([new Float64Array(3), new Float64Array(2)])).toThrow(/curve 1 has length 2, expected 3/);
  });
});
