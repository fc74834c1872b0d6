// Householder reduction of a symmetric matrix to tridiagonal form, Q·T·Qᵀ = A, and the
// back-transformation of tridiagonal eigenvectors by Q (blocked, compact WY form).

import { gemmNN, gemmNT } from './gemm';

/** The reduction: T's diagonal d and sub-diagonal e, and Q = H_0·H_1⋯H_{n−3} as reflectors. */
export interface Tridiagonal {
  n: number;
  d: Float64Array;
  e: Float64Array;
  /** row k holds reflector v_k of H_k = I − τ_k v_k v_kᵀ: zero up to k, v_k[k+1] = 1 */
  reflectors: Float64Array;
  tau: Float64Array;
}

/**
 * Tridiagonalise the symmetric matrix held in the lower triangle of `a` (n×n, row-major,
 * overwritten). Each step k builds the reflector that zeroes column k below the sub-diagonal
 * and applies the rank-2 update A ← A − v wᵀ − w vᵀ to the trailing lower triangle. The update
 * of step k and the product A·v of step k+1 are fused into one pass over the rows (the
 * classic dsytd2 does two), two rows at a time so that each loaded vector entry is used twice.
 * The pass also copies the next column into a contiguous vector, so that the reflector never
 * walks a column of `a` (one cache line per entry, held by the other thread's cache when the
 * pass is split).
 */
export function tridiagonalize(
  a: Float64Array, n: number, alloc: (len: number) => Float64Array = (len) => new Float64Array(len),
  kernels: TridiagonalKernels = { vec: () => new Float64Array(n), fusedUpdateSymv },
): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const U = alloc(n * n);
  const tau = alloc(Math.max(n - 2, 0));
  if (n <= 2) {
    for (let i = 0; i < n; i++) d[i] = a[i * n + i];
    if (n === 2) e[0] = a[n];
    return { n, d, e, reflectors: U, tau };
  }
  let v = kernels.vec(), w = kernels.vec();
  let vn = kernels.vec(), pn = kernels.vec();
  // column c of the trailing block, rows ≥ c: what the reflectors are built from
  const col = kernels.vec();

  // reflector 0 and p = τ A v by a plain symmetric product over rows ≥ 1
  d[0] = a[0];
  for (let i = 1; i < n; i++) col[i] = a[i * n];
  let t = reflector(col, n, 0, v, e);
  tau[0] = t;
  symv(a, n, 1, v, w);
  finishW(w, v, t, 1, n);
  for (let i = 1; i < n; i++) col[i] = a[i * n + 1];

  for (let k = 0; k <= n - 3; k++) {
    // column k+1 of the trailing block gets step k's update first: it defines reflector k+1
    const c = k + 1, vc = v[c], wc = w[c];
    for (let i = c; i < n; i++) col[i] -= v[i] * wc + w[i] * vc;
    d[c] = col[c];
    U.set(v.subarray(c, n), k * n + c);
    if (k + 1 <= n - 3) {
      vn.fill(0);
      const tn = reflector(col, n, c, vn, e);
      tau[c] = tn;
      kernels.fusedUpdateSymv(a, n, c + 1, v, w, vn, pn, col);
      finishW(pn, vn, tn, c + 1, n);
      [v, vn] = [vn, v];
      [w, pn] = [pn, w];
    } else {
      // last step: update the final 1×1 block and read off the rest of T
      const i = n - 1;
      a[i * n + i] -= 2 * v[i] * w[i];
      e[n - 2] = col[n - 1];
      d[n - 1] = a[(n - 1) * n + n - 1];
    }
  }
  return { n, d, e, reflectors: U, tau };
}

/** Where the work vectors live and who runs the fused pass (wasm.ts supplies a SIMD one). */
export interface TridiagonalKernels {
  /** a zeroed vector of length n */
  vec: () => Float64Array;
  fusedUpdateSymv: FusedPass;
}

/** One step's fused pass: the update of rows and columns ≥ s, and p = A_new·vn. */
export type FusedPass = typeof fusedUpdateSymv;

/** dlarfg on column k below the diagonal (held in col): fills v (v[k+1] = 1), sets e[k] = β, returns τ. */
function reflector(col: Float64Array, n: number, k: number, v: Float64Array, e: Float64Array): number {
  const alpha = col[k + 1];
  let scale = 0;
  for (let i = k + 2; i < n; i++) scale = Math.max(scale, Math.abs(col[i]));
  v.fill(0);
  if (scale === 0) {
    e[k] = alpha;
    return 0;
  }
  let ss = 0;
  for (let i = k + 2; i < n; i++) { const x = col[i] / scale; ss += x * x; }
  const xnorm = scale * Math.sqrt(ss);
  const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  const t = (beta - alpha) / beta;
  const f = 1 / (alpha - beta);
  v[k + 1] = 1;
  for (let i = k + 2; i < n; i++) v[i] = col[i] * f;
  e[k] = beta;
  return t;
}

/** p = A v over the trailing lower triangle from row/column s (p zeroed first). */
function symv(a: Float64Array, n: number, s: number, v: Float64Array, p: Float64Array): void {
  p.fill(0);
  for (let i = s; i < n; i++) {
    const ai = i * n, vi = v[i];
    let acc = a[ai + i] * vi;
    for (let j = s; j < i; j++) { const x = a[ai + j]; acc += x * v[j]; p[j] += x * vi; }
    p[i] += acc;
  }
}

/** p ← τp, then w = p − (τ/2)(pᵀv)v: the vector of the update A ← A − v wᵀ − w vᵀ. */
function finishW(p: Float64Array, v: Float64Array, t: number, s: number, n: number): void {
  let dot = 0;
  for (let i = s; i < n; i++) { p[i] *= t; dot += p[i] * v[i]; }
  const h = 0.5 * t * dot;
  for (let i = s; i < n; i++) p[i] -= h * v[i];
}

