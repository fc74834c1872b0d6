// Dense float64 matrix-product kernels on row-major Float64Array views (offset + leading
// dimension), register-blocked for V8: scalar code has no SIMD, so speed comes from keeping
// several partial sums in registers and loading each operand once per block.

/**
 * C[i,j] = beta·C[i,j] + Σ_k A[i,k]·B[j,k] for i < m, j < n, k < kk (C = βC + A·Bᵀ).
 * beta is 0 (overwrite, C may hold garbage) or 1 (accumulate). Dot-product form, 4×2 blocks.
 */
export function gemmNT(
  m: number, n: number, kk: number,
  A: Float64Array, ao: number, lda: number,
  B: Float64Array, bo: number, ldb: number,
  C: Float64Array, co: number, ldc: number,
  beta: 0 | 1,
): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const c0 = co + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = bo + j * ldb, b1 = b0 + ldb;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let k = 0; k < kk; k++) {
        const x = B[b0 + k], y = B[b1 + k];
        const p = A[a0 + k], q = A[a1 + k], r = A[a2 + k], s = A[a3 + k];
        s00 += p * x; s01 += p * y; s10 += q * x; s11 += q * y;
        s20 += r * x; s21 += r * y; s30 += s * x; s31 += s * y;
      }
      if (beta === 0) {
        C[c0 + j] = s00; C[c0 + j + 1] = s01; C[c1 + j] = s10; C[c1 + j + 1] = s11;
        C[c2 + j] = s20; C[c2 + j + 1] = s21; C[c3 + j] = s30; C[c3 + j + 1] = s31;
      } else {
        C[c0 + j] += s00; C[c0 + j + 1] += s01; C[c1 + j] += s10; C[c1 + j + 1] += s11;
        C[c2 + j] += s20; C[c2 + j + 1] += s21; C[c3 + j] += s30; C[c3 + j + 1] += s31;
      }
    }
    if (j < n) {
      const b0 = bo + j * ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < kk; k++) {
        const x = B[b0 + k];
        s0 += A[a0 + k] * x; s1 += A[a1 + k] * x; s2 += A[a2 + k] * x; s3 += A[a3 + k] * x;
      }
      if (beta === 0) { C[c0 + j] = s0; C[c1 + j] = s1; C[c2 + j] = s2; C[c3 + j] = s3; }
      else { C[c0 + j] += s0; C[c1 + j] += s1; C[c2 + j] += s2; C[c3 + j] += s3; }
    }
  }
  for (; i < m; i++) {
    const a0 = ao + i * lda, c0 = co + i * ldc;
    for (let j = 0; j < n; j++) {
      const b0 = bo + j * ldb;
      let s = 0;
      for (let k = 0; k < kk; k++) s += A[a0 + k] * B[b0 + k];
      C[c0 + j] = beta === 0 ? s : C[c0 + j] + s;
    }
  }
}

/**
 * C[i,j] += alpha·Σ_k A[i,k]·B[k,j] for i < m, j < n, k < kk (C += αA·B), axpy form:
 * two rows of C against four rows of B per pass over j.
 */
export function gemmNN(
  m: number, n: number, kk: number, alpha: number,
  A: Float64Array, ao: number, lda: number,
  B: Float64Array, bo: number, ldb: number,
  C: Float64Array, co: number, ldc: number,
): void {
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = ao + i * lda, a1 = a0 + lda;
    const c0 = co + i * ldc, c1 = c0 + ldc;
    let k = 0;
    for (; k + 4 <= kk; k += 4) {
      const p0 = alpha * A[a0 + k], p1 = alpha * A[a0 + k + 1], p2 = alpha * A[a0 + k + 2], p3 = alpha * A[a0 + k + 3];
      const q0 = alpha * A[a1 + k], q1 = alpha * A[a1 + k + 1], q2 = alpha * A[a1 + k + 2], q3 = alpha * A[a1 + k + 3];
      const r0 = bo + k * ldb, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
      for (let j = 0; j < n; j++) {
        const x0 = B[r0 + j], x1 = B[r1 + j], x2 = B[r2 + j], x3 = B[r3 + j];
        C[c0 + j] += p0 * x0 + p1 * x1 + p2 * x2 + p3 * x3;
        C[c1 + j] += q0 * x0 + q1 * x1 + q2 * x2 + q3 * x3;
      }
    }
    for (; k < kk; k++) {
      const p = alpha * A[a0 + k], q = alpha * A[a1 + k], r = bo + k * ldb;
      for (let j = 0; j < n; j++) { const x = B[r + j]; C[c0 + j] += p * x; C[c1 + j] += q * x; }
    }
  }
  if (i < m) {
    const a0 = ao + i * lda, c0 = co + i * ldc;
    for (let k = 0; k < kk; k++) {
      const p = alpha * A[a0 + k], r = bo + k * ldb;
      for (let j = 0; j < n; j++) C[c0 + j] += p * B[r + j];
    }
  }
}
