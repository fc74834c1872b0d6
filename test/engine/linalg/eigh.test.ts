// The eigensolver against its defining equations (A·V = V·D, VᵀV = I) on hard cases, against
// known spectra, and on bad inputs. Norm used for the bounds: Frobenius (≥ spectral norm).
import { describe, expect, it } from 'vitest';
import { eigh } from '../../../src-main/engine/linalg/eigh';
import { benchEigh, eighErrors, randomSymmetric } from '../../../src-main/bench/eigh';
import { divideAndConquer } from '../../../src-main/engine/linalg/divide';
import { Rng } from '../../../src-main/engine/util/rng';

const fro = (a: Float64Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

function expectEigen(a: Float64Array, n: number) {
  const { values, vectors } = eigh(a, n);
  expect(values.length).toBe(n);
  expect(vectors.length).toBe(n * n);
  for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
  const { residual, orthogonality } = eighErrors(a, n, values, vectors);
  expect(residual).toBeLessThanOrEqual(1e-8);
  expect(orthogonality).toBeLessThanOrEqual(1e-8);
  // the defining equations hold far tighter than the contract
  expect(residual).toBeLessThanOrEqual(1e-13);
  expect(orthogonality).toBeLessThanOrEqual(1e-12);
  return values;
}

/** Q = H_1⋯H_n from random Householder vectors: a random orthogonal matrix, rows q_k. */
function randomOrthogonal(n: number, rng: Rng): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const v = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    let vv = 0;
    for (let i = 0; i < n; i++) { v[i] = rng.normal(); vv += v[i] * v[i]; }
    for (let r = 0; r < n; r++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[r * n + i] * v[i];
      const f = (2 * dot) / vv;
      for (let i = 0; i < n; i++) q[r * n + i] -= f * v[i];
    }
  }
  return q;
}

