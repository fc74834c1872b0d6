// Symmetric eigensolver in float64: Householder tridiagonalisation, Cuppen's divide and
// conquer on the tridiagonal (implicit QL on small blocks), back-transformation by the
// reflectors in blocked WY form — the path of LAPACK's dsyevd, written for V8. The hot loops
// run as WebAssembly SIMD kernels (wasm.ts) where available, else as the JS kernels.

import { backTransformRows, tridiagonalize } from './householder';
import { canParallel, parallelBackTransform, sharedF64, solveTridiagonalAside } from './parallel';
import { divideAndConquer } from './divide';
import { wasmBackTransform, wasmDefault, wasmFits, wasmGemmNT, wasmKernels, wasmRelease, wasmSecularVectors, wasmTridiagonalize } from './wasm';

export interface EighResult {
  /** ascending */
  values: Float64Array;
  /** n×n row-major; ROW k is the unit eigenvector of values[k] */
  vectors: Float64Array;
}

export interface EighOptions {
  /** largest |a_ij − a_ji| accepted, relative to max|a_ij| (default 1e-10) */
  symmetryTolerance?: number;
  /**
   * use one helper thread (default: when n ≥ 128 on the JS kernels, n ≥ 384 on the wasm ones,
   * and worker_threads with SharedArrayBuffer are available); the call stays synchronous. On the
   * JS kernels it shares the back-transformation and the large merges; on the wasm ones also
   * each step of the tridiagonalisation and one half of the divide and conquer
   */
  parallel?: boolean;
  /**
   * 'wasm': the WebAssembly SIMD kernels of wasm.ts for the tridiagonalisation, the merges and
   * the back-transformation, the helper thread (same module, shared memory) joining for n ≥ 384,
   * where it pays (measured); the default where the module loads, unless SQS_EIGH_KERNELS=js.
   * 'js': the plain JS kernels, with the helper thread as above. Both are tested alike.
   */
  kernels?: 'wasm' | 'js';
}

const BACK_BLOCK = 32;
/** with two threads sharing the memory bus, passes over Z dominate: wider blocks (measured) */
const WASM_BACK_BLOCK_PAR = 64;
/**
 * From this n the wasm path uses the helper thread by default. Two threads pay from n = 256 in a
 * warm process (6.35 → 5.87 ms a call), but an analysis makes about ten calls in a fresh thread,
 * and starting and warming the helper costs more than it saves there (measured: `analyze` of a
 * d = 256 run 1.18–1.25 s with the helper from 384, 1.26–1.35 s from 256).
 */
const WASM_PARALLEL = 384;

/**
 * All eigenvalues (ascending) and orthonormal eigenvectors of the symmetric n×n matrix `a`
 * (row-major; left untouched). The input is checked: length n·n, finite entries, and
 * |a_ij − a_ji| ≤ tol·max|a|; the solver then uses the symmetric part ½(A + Aᵀ).
 * Guarantees (tested): max_k ‖A v_k − λ_k v_k‖₂ ≤ 1e-8·‖A‖_F and max|VᵀV − I| ≤ 1e-8
 * (measured: about 1e-16·‖A‖_F and 1e-14). Synchronous; for large n one helper thread
 * shares the work (see parallel.ts).
 */
