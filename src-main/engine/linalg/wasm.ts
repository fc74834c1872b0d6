// The eigensolver's WebAssembly SIMD kernels (source: wasm/eigh-kernels.ts, AssemblyScript,
// built into eigh-kernels.wasm next to this file), loaded synchronously once. Operands live
// in one shared linear memory: an arena is reserved (memory grown) once per phase, then
// carved into Float64Array views, so JS code reads and writes the very numbers the kernels
// see, and the helper thread (parallel.ts) runs the same module on the same memory. If the
// module cannot be read or compiled (no WebAssembly SIMD or shared memory), callers fall back
// to the JS kernels of gemm.ts and householder.ts.

import { readFileSync } from 'node:fs';
import { tridiagonalize, type Tridiagonal } from './householder';
import { divideAndConquer, type TridiagonalEigen } from './divide';
import { helperBusy, wasmSplit } from './parallel';
import { CONTROL_INTS, splitPass } from './split-pass';
import { wasmBackTransformRows } from './wasm-rows';
import { secularRoots, type RootKernels, type ShareRoots } from './secular';

export interface KernelExports {
  gemmNT(m: number, n: number, kk: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, beta: number): void;
  transpose(src: number, n: number, dst: number): void;
  fusedUpdateSymv(a: number, n: number, s: number, r0: number, r1: number, v: number, w: number, vn: number, p: number, col: number): void;
  secularSums(delta: number, wgt: number, j: number, K: number, t: number, out: number): void;
  poleSum(d: number, wgt: number, K: number, a: number, b: number): number;
  secularVectors(dl: number, zl: number, origin: number, tau: number, K: number, U: number, w: number, lambda: number): void;
}

/** The module's memory: 64 KiB pages, at most 2 GiB (address space reserved up front). */
const MAX_PAGES = 32768;

/** The parts of the WebAssembly API used here (the Node typings of tsconfig.node lack them). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (desc: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export interface WasmKernels extends KernelExports {
  memory: WasmMemory;
  /** the compiled module (opaque), for the helper thread to instantiate on the same memory */
  module: object;
}

let kernels: WasmKernels | null | undefined;

/** The compiled kernels, or null where the module cannot be loaded (no SIMD, no shared memory). */
export function wasmKernels(): WasmKernels | null {
  if (kernels !== undefined) return kernels;
  try {
    const bytes = readFileSync(new URL('./eigh-kernels.wasm', import.meta.url));
    if (!wasmApi) throw new Error('no WebAssembly');
    const module = new wasmApi.Module(bytes);
    const memory = new wasmApi.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
    const ex = new wasmApi.Instance(module, { env: { memory } }).exports as KernelExports;
    const { gemmNT, transpose, fusedUpdateSymv, secularSums, poleSum, secularVectors } = ex;
    kernels = { gemmNT, transpose, fusedUpdateSymv, secularSums, poleSum, secularVectors, memory, module };
  } catch {
    kernels = null;
  }
  return kernels;
}

/** Linear memory cannot shrink: past this, the module and its memory are dropped after the call. */
const KEEP_BYTES = 256 * 2 ** 20;

/** Drop the module and its memory if a call grew it past KEEP_BYTES (the next call reloads it). */
export function wasmRelease(): void {
  if (kernels && kernels.memory.buffer.byteLength > KEEP_BYTES) {
    kernels = undefined;
    arena = undefined;
  }
}

/** Whether the arena can hold `doubles` numbers (the memory's maximum is fixed). */
export function wasmFits(doubles: number): boolean {
  return BASE + 8 * doubles + 65536 <= MAX_PAGES * 65536;
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
  private buf: ArrayBufferLike | undefined;
  constructor(readonly k: WasmKernels) {}

  reserve(doubles: number): void {
    // every view is rounded up to 16 bytes
    const need = BASE + 8 * doubles + 4096;
    // reading memory.buffer of a shared memory makes a new object each time: keep one
    if (!this.buf || need > this.buf.byteLength) {
      const have = this.k.memory.buffer.byteLength;
      if (need > have) this.k.memory.grow(Math.ceil((need - have) / 65536));
      this.buf = this.k.memory.buffer;
    }
    this.top = BASE;
    this.end = need;
  }

  f64(len: number): Float64Array {
    const bytes = (8 * len + 15) & ~15;
    if (this.top + bytes > this.end) throw new Error('eigh: wasm arena overflow');
    const view = new Float64Array(this.buf!, this.top, len);
    this.top += bytes;
    return view;
  }
}

let arena: Arena | undefined;
function getArena(k: WasmKernels): Arena {
  return (arena ??= new Arena(k));
}

