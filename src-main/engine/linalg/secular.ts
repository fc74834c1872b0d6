// Roots of the secular equation f(λ) = 1 + ρ Σ_i z_i²/(d_i − λ) (d ascending, distinct, ρ > 0,
// ‖z‖ ≤ 1): root j lies in (d_j, d_{j+1}), the last in (d_{K−1}, d_{K−1} + ρ‖z‖²).
// Each root is returned as origin + τ, origin the nearer pole, so that the differences
// d_i − λ_j = (d_i − d_origin) − τ keep full relative accuracy (dlaed4's convention).
// Iteration: osculatory two-pole interpolation of ψ (poles ≤ j) and φ (poles > j), solved as
// a quadratic (the "fixed weight" idea of Li / dlaed4), kept inside a bisection bracket.

export interface SecularRoots {
  /** index of the pole each root is measured from */
  origin: Int32Array;
  /** λ_j − d[origin[j]] */
  tau: Float64Array;
}

/**
 * The two O(K) sums of each iteration on arrays of wasm memory (wasm.ts); `f64` hands out such
 * arrays, `sums` leaves ψ, ψ', φ, φ' in out[0..3], poleSum(d, w, K, a, b) = Σ w_i/((d_i − a) − b).
 */
export interface SecularKernels {
  f64(len: number): Float64Array;
  sums(delta: Float64Array, wgt: Float64Array, j: number, K: number, t: number, out: Float64Array): void;
  poleSum(d: Float64Array, wgt: Float64Array, K: number, a: number, b: number): number;
}

/** What every root needs: the poles d (ascending), the weights ρz², their sum; where roots go. */
export interface RootsWork {
  d: Float64Array;
  wgt: Float64Array;
  wsum: number;
  K: number;
  tau: Float64Array;
  origin: Int32Array;
}

/** The sums of SecularKernels, which rootsInRange needs (it allocates nothing). */
export type RootKernels = Pick<SecularKernels, 'sums' | 'poleSum'>;

/**
 * Runs `local(j0, j1)` over ranges that together cover [0, K), here or on another thread too
 * (wasm.ts shares them with the helper thread); roots are independent of each other.
 */
export type ShareRoots = (work: RootsWork, local: (j0: number, j1: number) => void) => void;

export function secularRoots(
  d: Float64Array, z: Float64Array, rho: number, K: number, k?: SecularKernels, tau: Float64Array = new Float64Array(K), share?: ShareRoots,
): SecularRoots {
  const alloc = k ? k.f64 : (len: number) => new Float64Array(len);
  const wgt = alloc(K), out = alloc(4), delta = alloc(K);
  // in the kernels' memory when there are kernels, so that another thread can write its roots
  const ob = alloc((K + 1) >> 1), origin = new Int32Array(ob.buffer, ob.byteOffset, K);
  let wsum = 0;
  for (let i = 0; i < K; i++) { wgt[i] = rho * z[i] * z[i]; wsum += wgt[i]; }
  let dk = d;
  if (k) { dk = alloc(K); dk.set(d.subarray(0, K)); }
  const work: RootsWork = { d: dk, wgt, wsum, K, tau, origin };
  const local = (j0: number, j1: number) => rootsInRange(work, j0, j1, delta, out, k);
  if (share) share(work, local);
  else local(0, K);
  return { origin, tau };
}

/** Roots j0 ≤ j < j1 into work.tau and work.origin; delta (length K) and out (4) are scratch. */
export function rootsInRange(work: RootsWork, j0: number, j1: number, delta: Float64Array, out: Float64Array, k?: RootKernels): void {
  const eps = 2 ** -53;
  const { d, wgt, wsum, K, tau, origin } = work;
  for (let j = j0; j < j1; j++) {
    const last = j === K - 1;
    let o: number, lo: number, hi: number;
    if (last) {
      o = j; lo = 0; hi = wsum * (1 + 8 * eps);
    } else {
      const gap = d[j + 1] - d[j], mid = gap / 2;
      let fm = 1;
      if (k) fm += k.poleSum(d, wgt, K, d[j], mid);
      else for (let i = 0; i < K; i++) fm += wgt[i] / (d[i] - d[j] - mid);
      if (fm >= 0) { o = j; lo = 0; hi = mid; } else { o = j + 1; lo = d[j] - d[j + 1] + mid; hi = 0; }
      if (lo >= hi) { lo = Math.min(lo, hi); }
    }
    const dor = d[o];
    for (let i = 0; i < K; i++) delta[i] = d[i] - dor;
    let t = 0.5 * (lo + hi);
    for (let iter = 0; iter < 200; iter++) {
      let psi = 0, dpsi = 0, phi = 0, dphi = 0;
      if (k) {
        k.sums(delta, wgt, j, K, t, out);
        psi = out[0]; dpsi = out[1]; phi = out[2]; dphi = out[3];
      } else {
        for (let i = 0; i <= j; i++) { const r = 1 / (delta[i] - t), q = wgt[i] * r; psi += q; dpsi += q * r; }
        for (let i = j + 1; i < K; i++) { const r = 1 / (delta[i] - t), q = wgt[i] * r; phi += q; dphi += q * r; }
      }
      const w = 1 + psi + phi;
      if (w === 0) break;
      if (w < 0) lo = t; else hi = t;
      const err = 8 * (1 - psi + phi) + 2 * Math.abs(t) * (dpsi + dphi);
      if (Math.abs(w) <= eps * err) break;
      if (hi - lo <= 4 * eps * Math.max(Math.abs(lo), Math.abs(hi)) || hi - lo < Number.MIN_VALUE * 4) break;
      const D1 = delta[j] - t;
      let tn = NaN;
      if (last) {
        const S = dpsi * D1 * D1, c = w - S / D1;
        if (c > 0) tn = delta[j] + S / c;
      } else {
        const D2 = delta[j + 1] - t;
        const S = dpsi * D1 * D1, T = dphi * D2 * D2;
        const a = w - S / D1 - T / D2;
        const b = a * (D1 + D2) + S + T, cc = D1 * D2 * w;
        let eta = NaN;
        if (a === 0) eta = cc / b;
        else {
          const disc = Math.sqrt(Math.max(b * b - 4 * a * cc, 0));
          const qd = b >= 0 ? b + disc : b - disc;
          const r1 = qd / (2 * a), r2 = qd !== 0 ? (2 * cc) / qd : NaN;
          eta = r1 > D1 && r1 < D2 ? r1 : r2;
        }
        tn = t + eta;
      }
      t = tn > lo && tn < hi ? tn : 0.5 * (lo + hi);
    }
    origin[j] = o;
    tau[j] = t;
  }
}
