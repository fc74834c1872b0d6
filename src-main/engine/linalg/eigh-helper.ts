// The eigensolver's helper thread (parallel.ts): runs its share of the work on operands in
// shared memory, and says it is done through the caller's flag (1 done, 2 failed,
// with the error posted first), which the caller waits on with Atomics.wait.
import { parentPort, workerData } from 'node:worker_threads';
import { gemmNT } from './gemm';
import { backTransformRows } from './householder';
import { wasmBackTransformRows } from './wasm-rows';
import { serveRows, type RowPassKernel } from './split-pass';
import { rootsInRange } from './secular';
import { wasmRootKernels, wasmSolveTridiagonal } from './wasm';
import type { HelperJob, HelperRequest } from './parallel';

type RowKernels = Parameters<typeof wasmBackTransformRows>[0] & RowPassKernel & Parameters<typeof wasmRootKernels>[0];
let kernels: RowKernels | null = null;
let memory: { readonly buffer: ArrayBufferLike } | null = null;
const wasm = (globalThis as unknown as { WebAssembly: { Instance: new (module: object, imports: object) => { exports: unknown } } }).WebAssembly;

const JOBS: Record<HelperJob, (...args: never[]) => void> = {
  gemmNT,
  backTransformRows,
  wasmInit: (module: object, shared: { readonly buffer: ArrayBufferLike }) => {
    memory = shared;
    kernels = new wasm.Instance(module, { env: { memory: shared } }).exports as RowKernels;
  },
  wasmGemmNT: (...args: Parameters<RowKernels['gemmNT']>) => kernels!.gemmNT(...args),
  wasmBackTransformRows: (...args: Parameters<typeof wasmBackTransformRows> extends [unknown, unknown, ...infer R] ? R : never) => wasmBackTransformRows(kernels!, memory!, ...args),
  wasmServeRows: (ctl: Int32Array) => serveRows(kernels!, ctl),
  wasmSecularRoots: (pd: number, pw: number, wsum: number, K: number, ptau: number, porigin: number, pdelta: number, pout: number, j0: number, j1: number) => {
    const buf = memory!.buffer;
    const work = { d: new Float64Array(buf, pd, K), wgt: new Float64Array(buf, pw, K), wsum, K, tau: new Float64Array(buf, ptau, K), origin: new Int32Array(buf, porigin, K) };
    rootsInRange(work, j0, j1, new Float64Array(buf, pdelta, K), new Float64Array(buf, pout, 4), wasmRootKernels(kernels!));
  },
  // on this thread's own kernels and memory, not the caller's
  solveTridiagonal: (d: Float64Array, e: Float64Array, n: number, values: Float64Array, vectors: Float64Array) => {
    const r = wasmSolveTridiagonal(d, e, n);
    values.set(r.values);
    vectors.set(r.vectors);
  },
};

parentPort!.on('message', ({ job, args, flag }: HelperRequest) => {
  try {
    (JOBS[job] as (...a: unknown[]) => void)(...args);
    Atomics.store(flag, 0, 1);
  } catch (e) {
    parentPort!.postMessage(String((e as Error)?.stack ?? e));
    Atomics.store(flag, 0, 2);
  }
  Atomics.notify(flag, 0);
});

// ready: the caller waits for this once, synchronously, before posting any job
const ready = workerData as Int32Array;
Atomics.store(ready, 0, 1);
Atomics.notify(ready, 0);
