// Implicit-shift QL on a symmetric tridiagonal matrix (EISPACK tql2, as in JAMA), with the
// rotations accumulated into eigenvector ROWS so that each rotation touches two contiguous rows.

/**
 * Eigenvalues of the tridiagonal (d, e) into d (unsorted), e destroyed (e[i] couples i and
 * i+1). Z holds `n` rows of length `len` at offset zo; rotations combine rows i and i+1, so
 * starting from the identity, row k ends as the eigenvector of d[k]. Throws if QL fails to
 * converge (never seen in practice: 30·n sweeps are allowed).
 */
export function tql2(d: Float64Array, e: Float64Array, n: number, Z: Float64Array, zo: number, len: number): void {
  if (n <= 1) return;
  const eps = 2 ** -52;
  const E = new Float64Array(n);
  E.set(e.subarray(0, n - 1));
  let f = 0, tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(E[l]));
    let m = l;
    while (m < n - 1 && Math.abs(E[m]) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 30 * n) throw new Error(`eigh: tridiagonal QL did not converge at index ${l}`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * E[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = E[l] / (p + r);
        d[l + 1] = E[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = E[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * E[i];
          h = c * p;
          r = Math.hypot(p, E[i]);
          E[i + 1] = s * r;
          s = E[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          rotateRows(Z, zo + i * len, zo + (i + 1) * len, len, c, s);
        }
        p = (-s * s2 * c3 * el1 * E[l]) / dl1;
        E[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(E[l]) > eps * tst1);
    }
    d[l] += f;
    E[l] = 0;
  }
}

/** (row i, row i+1) ← (c·ri − s·rj, s·ri + c·rj). */
function rotateRows(Z: Float64Array, ri: number, rj: number, len: number, c: number, s: number): void {
  for (let k = 0; k < len; k++) {
    const x = Z[ri + k], y = Z[rj + k];
    Z[rj + k] = s * x + c * y;
    Z[ri + k] = c * x - s * y;
  }
}
