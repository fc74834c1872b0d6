// One helper thread for the eigensolver, behind a synchronous API: the caller posts the helper
// (eigh-helper.ts) its share (half of a product's rows, the far rows of each tridiagonalisation
// step, one half of the tridiagonal problem), does its own, then blocks on Atomics.wait until the
// helper is done. Operands live in SharedArrayBuffers. If a thread cannot be had, everything
// runs on the caller's thread.

import { Worker } from 'node:worker_threads';
import { workerUrl } from '../util/app-files';
import { gemmNT } from './gemm';
import { backTransformRows } from './householder';

export type HelperJob = 'gemmNT' | 'backTransformRows' | 'wasmInit' | 'wasmGemmNT' | 'wasmBackTransformRows' | 'wasmServeRows' | 'wasmSecularRoots' | 'solveTridiagonal';

/** What the helper is posted: a job, its arguments, and the flag it sets when done. */
export interface HelperRequest {
  job: HelperJob;
  args: unknown[];
  flag: Int32Array;
}

interface Helper {
  worker: Worker;
  flag: Int32Array;
  /** the wasm module the helper has instantiated on the shared memory, if any */
  wasm?: object;
  error: string[];
}

const HELPER_URL = workerUrl(import.meta.url, 'eigh-helper');

let helper: Helper | null | undefined;

function getHelper(): Helper | null {
  if (helper !== undefined) return helper;
  try {
    const ready = new Int32Array(new SharedArrayBuffer(4));
    // no execArgv: flags of the host process (node -e, inspectors) must not decide whether it starts
    const worker = new Worker(HELPER_URL, { workerData: ready, execArgv: [] });
    // a synchronous handshake, once: a helper that cannot start must not leave us waiting later
    if (Atomics.wait(ready, 0, 0, 10_000) === 'timed-out') {
      void worker.terminate();
      helper = null;
      return helper;
    }
    const h: Helper = { worker, flag: new Int32Array(new SharedArrayBuffer(4)), error: [] };
    worker.on('message', (m) => h.error.push(String(m)));
    worker.on('error', () => { if (helper === h) helper = null; });
    worker.on('exit', () => { if (helper === h) helper = null; });
    // after the listeners: attaching a 'message' listener refs the thread again, and a helper
    // must never keep the process alive
    worker.unref();
    helper = h;
  } catch {
    helper = null;
  }
  return helper;
}

/** Whether a helper thread can be used (SharedArrayBuffer and worker_threads present). */
export function canParallel(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics?.wait === 'function' && getHelper() !== null;
}

/** A zeroed Float64Array on shared memory (helper-visible), or a plain one. */
export function sharedF64(len: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(8 * Math.max(len, 1)), 0, len) : new Float64Array(len);
}

/** Whether the helper is running a job (a product asked for meanwhile runs on this thread). */
let busy = false;

export function helperBusy(): boolean {
  return busy;
}

/**
 * Starts `job` on the helper with helperArgs and returns the function that waits for it (and
 * throws if it failed). All typed arrays in helperArgs must be on shared memory.
 */
function start(job: HelperJob, helperArgs: unknown[]): () => void {
  const h = getHelper();
  if (!h) throw new Error('eigh: no helper thread');
  if (busy) throw new Error('eigh: the helper thread is busy');
  busy = true;
  Atomics.store(h.flag, 0, 0);
  h.worker.postMessage({ job, args: helperArgs, flag: h.flag } satisfies HelperRequest);
  return () => {
    try {
      if (Atomics.wait(h.flag, 0, 0, 120_000) === 'timed-out') throw new Error('eigh: helper thread did not answer');
      if (Atomics.load(h.flag, 0) !== 1) throw new Error(`eigh: helper thread failed: ${h.error.join('; ')}`);
    } finally {
      busy = false;
    }
  };
}

/**
 * Run `job` on the helper with helperArgs and `local()` here, concurrently; returns when both
 * are done, even when `local` throws (the helper never outlives the call).
 */
function split(job: HelperJob, helperArgs: unknown[], local: () => void): void {
  const join = start(job, helperArgs);
  try {
    local();
  } finally {
    join();
  }
}

/**
 * Starts the eigen-decomposition of the tridiagonal (d, e) of size n on the helper (its own wasm
 * kernels, one thread) and returns the function that waits for it and hands back the result.
 */
export function solveTridiagonalAside(d: Float64Array, e: Float64Array, n: number): () => { values: Float64Array; vectors: Float64Array } {
  const ds = sharedF64(n, true), es = sharedF64(Math.max(n - 1, 0), true);
  ds.set(d.subarray(0, n));
  es.set(e.subarray(0, Math.max(n - 1, 0)));
  const values = sharedF64(n, true), vectors = sharedF64(n * n, true);
  const join = start('solveTridiagonal', [ds, es, n, values, vectors]);
  return () => {
    join();
    return { values: values.slice(), vectors: vectors.slice() };
  };
}

/** backTransformRows over rows [0, rows), the second part of the rows on the helper. */
export function parallelBackTransform(U: Float64Array, tau: Float64Array, n: number, Z: Float64Array, rows: number, nb: number): void {
  const mid = Math.floor(rows / 2);
  split('backTransformRows', [U, tau, n, Z, mid, rows, nb], () => backTransformRows(U, tau, n, Z, 0, mid, nb));
}

/** gemmNT with its m rows split between this thread and the helper (arrays shared). */
export function parallelGemmNT(
  m: number, n: number, kk: number,
  A: Float64Array, ao: number, lda: number,
  B: Float64Array, bo: number, ldb: number,
  C: Float64Array, co: number, ldc: number,
): void {
  const mid = (m >> 3) << 2; // a multiple of 4 near m/2 keeps the 4-row blocks whole
  split('gemmNT', [m - mid, n, kk, A, ao + mid * lda, lda, B, bo, ldb, C, co + mid * ldc, ldc, 0], () =>
    gemmNT(mid, n, kk, A, ao, lda, B, bo, ldb, C, co, ldc, 0),
  );
}

/**
 * A wasm job (wasm.ts) on the helper with helperArgs and `local()` here, concurrently; the helper
 * instantiates the same module on the same shared memory first, once.
 */
export function wasmSplit(
  k: { module: object; memory: object },
  job: 'wasmGemmNT' | 'wasmBackTransformRows' | 'wasmServeRows' | 'wasmSecularRoots', helperArgs: unknown[], local: () => void,
): void {
  const h = getHelper();
  if (!h) throw new Error('eigh: no helper thread');
  if (h.wasm !== k.module) {
    split('wasmInit', [k.module, k.memory], () => {});
    h.wasm = k.module;
  }
  split(job, helperArgs, local);
}
