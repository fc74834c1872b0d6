// The eigensolver's WebAssembly SIMD kernels (source: wasm/eigh-kernels.ts, AssemblyScript,
// built into eigh-kernels.wasm next to this file), loaded synchronously once. Operands live
// in the module's own linear memory: an arena is reserved (memory grown) once per phase, then
// carved into Float64Array views, so JS code can read and write the very same numbers the
// kernels see. If the module cannot be read or compiled (no WebAssembly SIMD), callers fall
// back to the JS kernels of gemm.ts and householder.ts.

import { readFileSync } from 'node:fs';
import { blockT } from './householder';

interface KernelExports {
  memory: WebAssembly.Memory;
  gemmNT(m: number, n: number, kk: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, beta: number): void;
  gemmNN(m: number, n: number, kk: number, alpha: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number): void;
  fusedUpdateSymv(a: number, n: number, s: number, v: number, w: number, vn: number, p: number): void;
}

let kernels: KernelExports | null | undefined;

/** The compiled kernels, or null where the module cannot be loaded or WebAssembly SIMD is missing. */
export function wasmKernels(): KernelExports | null {
  if (kernels !== undefined) return kernels;
  try {
    const bytes = readFileSync(new URL('./eigh-kernels.wasm', import.meta.url));
    kernels = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as KernelExports;
  } catch {
    kernels = null;
  }
  return kernels;
}

/** Whether eigh uses the wasm kernels by default: available, and not forced off by SQS_EIGH_KERNELS=js. */
export function wasmDefault(): boolean {
  return process.env.SQS_EIGH_KERNELS !== 'js' && wasmKernels() !== null;
}

/** First byte the arena hands out; below it the module's own (tiny) static data. */
const BASE = 65536;

/** Bump allocator over the module's memory. reserve() first; views stay valid until the next reserve(). */
export class Arena {
  private top = BASE;
  private end = BASE;
  constructor(readonly k: KernelExports) {}

  reserve(doubles: number): void {
    // every view is rounded up to 16 bytes
    const need = BASE + 8 * doubles + 4096;
    const have = this.k.memory.buffer.byteLength;
    if (need > have) this.k.memory.grow(Math.ceil((need - have) / 65536));
    this.top = BASE;
    this.end = need;
  }

  f64(len: number): Float64Array {
    const bytes = (8 * len + 15) & ~15;
    if (this.top + bytes > this.end) throw new Error('eigh: wasm arena overflow');
    const view = new Float64Array(this.k.memory.buffer, this.top, len);
    this.top += bytes;
    return view;
  }
}

let arena: Arena | undefined;
function getArena(k: KernelExports): Arena {
  return (arena ??= new Arena(k));
}

/** p = A_new·vn after A ← A − v wᵀ − w vᵀ (householder.ts's fusedUpdateSymv); all views of wasm memory. */
export function wasmFusedUpdateSymv(k: KernelExports) {
  return (a: Float64Array, n: number, s: number, v: Float64Array, w: Float64Array, vn: Float64Array, p: Float64Array): void =>
    k.fusedUpdateSymv(a.byteOffset, n, s, v.byteOffset, w.byteOffset, vn.byteOffset, p.byteOffset);
}

/** The n×n work matrix and the four vectors of the tridiagonalisation, in wasm memory (a copied in). */
export function wasmTridiagonalWork(k: KernelExports, a: Float64Array, n: number): { a: Float64Array; vec: () => Float64Array } {
  const ar = getArena(k);
  ar.reserve(n * n + 4 * n + 16);
  const wa = ar.f64(n * n);
  wa.set(a);
  return { a: wa, vec: () => ar.f64(n).fill(0) };
}

/**
 * C = A·Bᵀ (beta 0) on ordinary arrays, through wasm memory: the operand regions are copied in
 * and the m×n result copied out. For the merges of divide.ts, whose products are O(m·n·kk).
 */
export function wasmGemmNT(k: KernelExports) {
  return (
    m: number, n: number, kk: number,
    A: Float64Array, ao: number, lda: number,
    B: Float64Array, bo: number, ldb: number,
    C: Float64Array, co: number, ldc: number,
  ): void => {
    if (m <= 0 || n <= 0) return;
    const la = (m - 1) * lda + kk, lb = (n - 1) * ldb + kk;
    const ar = getArena(k);
    ar.reserve(la + lb + m * n + 8);
    const wa = ar.f64(la), wb = ar.f64(lb), wc = ar.f64(m * n);
    wa.set(A.subarray(ao, ao + la));
    wb.set(B.subarray(bo, bo + lb));
    k.gemmNT(m, n, kk, wa.byteOffset, lda, wb.byteOffset, ldb, wc.byteOffset, n, 0);
    for (let i = 0; i < m; i++) C.set(wc.subarray(i * n, i * n + n), co + i * ldc);
  };
}

/**
 * Z ← Z·Qᵀ for all n rows of Z (householder.ts's backTransformRows), with Z and the reflectors
 * copied into wasm memory once and every block's two products done there.
 */
export function wasmBackTransform(k: KernelExports, U: Float64Array, tau: Float64Array, n: number, Z: Float64Array, nb: number): void {
  const nr = n - 2, rows = n;
  if (nr <= 0) return;
  const ar = getArena(k);
  ar.reserve(2 * n * n + 2 * rows * nb + 8);
  const wu = ar.f64(n * n), wz = ar.f64(n * n), W = ar.f64(rows * nb), W2 = ar.f64(rows * nb);
  wu.set(U);
  wz.set(Z);
  const T = new Float64Array(nb * nb);
  const pu = wu.byteOffset, pz = wz.byteOffset;
  for (let j0 = Math.floor((nr - 1) / nb) * nb; j0 >= 0; j0 -= nb) {
    const b = Math.min(nb, nr - j0);
    const s = j0 + 1, m = n - s;
    blockT(wu, n, tau, j0, b, T, nb);
    // W = Z[:, s:n] · Y
    k.gemmNT(rows, b, m, pz + 8 * s, n, pu + 8 * (j0 * n + s), n, W.byteOffset, nb, 0);
    // W2 = W · Tᵀ
    for (let r = 0; r < rows; r++) {
      const wr = r * nb;
      for (let c = 0; c < b; c++) {
        let acc = 0;
        for (let dd = c; dd < b; dd++) acc += W[wr + dd] * T[c * nb + dd];
        W2[wr + c] = acc;
      }
    }
    // Z[:, s:n] −= W2 · Yᵀ
    k.gemmNN(rows, m, b, -1, W2.byteOffset, nb, pu + 8 * (j0 * n + s), n, pz + 8 * s, n);
  }
  Z.set(wz);
}