/**
 * Rows and columns ≥ s of the lower triangle: A ← A − v wᵀ − w vᵀ, p = A_new · vn, and
 * col[i] = A_new[i][s] (the next step's column). Two rows per pass; the diagonal 2×2 corner of
 * each row pair is handled apart.
 */
export function fusedUpdateSymv(
  a: Float64Array, n: number, s: number,
  v: Float64Array, w: Float64Array, vn: Float64Array, p: Float64Array, col: Float64Array,
): void {
  p.fill(0);
  let i = s;
  for (; i + 1 < n; i += 2) {
    const a0 = i * n, a1 = a0 + n;
    const v0 = v[i], w0 = w[i], x0 = vn[i];
    const v1 = v[i + 1], w1 = w[i + 1], x1 = vn[i + 1];
    let s0 = 0, s1 = 0;
    for (let j = s; j < i; j++) {
      const vj = v[j], wj = w[j], xj = vn[j];
      const b0 = a[a0 + j] - v0 * wj - w0 * vj;
      const b1 = a[a1 + j] - v1 * wj - w1 * vj;
      a[a0 + j] = b0;
      a[a1 + j] = b1;
      s0 += b0 * xj;
      s1 += b1 * xj;
      p[j] += b0 * x0 + b1 * x1;
    }
    const d0 = a[a0 + i] - 2 * v0 * w0;
    const o = a[a1 + i] - v1 * w0 - w1 * v0;
    const d1 = a[a1 + i + 1] - 2 * v1 * w1;
    a[a0 + i] = d0; a[a1 + i] = o; a[a1 + i + 1] = d1;
    p[i] += s0 + d0 * x0 + o * x1;
    p[i + 1] += s1 + o * x0 + d1 * x1;
    col[i] = a[a0 + s];
    col[i + 1] = a[a1 + s];
  }
  if (i < n) {
    const a0 = i * n, v0 = v[i], w0 = w[i], x0 = vn[i];
    let s0 = 0;
    for (let j = s; j < i; j++) {
      const b0 = a[a0 + j] - v0 * w[j] - w0 * v[j];
      a[a0 + j] = b0;
      s0 += b0 * vn[j];
      p[j] += b0 * x0;
    }
    const d0 = a[a0 + i] - 2 * v0 * w0;
    a[a0 + i] = d0;
    p[i] += s0 + d0 * x0;
    col[i] = a[a0 + s];
  }
}

/**
 * Z ← Z·Qᵀ for Z with `rows` rows of length n (row r = a vector in T's basis becomes the same
 * vector in A's basis). Rows are independent, so the work splits by rows (see parallel.ts).
 */
export function backTransform(tri: Tridiagonal, Z: Float64Array, rows: number, nb = 32): void {
  backTransformRows(tri.reflectors, tri.tau, tri.n, Z, 0, rows, nb);
}

/**
 * Rows [r0, r1) of Z ← Z·Qᵀ. Reflectors are applied in blocks of nb, last block first, each as
 * Z ← Z − (Z·Y)·Tᵀ·Yᵀ with Y the block's reflectors and T upper triangular (dlarft).
 */
export function backTransformRows(
  U: Float64Array, tau: Float64Array, n: number, Z: Float64Array, r0: number, r1: number, nb: number,
): void {
  const nr = n - 2, rows = r1 - r0;
  if (nr <= 0 || rows <= 0) return;
  const T = new Float64Array(nb * nb);
  const W = new Float64Array(rows * nb);
  const W2 = new Float64Array(rows * nb);
  const zo = r0 * n;
  for (let j0 = Math.floor((nr - 1) / nb) * nb; j0 >= 0; j0 -= nb) {
    const b = Math.min(nb, nr - j0);
    const s = j0 + 1, m = n - s;
    blockT(U, n, tau, j0, b, T, nb);
    // W = Z[:, s:n] · Y (Y's columns are rows j0..j0+b−1 of U)
    gemmNT(rows, b, m, Z, zo + s, n, U, j0 * n + s, n, W, 0, nb, 0);
    // W2 = W · Tᵀ: W2[r,c] = Σ_{d ≥ c} W[r,d] T[c,d]
    for (let r = 0; r < rows; r++) {
      const wr = r * nb;
      for (let c = 0; c < b; c++) {
        let acc = 0;
        for (let dd = c; dd < b; dd++) acc += W[wr + dd] * T[c * nb + dd];
        W2[wr + c] = acc;
      }
    }
    // Z[:, s:n] −= W2 · Yᵀ
    gemmNN(rows, m, b, -1, W2, 0, nb, U, j0 * n + s, n, Z, zo + s, n);
  }
}

/** The upper-triangular T of the block of reflectors j0..j0+b−1 (forward, dlarft). */
export function blockT(U: Float64Array, n: number, tau: Float64Array, j0: number, b: number, T: Float64Array, nb: number): void {
  T.fill(0);
  const y = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    const ti = tau[j0 + i], ui = (j0 + i) * n;
    T[i * nb + i] = ti;
    if (i === 0) continue;
    // y[c] = −τ_i · v_cᵀ v_i for c < i (v_i vanishes before j0+i+1)
    for (let c = 0; c < i; c++) {
      const uc = (j0 + c) * n;
      let acc = 0;
      for (let k = j0 + i + 1; k < n; k++) acc += U[uc + k] * U[ui + k];
      y[c] = -ti * acc;
    }
    // T[0:i, i] = T[0:i, 0:i] · y
    for (let r = 0; r < i; r++) {
      let acc = 0;
      for (let c = r; c < i; c++) acc += T[r * nb + c] * y[c];
      T[r * nb + i] = acc;
    }
  }
}
