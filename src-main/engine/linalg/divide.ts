// Cuppen's divide and conquer for the symmetric tridiagonal eigenproblem (the scheme of
// LAPACK's dstedc/dlaed0–3): tear T into two halves plus a rank-one term, solve the halves,
// deflate, solve the secular equation, and rebuild orthogonal eigenvectors with Löwner's
// formula (Gu & Eisenstat), so orthogonality does not depend on how close the roots are.
// Eigenvectors are ROWS throughout.

import { gemmNT } from './gemm';
import { helperBusy, parallelGemmNT, sharedF64 } from './parallel';
import { secularRoots } from './secular';
import { tql2 } from './tridiagonal';

/** Blocks up to this size are solved by implicit QL directly. */
export const LEAF_SIZE = 32;

export interface TridiagonalEigen {
  values: Float64Array;
  vectors: Float64Array;
}

/** Eigen-decomposition of the tridiagonal (d, e) of size n; values ascending, row k ↔ values[k]. */
export function divideAndConquer(d: Float64Array, e: Float64Array, n: number, leaf = LEAF_SIZE, parallel = false, kernels?: MergeKernels): TridiagonalEigen {
  merger = kernels;
  try {
    return solve(Float64Array.from(d), Float64Array.from(e), n, Math.max(leaf, 2), parallel, kernels?.aside);
  } finally {
    merger = undefined;
  }
}

/** Replacements for the merges' two heavy steps (wasm.ts supplies SIMD ones). */
export interface MergeKernels {
  product: ProductNT;
  secular: typeof secularVectors;
  /**
   * Starts solving a half elsewhere (the helper thread) and returns the function that waits for
   * its result: the top level's two halves are then solved at the same time.
   */
  aside?: (d: Float64Array, e: Float64Array, m: number) => () => TridiagonalEigen;
}

/** C = A·Bᵀ for the merges (overwrites C's m×n block); wasm.ts supplies a SIMD one. */
export type ProductNT = (
  m: number, n: number, kk: number,
  A: Float64Array, ao: number, lda: number,
  B: Float64Array, bo: number, ldb: number,
  C: Float64Array, co: number, ldc: number,
) => void;

/** The kernels of the current divideAndConquer call, when not the JS ones. */
let merger: MergeKernels | undefined;

/** Merges at least this large split their products with the helper thread. */
const PARALLEL_MERGE = 128;

function solve(d: Float64Array, e: Float64Array, m: number, leaf: number, parallel: boolean, aside?: MergeKernels['aside']): TridiagonalEigen {
  if (m <= leaf) {
    const Q = new Float64Array(m * m);
    for (let i = 0; i < m; i++) Q[i * m + i] = 1;
    const lam = Float64Array.from(d);
    tql2(lam, Float64Array.from(e), m, Q, 0, m);
    return sortRows(lam, Q, m);
  }
  const n1 = m >> 1;
  const beta = e[n1 - 1];
  const d1 = d.slice(0, n1), d2 = d.slice(n1);
  d1[n1 - 1] -= Math.abs(beta);
  d2[0] -= Math.abs(beta);
  const rightAside = aside?.(d2, e.subarray(n1), m - n1);
  let left: TridiagonalEigen;
  try {
    left = solve(d1, e.subarray(0, n1 - 1), n1, leaf, parallel);
  } catch (err) {
    try { rightAside?.(); } catch { /* the first error is the one to report */ }
    throw err;
  }
  const right = rightAside ? rightAside() : solve(d2, e.subarray(n1), m - n1, leaf, parallel);
  return merge(left, right, beta, n1, m, parallel && m >= PARALLEL_MERGE && !helperBusy());
}

/** Sort eigenpairs ascending (rows of Q move with their values). */
function sortRows(lam: Float64Array, Q: Float64Array, m: number): TridiagonalEigen {
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => lam[i] - lam[j]);
  let sorted = true;
  for (let i = 0; i < m; i++) if (order[i] !== i) { sorted = false; break; }
  if (sorted) return { values: lam, vectors: Q };
  const values = new Float64Array(m), vectors = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    values[i] = lam[order[i]];
    vectors.set(Q.subarray(order[i] * m, order[i] * m + m), i * m);
  }
  return { values, vectors };
}