/** p = A_new·vn after A ← A − v wᵀ − w vᵀ (householder.ts's fusedUpdateSymv); all views of wasm memory. */
export function wasmFusedUpdateSymv(k: KernelExports) {
  return (a: Float64Array, n: number, s: number, v: Float64Array, w: Float64Array, vn: Float64Array, p: Float64Array, col: Float64Array): void =>
    k.fusedUpdateSymv(a.byteOffset, n, s, s, n, v.byteOffset, w.byteOffset, vn.byteOffset, p.byteOffset, col.byteOffset);
}

/** The n×n work matrix (not cleared) and the six vectors of the tridiagonalisation, in wasm memory. */
export function wasmTridiagonalWork(k: WasmKernels, n: number): { a: Float64Array; vec: () => Float64Array } {
  const ar = getArena(k);
  ar.reserve(n * n + 6 * n + 16);
  return { a: ar.f64(n * n), vec: () => ar.f64(n).fill(0) };
}

/** Reductions at least this large split each step's pass with the helper thread (measured: n = 256 1.47 → 1.16 ms). */
const PARALLEL_TRIDIAGONAL = 256;

/**
 * householder.ts's tridiagonalize on wasm memory, of the matrix `fill` writes into the n×n work
 * array (its lower triangle is what counts); with `par`, for n ≥ PARALLEL_TRIDIAGONAL, each
 * step's fused pass is split by rows with the helper thread.
 */
export function wasmTridiagonalize(k: WasmKernels, n: number, par: boolean, fill: (work: Float64Array) => void): Tridiagonal {
  const work = wasmTridiagonalWork(k, n);
  fill(work.a);
  if (!par || n < PARALLEL_TRIDIAGONAL) return tridiagonalize(work.a, n, undefined, { vec: work.vec, fusedUpdateSymv: wasmFusedUpdateSymv(k) });
  const ctl = new Int32Array(new SharedArrayBuffer(4 * CONTROL_INTS));
  const { pass, stop } = splitPass(k, ctl, work.vec());
  let tri: Tridiagonal | undefined;
  wasmSplit(k, 'wasmServeRows', [ctl], () => {
    try {
      tri = tridiagonalize(work.a, n, undefined, { vec: work.vec, fusedUpdateSymv: pass });
    } finally {
      stop();
    }
  });
  return tri!;
}

/** rootsInRange's sums on wasm memory (the arrays must be views of the kernels' memory). */
export function wasmRootKernels(k: Pick<KernelExports, 'secularSums' | 'poleSum'>): RootKernels {
  return {
    sums: (delta, wgt, j, K, t, out) => k.secularSums(delta.byteOffset, wgt.byteOffset, j, K, t, out.byteOffset),
    poleSum: (d, wgt, K, a, b) => k.poleSum(d.byteOffset, wgt.byteOffset, K, a, b),
  };
}

/** Merges with at least this many undeflated roots share the roots with the helper thread. */
const PARALLEL_ROOTS = 384;

/**
 * divide.ts's secularVectors on wasm memory: the roots by secular.ts with its sums in wasm (with
 * `par`, for K ≥ PARALLEL_ROOTS, the second half of the roots on the helper thread), then
 * Löwner's vectors in wasm. Results are copied out to ordinary arrays.
 */
export function wasmSecularVectors(k: WasmKernels, par = false) {
  const { sums, poleSum } = wasmRootKernels(k);
  return (dl: Float64Array, zl: Float64Array, rho: number, K: number): { lambda: Float64Array; U: Float64Array } => {
    const ar = getArena(k);
    ar.reserve(K * K + 14 * K + 64);
    const f64 = (len: number) => ar.f64(len);
    const tau = ar.f64(K);
    const share: ShareRoots | undefined = par && K >= PARALLEL_ROOTS && !helperBusy()
      ? (work, local) => {
          const delta = ar.f64(K), out = ar.f64(4), mid = K >> 1;
          const p = (x: Float64Array | Int32Array) => x.byteOffset;
          wasmSplit(k, 'wasmSecularRoots', [p(work.d), p(work.wgt), work.wsum, K, p(work.tau), p(work.origin), p(delta), p(out), mid, K], () => local(0, mid));
        }
      : undefined;
    const { origin } = secularRoots(dl, zl, rho, K, { f64, sums, poleSum }, tau, share);
    const wdl = ar.f64(K), wzl = ar.f64(K), U = ar.f64(K * K), w = ar.f64(K), lambda = ar.f64(K);
    const wob = ar.f64((K + 1) >> 1), wo = new Int32Array(wob.buffer, wob.byteOffset, K);
    wdl.set(dl); wzl.set(zl); wo.set(origin);
    k.secularVectors(wdl.byteOffset, wzl.byteOffset, wo.byteOffset, tau.byteOffset, K, U.byteOffset, w.byteOffset, lambda.byteOffset);
    return { lambda: lambda.slice(), U: U.slice() };
  };
}

