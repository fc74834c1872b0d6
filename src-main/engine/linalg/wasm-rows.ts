// The wasm back-transformation's row loop, run by this thread and by the helper thread
// (eigh-helper.ts) on the kernels each has instantiated. Pointers are byte addresses into the
// kernels' shared memory.

interface RowKernels {
  gemmNT(m: number, n: number, kk: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, beta: number): void;
}

/**
 * Rows [r0, r1) of Z ← Z·Qᵀ (householder.ts's backTransformRows) on wasm memory: U (n×n
 * reflectors) at pu and its transpose at put, tau at ptau, Z (n×n) at pz; work space private to
 * the caller: W and W2 ((r1 − r0)×nb) at pw, pw2, T and G (nb×nb) at pt, pg.
 */
export function wasmBackTransformRows(
  k: RowKernels, memory: { readonly buffer: ArrayBufferLike }, pu: number, put: number, ptau: number, n: number, pz: number,
  r0: number, r1: number, nb: number, pw: number, pw2: number, pt: number, pg: number,
): void {
  const nr = n - 2, rows = r1 - r0;
  if (nr <= 0 || rows <= 0) return;
  const buf = memory.buffer;
  const tau = new Float64Array(buf, ptau, nr), T = new Float64Array(buf, pt, nb * nb), G = new Float64Array(buf, pg, nb * nb);
  const zr = pz + 8 * r0 * n;
  for (let j0 = Math.floor((nr - 1) / nb) * nb; j0 >= 0; j0 -= nb) {
    const b = Math.min(nb, nr - j0);
    const s = j0 + 1, m = n - s, py = pu + 8 * (j0 * n + s);
    // T of the block (dlarft) from the Gram matrix G = Y·Yᵀ (reflectors vanish before their start)
    k.gemmNT(b, b, m, py, n, py, n, pg, nb, 0);
    blockTFromGram(G, tau, j0, b, T, nb);
    for (let i = 0; i < nb * nb; i++) T[i] = -T[i];
    // W = Z[:, s:n] · Y, then W2 = −W · Tᵀ (T upper triangular, zero below)
    k.gemmNT(rows, b, m, zr + 8 * s, n, py, n, pw, nb, 0);
    k.gemmNT(rows, b, b, pw, nb, pt, nb, pw2, nb, 0);
    // Z[:, s:n] += W2 · Yᵀ, Yᵀ's rows being columns j0..j0+b−1 of Uᵀ's rows s..n−1
    k.gemmNT(rows, m, b, pw2, nb, put + 8 * (s * n + j0), n, zr + 8 * s, n, 1);
  }
}

/** householder.ts's blockT with the dot products v_cᵀv_i read from G[c, i]. */
export function blockTFromGram(G: Float64Array, tau: Float64Array, j0: number, b: number, T: Float64Array, nb: number): void {
  T.fill(0);
  const y = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    const ti = tau[j0 + i];
    T[i * nb + i] = ti;
    for (let c = 0; c < i; c++) y[c] = -ti * G[c * nb + i];
    for (let r = 0; r < i; r++) {
      let acc = 0;
      for (let c = r; c < i; c++) acc += T[r * nb + c] * y[c];
      T[r * nb + i] = acc;
    }
  }
}