/**
 * Eigenpairs of diag(T1, T2) + β (e_{n1−1} + e_{n1})(…)ᵀ from those of T1 and T2
 * (whose corner entries were already reduced by |β|).
 */
function merge(left: TridiagonalEigen, right: TridiagonalEigen, beta: number, n1: number, m: number, par: boolean): TridiagonalEigen {
  const n2 = m - n1;
  const eps = 2 ** -53;
  // the old basis: block-diagonal rows, and the rank-one vector z = Qᵀw / √2, ρ = 2|β|
  const Q = new Float64Array(m * m);
  const d = new Float64Array(m), z = new Float64Array(m);
  const type = new Uint8Array(m);
  const sb = beta < 0 ? -Math.SQRT1_2 : Math.SQRT1_2;
  for (let i = 0; i < n1; i++) {
    Q.set(left.vectors.subarray(i * n1, i * n1 + n1), i * m);
    d[i] = left.values[i];
    z[i] = left.vectors[i * n1 + n1 - 1] * Math.SQRT1_2;
    type[i] = 1;
  }
  for (let i = 0; i < n2; i++) {
    Q.set(right.vectors.subarray(i * n2, i * n2 + n2), (n1 + i) * m + n1);
    d[n1 + i] = right.values[i];
    z[n1 + i] = right.vectors[i * n2] * sb;
    type[n1 + i] = 2;
  }
  const rho = 2 * Math.abs(beta);

  // ascending order of the merged diagonal (both halves are sorted already)
  const order = new Int32Array(m);
  for (let i = 0, j = n1, k = 0; k < m; k++) {
    order[k] = j >= m || (i < n1 && d[i] <= d[j]) ? i++ : j++;
  }

  // deflation (dlaed2): tiny components of z, and pairs of close d rotated into one
  let dmax = 0, zmax = 0;
  for (let i = 0; i < m; i++) { dmax = Math.max(dmax, Math.abs(d[i])); zmax = Math.max(zmax, Math.abs(z[i])); }
  const tol = 8 * eps * Math.max(dmax, zmax);
  const keep: number[] = [];
  let pj = -1;
  if (rho * zmax > tol) {
    for (let t = 0; t < m; t++) {
      const nj = order[t];
      if (rho * Math.abs(z[nj]) <= tol) continue;
      if (pj < 0) { pj = nj; continue; }
      let s = z[pj], c = z[nj];
      const tau = Math.hypot(c, s);
      const gap = d[nj] - d[pj];
      c /= tau; s = -s / tau;
      if (Math.abs(gap * c * s) <= tol) {
        z[nj] = tau; z[pj] = 0;
        rotateRows(Q, pj * m, nj * m, m, c, s);
        if (type[pj] !== type[nj]) type[pj] = type[nj] = 3;
        const dp = d[pj] * c * c + d[nj] * s * s;
        d[nj] = d[pj] * s * s + d[nj] * c * c;
        d[pj] = dp;
      } else {
        keep.push(pj);
      }
      pj = nj;
    }
    if (pj >= 0) keep.push(pj);
  }
  const K = keep.length;
  const values = new Float64Array(m);
  const rows = sharedF64(m * m, par);
  // deflated pairs keep their (possibly rotated) rows and values, after the K new ones
  const isKept = new Uint8Array(m);
  for (const i of keep) isKept[i] = 1;
  for (let i = 0, r = K; i < m; i++) {
    if (isKept[i]) continue;
    values[r] = d[i];
    rows.set(Q.subarray(i * m, i * m + m), r * m);
    r++;
  }
  if (K > 0) {
    const dl = new Float64Array(K), zl = new Float64Array(K);
    for (let i = 0; i < K; i++) { dl[i] = d[keep[i]]; zl[i] = z[keep[i]]; }
    const { lambda, U } = (merger?.secular ?? secularVectors)(dl, zl, rho, K);
    values.set(lambda);
    combine(U, K, keep, type, Q, n1, m, rows, par);
  }
  return sortRows(values, rows, m);
}

/**
 * Roots λ_j of 1 + ρ Σ z_i²/(d_i − λ) and the unit eigenvectors of diag(d) + ρ z zᵀ as rows
 * U[j, i] ∝ ẑ_i / (d_i − λ_j), with ẑ from Löwner's formula so that they are orthogonal.
 */
