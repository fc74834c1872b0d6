// The assignment solver against brute force: a wrong potential update still returns a valid
// (distinct-column) assignment, so only optimality checks catch it.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-main/engine/util/rng';
import { assignmentTotal, maxWeightAssignment, minCostAssignment } from '../../../src-main/engine/linalg/hungarian';

/** Minimum total over every injective map rows → cols. */
function bruteMin(cost: Float64Array, rows: number, cols: number): number {
  const used = new Uint8Array(cols);
  let best = Infinity;
  const go = (i: number, acc: number): void => {
    if (i === rows) {
      best = Math.min(best, acc);
      return;
    }
    for (let j = 0; j < cols; j++) {
      if (used[j]) continue;
      used[j] = 1;
      go(i + 1, acc + cost[i * cols + j]);
      used[j] = 0;
    }
  };
  go(0, 0);
  return best;
}

function expectValid(a: Int32Array, rows: number, cols: number): void {
  expect(a.length).toBe(rows);
  const seen = new Set<number>();
  for (const j of a) {
    expect(j).toBeGreaterThanOrEqual(0);
    expect(j).toBeLessThan(cols);
    seen.add(j);
  }
  expect(seen.size).toBe(rows);
}

describe('minCostAssignment', () => {
  it('matches brute force on random small square and rectangular matrices', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 400; trial++) {
      const rows = 1 + rng.int(7);
      const cols = rows + (trial % 2 === 0 ? 0 : rng.int(8 - rows));
      const cost = new Float64Array(rows * cols);
      const mode = trial % 3; // 0: real, 1: small integers (many ties), 2: mixed-sign reals
      for (let t = 0; t < cost.length; t++) {
        cost[t] = mode === 0 ? rng.uniform() * 10 : mode === 1 ? rng.int(3) : rng.normal() * 5;
      }
      const a = minCostAssignment(cost, rows, cols);
      expectValid(a, rows, cols);
      const total = assignmentTotal(cost, cols, a);
      if (mode === 1) expect(total).toBe(bruteMin(cost, rows, cols));
      else expect(total).toBeCloseTo(bruteMin(cost, rows, cols), 9);
    }
  });

  it('solves identity, anti-diagonal, constant and 1×1 cases', () => {
    const n = 5;
    const diag = new Float64Array(n * n).fill(1);
    const anti = new Float64Array(n * n).fill(1);
    for (let i = 0; i < n; i++) {
      diag[i * n + i] = 0;
      anti[i * n + (n - 1 - i)] = 0;
    }
    expect(Array.from(minCostAssignment(diag, n, n))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(minCostAssignment(anti, n, n))).toEqual([4, 3, 2, 1, 0]);
    const flat = minCostAssignment(new Float64Array(n * n).fill(3), n, n);
    expectValid(flat, n, n);
    expect(Array.from(minCostAssignment(Float64Array.of(-2.5), 1, 1))).toEqual([0]);
    expect(minCostAssignment(new Float64Array(0), 0, 3).length).toBe(0);
  });

  it('picks the cheapest columns of a wide matrix', () => {
    // 2×4: row 0 prefers col 3, row 1 prefers col 3 too but col 1 is nearly as good.
    const cost = Float64Array.of(5, 9, 9, 0, 9, 1, 9, 0.5);
    expect(Array.from(minCostAssignment(cost, 2, 4))).toEqual([3, 1]);
  });

  it('gives a valid assignment on 200×200 that no pairwise swap or free column improves', () => {
    const rng = new Rng(11);
    const n = 200;
    const cost = new Float64Array(n * n);
    for (let t = 0; t < cost.length; t++) cost[t] = rng.uniform();
    const a = minCostAssignment(cost, n, n);
    expectValid(a, n, n);
    let worstGain = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const now = cost[i * n + a[i]] + cost[j * n + a[j]];
        const swapped = cost[i * n + a[j]] + cost[j * n + a[i]];
        worstGain = Math.max(worstGain, now - swapped);
      }
    }
    expect(worstGain).toBeLessThanOrEqual(1e-12);
    // Optimal total of n uniform costs tends to π²/6 ≈ 1.64; a random permutation gives ≈ 100.
    expect(assignmentTotal(cost, n, a)).toBeLessThan(5);
  });

  it('leaves no free column cheaper than a row’s pick in a wide matrix', () => {
    const rng = new Rng(12);
    const rows = 60;
    const cols = 90;
    const cost = new Float64Array(rows * cols);
    for (let t = 0; t < cost.length; t++) cost[t] = rng.normal();
    const a = minCostAssignment(cost, rows, cols);
    expectValid(a, rows, cols);
    const taken = new Set(a);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        if (!taken.has(j)) expect(cost[i * cols + j]).toBeGreaterThanOrEqual(cost[i * cols + a[i]] - 1e-12);
      }
    }
  });

  it('rejects rows > cols, non-finite entries and wrong lengths with clear errors', () => {
    expect(() => minCostAssignment(new Float64Array(6), 3, 2)).toThrow(/rows ≤ cols/);
    expect(() => minCostAssignment(Float64Array.of(0, NaN, 1, 2), 2, 2)).toThrow(/\[0, 1\] is NaN/);
    expect(() => minCostAssignment(Float64Array.of(0, 1, Infinity, 2), 2, 2)).toThrow(/finite/);
    expect(() => minCostAssignment(new Float64Array(5), 2, 3)).toThrow(/length 5 does not match 2×3/);
    expect(() => minCostAssignment(new Float64Array(4), 2.5, 2)).toThrow(/integers/);
  });
});

describe('maxWeightAssignment', () => {
  it('maximizes total weight (matches brute force on the negation)', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 100; trial++) {
      const rows = 1 + rng.int(6);
      const cols = rows + rng.int(7 - rows);
      const w = new Float64Array(rows * cols);
      for (let t = 0; t < w.length; t++) w[t] = rng.uniform();
      const a = maxWeightAssignment(w, rows, cols);
      expectValid(a, rows, cols);
      const neg = w.map((x) => -x);
      expect(assignmentTotal(w, cols, a)).toBeCloseTo(-bruteMin(neg, rows, cols), 9);
    }
    expect(Array.from(maxWeightAssignment(Float64Array.of(0.1, 0.9, 0.8, 0.2), 2, 2))).toEqual([1, 0]);
    expect(() => maxWeightAssignment(Float64Array.of(NaN), 1, 1)).toThrow(/maxWeightAssignment/);
  });
});