export function eigh(a: Float64Array, n: number, options: EighOptions = {}): EighResult {
  const amax = checkedMax(a, n);
  const tol = options.symmetryTolerance ?? 1e-10;
  // scale by a power of two (exact) so that max|a| is in [1, 2): no overflow or underflow
  const scale = amax > 0 ? 2 ** -Math.floor(Math.log2(amax)) : 1;
  // the solver's copy: the symmetric part's lower triangle, scaled, checked on the way
  const fill = (w: Float64Array) => symmetricLower(a, n, tol, amax, scale, w);
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) };
  if (amax === 0) return zeroResult(n);

  const wk = (options.kernels ?? (wasmDefault() ? 'wasm' : 'js')) === 'wasm' ? wasmKernels() : null;
  if (options.kernels === 'wasm' && !wk) throw new Error('eigh: the WebAssembly SIMD kernels are not available here');
  if (wk && n >= 8 && wasmFits(3 * n * n + 4 * n * WASM_BACK_BLOCK_PAR)) {
    const wpar = (options.parallel ?? n >= WASM_PARALLEL) && canParallel();
    const tri = wasmTridiagonalize(wk, n, wpar, fill);
    const aside = wpar && n >= WASM_PARALLEL ? solveTridiagonalAside : undefined;
    const { values, vectors } = divideAndConquer(tri.d, tri.e, n, undefined, false, { product: wasmGemmNT(wk, wpar), secular: wasmSecularVectors(wk, wpar), aside });
    wasmBackTransform(wk, tri.reflectors, tri.tau, n, vectors, wpar ? WASM_BACK_BLOCK_PAR : BACK_BLOCK, wpar);
    wasmRelease();
    for (let k = 0; k < n; k++) values[k] /= scale;
    return { values, vectors };
  }
  const par = (options.parallel ?? n >= 128) && n >= 8 && canParallel();
  const w = new Float64Array(n * n);
  fill(w);
  const tri = tridiagonalize(w, n, (len) => sharedF64(len, par));
  const { values, vectors: z } = divideAndConquer(tri.d, tri.e, n, undefined, par);
  let vectors = z;
  if (par) {
    const zs = sharedF64(n * n, true);
    zs.set(z);
    parallelBackTransform(tri.reflectors, tri.tau, n, zs, n, BACK_BLOCK);
    vectors = zs.slice(); // hand back ordinary memory
  } else {
    backTransformRows(tri.reflectors, tri.tau, n, vectors, 0, n, BACK_BLOCK);
  }
  for (let k = 0; k < n; k++) values[k] /= scale;
  return { values, vectors };
}

/** Checks n, the length and that every entry is finite; returns max|a_ij|. */
function checkedMax(a: Float64Array, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`eigh: n must be a non-negative integer, got ${n}`);
  if (a.length !== n * n) throw new Error(`eigh: expected ${n}×${n} = ${n * n} entries, got ${a.length}`);
  let amax = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (!Number.isFinite(x)) throw new Error(`eigh: entry (${Math.floor(i / n)}, ${i % n}) is ${x}`);
    amax = Math.max(amax, Math.abs(x));
  }
  return amax;
}

/**
 * Writes scale·½(a_ij + a_ji) into the lower triangle of w (the upper is left as it was), and
 * throws if some |a_ij − a_ji| exceeds tol·max|a|.
 */
function symmetricLower(a: Float64Array, n: number, tol: number, amax: number, scale: number, w: Float64Array): void {
  let worst = 0, wi = 0, wj = 0;
  // in 32×32 tiles, so that the transposed reads a[j][i] stay in cache; the first worst entry
  // in row-major order is reported, as an untiled loop would
  for (let i0 = 0; i0 < n; i0 += 32) {
    const i1 = Math.min(i0 + 32, n);
    for (let j0 = 0; j0 <= i0; j0 += 32) {
      for (let i = i0; i < i1; i++) {
        const j1 = Math.min(j0 + 32, i + 1);
        for (let j = j0; j < j1; j++) {
          const x = a[i * n + j], y = a[j * n + i];
          const dev = Math.abs(x - y);
          if (dev > worst || (dev === worst && dev > 0 && (i < wi || (i === wi && j < wj)))) { worst = dev; wi = i; wj = j; }
          // ½ and the power of two are exact: the same number as scaling afterwards
          w[i * n + j] = 0.5 * (x + y) * scale;
        }
      }
    }
  }
  if (worst > tol * amax) {
    throw new Error(
      `eigh: matrix is not symmetric: |a[${wi}][${wj}] − a[${wj}][${wi}]| = ${worst.toExponential(3)} ` +
        `(a[${wi}][${wj}] = ${a[wi * n + wj]}, a[${wj}][${wi}] = ${a[wj * n + wi]}) exceeds ` +
        `${tol.toExponential(1)} × max|a| = ${(tol * amax).toExponential(3)}`,
    );
  }
}

function zeroResult(n: number): EighResult {
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  return { values: new Float64Array(n), vectors };
}