export function secularVectors(dl: Float64Array, zl: Float64Array, rho: number, K: number): { lambda: Float64Array; U: Float64Array } {
  const { origin, tau } = secularRoots(dl, zl, rho, K);
  const lambda = new Float64Array(K);
  // U[j*K + i] = d_i − λ_j, computed from the nearest pole for accuracy
  const U = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    const o = dl[origin[j]], t = tau[j], uj = j * K;
    lambda[j] = o + t;
    for (let i = 0; i < K; i++) U[uj + i] = (dl[i] - o) - t;
  }
  // Löwner: ẑ_i² = −(d_i − λ_i) Π_{j≠i} (d_i − λ_j)/(d_i − d_j)
  const w = new Float64Array(K);
  for (let i = 0; i < K; i++) w[i] = U[i * K + i];
  for (let j = 0; j < K; j++) {
    const uj = j * K, dj = dl[j];
    for (let i = 0; i < K; i++) if (i !== j) w[i] *= U[uj + i] / (dl[i] - dj);
  }
  for (let i = 0; i < K; i++) w[i] = zl[i] >= 0 ? Math.sqrt(-w[i]) : -Math.sqrt(-w[i]);
  for (let j = 0; j < K; j++) {
    const uj = j * K;
    let ss = 0;
    for (let i = 0; i < K; i++) { const x = w[i] / U[uj + i]; U[uj + i] = x; ss += x * x; }
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < K; i++) U[uj + i] *= inv;
  }
  return { lambda, U };
}

/**
 * rows[j] = Σ_i U[j,i] · Q[keep[i]] for j < K, exploiting the block structure (dlaed3): old
 * rows of type 1 live in columns < n1, type 2 in columns ≥ n1, type 3 (rotated across the
 * halves) in both. Ordering them 1, 3, 2 makes each half one product.
 */
function combine(U: Float64Array, K: number, keep: number[], type: Uint8Array, Q: Float64Array, n1: number, m: number, rows: Float64Array, par: boolean): void {
  const mult = par ? parallelGemmNT : merger?.product ?? ((M: number, N: number, L: number, A: Float64Array, ao: number, lda: number, B: Float64Array, bo: number, ldb: number, C: Float64Array, co: number, ldc: number) => gemmNT(M, N, L, A, ao, lda, B, bo, ldb, C, co, ldc, 0));
  const g: number[] = [];
  for (const ty of [1, 3, 2]) for (let i = 0; i < K; i++) if (type[keep[i]] === ty) g.push(i);
  let c1 = 0, c3 = 0;
  for (let i = 0; i < K; i++) { const ty = type[keep[i]]; if (ty === 1) c1++; else if (ty === 3) c3++; }
  const Up = sharedF64(K * K, par);
  for (let j = 0; j < K; j++) for (let ii = 0; ii < K; ii++) Up[j * K + ii] = U[j * K + g[ii]];
  const n2 = m - n1;
  const kt = c1 + c3, kb = K - c1;
  // top half: columns [0, n1) from old rows g[0 .. c1+c3)
  if (kt > 0) {
    const Bt = sharedF64(n1 * kt, par);
    for (let ii = 0; ii < kt; ii++) {
      const src = keep[g[ii]] * m;
      for (let c = 0; c < n1; c++) Bt[c * kt + ii] = Q[src + c];
    }
    mult(K, n1, kt, Up, 0, K, Bt, 0, kt, rows, 0, m);
  }
  // bottom half: columns [n1, m) from old rows g[c1 .. K)
  if (kb > 0) {
    const Bb = sharedF64(n2 * kb, par);
    for (let ii = 0; ii < kb; ii++) {
      const src = keep[g[c1 + ii]] * m + n1;
      for (let c = 0; c < n2; c++) Bb[c * kb + ii] = Q[src + c];
    }
    mult(K, n2, kb, Up, c1, K, Bb, 0, kb, rows, n1, m);
  }
}

/** (x, y) ← (c·x + s·y, c·y − s·x) on rows at offsets xo, yo (LAPACK drot). */
function rotateRows(Q: Float64Array, xo: number, yo: number, len: number, c: number, s: number): void {
  for (let k = 0; k < len; k++) {
    const x = Q[xo + k], y = Q[yo + k];
    Q[xo + k] = c * x + s * y;
    Q[yo + k] = c * y - s * x;
  }
}
