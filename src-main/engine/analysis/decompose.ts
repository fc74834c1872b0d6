// A class's spectrum in the order researchers read it: components by |λ| descending. Each
// eigenvector keeps the sign the solver gave it; the sign it is stored and shown with is set
// from the class's test examples (gauge.ts).
import { eigh } from '../linalg/eigh';

export interface Spectrum {
  /** eigenvalues sorted by |λ| descending */
  values: Float64Array;
  /** row k is v_k, same order */
  vectors: Float64Array;
  n: number;
}

export function spectrumOf(q: Float64Array, n: number): Spectrum {
  const { values, vectors } = eigh(q, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]) || b - a);
  const sortedValues = new Float64Array(n);
  const sortedVectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    sortedValues[k] = values[src];
    sortedVectors.set(vectors.subarray(src * n, (src + 1) * n), k * n);
  });
  return { values: sortedValues, vectors: sortedVectors, n };
}

/** exp(H(p)) with p = |λ| / Σ|λ|: how many components carry the weight. */
export function effectiveRank(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += Math.abs(values[i]);
  if (total === 0) return 0;
  let h = 0;
  for (let i = 0; i < values.length; i++) {
    const p = Math.abs(values[i]) / total;
    if (p > 0) h -= p * Math.log(p);
  }
  return Math.exp(h);
}

/** (‖v‖₁/‖v‖₂)² / n: 1 for a flat vector, 1/n for a one-hot one. */
export function sparsity(v: ArrayLike<number>): number {
  let l1 = 0;
  let l2 = 0;
  for (let i = 0; i < v.length; i++) {
    l1 += Math.abs(v[i]);
    l2 += v[i] * v[i];
  }
  return l2 === 0 ? 0 : (l1 * l1) / l2 / v.length;
}