/** A = Qᵀ diag(λ) Q = Σ_k λ_k q_k q_kᵀ, made exactly symmetric. */
function withSpectrum(lambda: number[], seed = 3): Float64Array {
  const n = lambda.length;
  const q = randomOrthogonal(n, new Rng(seed, 1));
  const a = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const f = lambda[k] * q[k * n + i];
      for (let j = 0; j <= i; j++) a[i * n + j] += f * q[k * n + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
  return a;
}

function expectSpectrum(lambda: number[], seed = 3) {
  const n = lambda.length;
  const a = withSpectrum(lambda, seed);
  const values = expectEigen(a, n);
  const want = [...lambda].sort((x, y) => x - y);
  const tol = 1e-10 * fro(a);
  for (let k = 0; k < n; k++) expect(Math.abs(values[k] - want[k])).toBeLessThanOrEqual(tol);
}

const diag = (d: number[]) => {
  const n = d.length, a = new Float64Array(n * n);
  d.forEach((x, i) => (a[i * n + i] = x));
  return a;
};

describe('eigh', () => {
  for (const n of [1, 2, 3, 5, 17, 64, 200]) {
    it(`solves a random symmetric ${n}×${n} matrix`, () => {
      expectEigen(randomSymmetric(n, n), n);
    });
  }

  it('solves 600×600 (random, through several divide-and-conquer levels)', () => {
    const r = benchEigh(600, 1, 1);
    expect(r.residual).toBeLessThanOrEqual(1e-13);
    expect(r.orthogonality).toBeLessThanOrEqual(1e-12);
  });

  it('gives the same decomposition on one thread and with the helper thread', () => {
    const n = 300, a = randomSymmetric(n, 5);
    const one = eigh(a, n, { parallel: false }), two = eigh(a, n, { parallel: true });
    expect(eighErrors(a, n, one.values, one.vectors).residual).toBeLessThan(1e-13);
    for (let k = 0; k < n; k++) expect(Math.abs(one.values[k] - two.values[k])).toBeLessThan(1e-12);
    expect(two.vectors.buffer).toBeInstanceOf(ArrayBuffer); // ordinary memory handed back
  });

  it('handles 1×1 and 2×2 exactly', () => {
    expect([...eigh(Float64Array.of(-3), 1).values]).toEqual([-3]);
    expect([...eigh(Float64Array.of(7), 1).vectors]).toEqual([1]);
    const v = expectEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(v[0]).toBeCloseTo(1, 14);
    expect(v[1]).toBeCloseTo(3, 14);
    expectEigen(Float64Array.of(1, 1e-20, 1e-20, 1), 2);
  });

  it('handles the zero matrix, the identity and diagonal matrices', () => {
    for (const n of [1, 4, 70]) {
      const z = eigh(new Float64Array(n * n), n);
      expect([...z.values]).toEqual(new Array(n).fill(0));
      expectEigen(new Float64Array(n * n), n);
      const id = expectEigen(diag(new Array(n).fill(1)), n);
      expect([...id]).toEqual(new Array(n).fill(1));
    }
    const d = Array.from({ length: 90 }, (_, i) => ((i * 37) % 11) - 5 + 0.25 * (i % 4));
    const values = expectEigen(diag(d), 90);
    expect([...values]).toEqual([...d].sort((x, y) => x - y));
  });

  it('recovers known spectra of A = Q diag(λ) Qᵀ', () => {
    const rng = new Rng(9, 2);
    expectSpectrum(Array.from({ length: 50 }, () => rng.normal() * 10));
    // repeated eigenvalues with multiplicities
    expectSpectrum([...new Array(20).fill(2), ...new Array(15).fill(-1), ...new Array(30).fill(0.5), 7, 7, 7]);
    // a tight cluster 1 + k·1e-10 next to well separated values
    expectSpectrum([...Array.from({ length: 40 }, (_, k) => 1 + k * 1e-10), -3, 4, 10, 0.1]);
    // rank deficient: rank 5 in dimension 80
    expectSpectrum([...new Array(75).fill(0), 1, -2, 3, 0.5, 8]);
    // graded: 1e-8 … 1e8
    expectSpectrum(Array.from({ length: 33 }, (_, k) => (k % 2 ? -1 : 1) * 10 ** (-8 + k / 2)));
    // ill-conditioned: positive definite with condition number 1e15
    expectSpectrum(Array.from({ length: 60 }, (_, k) => 10 ** (-15 * (k / 59))));
  });

  it('is accurate on a graded matrix with entries from 1e-8 to 1e8', () => {
    const n = 40, a = new Float64Array(n * n), rng = new Rng(5, 3);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const x = rng.normal() * 10 ** (-8 + (16 * (i + j)) / (2 * n - 2));
        a[i * n + j] = x;
        a[j * n + i] = x;
      }
    }
    expectEigen(a, n);
  });

  it('block matrices with multiplicities through the divide-and-conquer deflation', () => {
    // kron-like: 4 identical 50×50 blocks on the diagonal, so every eigenvalue appears 4 times
    const m = 50, n = 4 * m, b = randomSymmetric(m, 11), a = new Float64Array(n * n);
    for (let k = 0; k < 4; k++) for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) a[(k * m + i) * n + k * m + j] = b[i * m + j];
    expectEigen(a, n);
    // all-ones matrix: rank one, eigenvalue n once and 0 n−1 times
    const ones = new Float64Array(150 * 150).fill(1);
    const v = expectEigen(ones, 150);
    expect(v[149]).toBeCloseTo(150, 10);
    expect(Math.abs(v[148])).toBeLessThan(1e-12);
  });

  it('divide and conquer agrees with implicit QL on a tridiagonal matrix', () => {
    const n = 150, rng = new Rng(2, 4);
    const d = Float64Array.from({ length: n }, () => rng.normal());
    const e = Float64Array.from({ length: n - 1 }, (_, i) => (i % 17 === 0 ? 0 : rng.normal()));
    const dc = divideAndConquer(d, e, n, 16);
    const ql = divideAndConquer(d, e, n, n);
    for (let k = 0; k < n; k++) expect(Math.abs(dc.values[k] - ql.values[k])).toBeLessThan(1e-13);
  });

  it('rejects bad inputs with clear messages', () => {
    expect(() => eigh(new Float64Array(5), 2)).toThrow(/expected 2×2 = 4 entries, got 5/);
    expect(() => eigh(Float64Array.of(1, 2, 2, NaN), 2)).toThrow(/entry \(1, 1\) is NaN/);
    expect(() => eigh(Float64Array.of(1, Infinity, Infinity, 1), 2)).toThrow(/Infinity/);
    const a = randomSymmetric(6, 0);
    a[4 * 6 + 1] += 1e-3;
    expect(() => eigh(a, 6)).toThrow(/not symmetric: \|a\[4\]\[1\] − a\[1\]\[4\]\| = 1\.000e-3/);
    expect(() => eigh(new Float64Array(0), -1)).toThrow(/non-negative integer/);
    // tiny asymmetry (rounding) is accepted and the symmetric part is solved
    const b = randomSymmetric(6, 0);
    b[1] += 1e-14;
    expect(() => eigh(b, 6)).not.toThrow();
  });
});