/**
 * divide.ts's divideAndConquer on this thread's wasm kernels, one thread (the JS kernels where
 * the module cannot be had): what the helper thread runs for one half of the problem.
 */
export function wasmSolveTridiagonal(d: Float64Array, e: Float64Array, n: number): TridiagonalEigen {
  const k = wasmKernels();
  const r = divideAndConquer(d, e, n, undefined, false, k ? { product: wasmGemmNT(k), secular: wasmSecularVectors(k) } : undefined);
  wasmRelease();
  return r;
}

/** Merges at least this many rows split their product with the helper thread. */
const PARALLEL_ROWS = 384;

/**
 * C = A·Bᵀ (beta 0) on ordinary arrays, through wasm memory: the operand regions are copied in
 * and the m×n result copied out. For the merges of divide.ts, whose products are O(m·n·kk).
 * With `par`, large products split their rows with the helper thread.
 */
export function wasmGemmNT(k: WasmKernels, par = false) {
  return (
    m: number, n: number, kk: number,
    A: Float64Array, ao: number, lda: number,
    B: Float64Array, bo: number, ldb: number,
    C: Float64Array, co: number, ldc: number,
  ): void => {
    if (m <= 0 || n <= 0) return;
    const ar = getArena(k);
    ar.reserve(m * kk + n * kk + m * n + 8);
    const wa = ar.f64(m * kk), wb = ar.f64(n * kk), wc = ar.f64(m * n);
    // only the kk columns the product reads (the merges pass one half of a wider matrix)
    pack(wa, A, ao, lda, m, kk);
    pack(wb, B, bo, ldb, n, kk);
    const pa = wa.byteOffset, pb = wb.byteOffset, pc = wc.byteOffset;
    if (par && m >= PARALLEL_ROWS && !helperBusy()) {
      const mid = (m >> 3) << 2; // a multiple of 4 near m/2 keeps the 4-row blocks whole
      wasmSplit(k, 'wasmGemmNT', [m - mid, n, kk, pa + 8 * mid * kk, kk, pb, kk, pc + 8 * mid * n, n, 0], () =>
        k.gemmNT(mid, n, kk, pa, kk, pb, kk, pc, n, 0),
      );
    } else {
      k.gemmNT(m, n, kk, pa, kk, pb, kk, pc, n, 0);
    }
    for (let i = 0; i < m; i++) C.set(wc.subarray(i * n, i * n + n), co + i * ldc);
  };
}

/** dst (rows×cols, packed) = the rows×cols block of src at offset o with row stride ld. */
function pack(dst: Float64Array, src: Float64Array, o: number, ld: number, rows: number, cols: number): void {
  if (ld === cols) {
    dst.set(src.subarray(o, o + rows * cols));
    return;
  }
  for (let i = 0; i < rows; i++) dst.set(src.subarray(o + i * ld, o + i * ld + cols), i * cols);
}

/**
 * Z ← Z·Qᵀ for all n rows of Z (householder.ts's backTransformRows), with Z and the reflectors
 * copied into wasm memory once and every block's products done there; with `par`, the second
 * half of the rows on the helper thread.
 */
export function wasmBackTransform(k: WasmKernels, U: Float64Array, tau: Float64Array, n: number, Z: Float64Array, nb: number, par = false): void {
  if (n <= 2) return;
  const ar = getArena(k);
  ar.reserve(3 * n * n + n + 2 * n * nb + 4 * nb * nb + 16);
  const wu = ar.f64(n * n), wut = ar.f64(n * n), wt = ar.f64(n - 2), wz = ar.f64(n * n), W = ar.f64(n * nb), W2 = ar.f64(n * nb);
  const T1 = ar.f64(nb * nb), G1 = ar.f64(nb * nb), T2 = ar.f64(nb * nb), G2 = ar.f64(nb * nb);
  wu.set(U);
  k.transpose(wu.byteOffset, n, wut.byteOffset);
  wt.set(tau.subarray(0, n - 2));
  wz.set(Z);
  const pu = wu.byteOffset, put = wut.byteOffset, pt = wt.byteOffset, pz = wz.byteOffset, pw = W.byteOffset, pw2 = W2.byteOffset;
  if (par) {
    const mid = n >> 1, off = 8 * mid * nb;
    wasmSplit(k, 'wasmBackTransformRows', [pu, put, pt, n, pz, mid, n, nb, pw + off, pw2 + off, T2.byteOffset, G2.byteOffset], () =>
      wasmBackTransformRows(k, k.memory, pu, put, pt, n, pz, 0, mid, nb, pw, pw2, T1.byteOffset, G1.byteOffset),
    );
  } else {
    wasmBackTransformRows(k, k.memory, pu, put, pt, n, pz, 0, n, nb, pw, pw2, T1.byteOffset, G1.byteOffset);
  }
  Z.set(wz);
}
