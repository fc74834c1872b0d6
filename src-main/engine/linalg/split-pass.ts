// The tridiagonalisation's fused pass (householder.ts) split by rows between this thread and the
// helper thread (parallel.ts), with one fork and one join per Householder step. A step's pass
// lasts 10–100 µs, about what postMessage or an Atomics.wait wake-up costs, so both sides spin a
// little on a shared control block before they sleep in Atomics.wait; the helper stays in
// serveRows for the whole reduction.

import type { FusedPass } from './householder';

/** Slots of the control block (Int32Array on shared memory). */
const SEQ = 0, DONE = 1, STOP = 2, FAILED = 3, A = 4, N = 5, S = 6, R0 = 7, R1 = 8, V = 9, W = 10, VN = 11, P = 12, COL = 13;
export const CONTROL_INTS = 14;

/** The wasm kernel both threads run (wasm/eigh-kernels.ts), on byte addresses of the shared memory. */
export interface RowPassKernel {
  fusedUpdateSymv(a: number, n: number, s: number, r0: number, r1: number, v: number, w: number, vn: number, p: number, col: number): void;
}

/** Spins this many polls (a few µs) before sleeping: a step's pass is shorter than a wake-up. */
const SPIN = 20_000;
/** A helper that has not answered in this long is taken for dead. */
const PATIENCE_MS = 120_000;

/** Waits until ctl[slot] differs from `old` and returns the new value. */
function awaitChange(ctl: Int32Array, slot: number, old: number, patienceMs = Infinity): number {
  for (let i = 0; i < SPIN; i++) {
    const x = Atomics.load(ctl, slot);
    if (x !== old) return x;
  }
  const until = performance.now() + patienceMs;
  for (;;) {
    const x = Atomics.load(ctl, slot);
    if (x !== old) return x;
    if (performance.now() > until) throw new Error('eigh: helper thread did not answer');
    Atomics.wait(ctl, slot, old, Math.min(1000, patienceMs));
  }
}

/** The helper's side: runs the row ranges this thread posts, until it posts STOP. */
export function serveRows(k: RowPassKernel, ctl: Int32Array): void {
  let seen = 0;
  for (;;) {
    seen = awaitChange(ctl, SEQ, seen);
    if (Atomics.load(ctl, STOP)) return;
    try {
      k.fusedUpdateSymv(ctl[A], ctl[N], ctl[S], ctl[R0], ctl[R1], ctl[V], ctl[W], ctl[VN], ctl[P], ctl[COL]);
    } catch (e) {
      Atomics.store(ctl, FAILED, 1);
      throw e;
    } finally {
      Atomics.store(ctl, DONE, seen);
      Atomics.notify(ctl, DONE);
    }
  }
}

/** Below this many trailing rows a step's pass (a few µs) is too short to be worth a fork and join. */
export const SPLIT_MIN_ROWS = 96;
/**
 * This thread's share of a step's rows [s, n). Row i of the trailing lower triangle costs
 * i − s + 1, so equal halves split at s + rows/√2; this thread also does the step's serial work
 * (the next column, the reflector), hence a little less (measured against 0.62–0.75 at
 * n = 512 and 1024).
 */
const SPLIT_FRACTION = 0.69;

/**
 * This thread's side: a FusedPass that posts rows [mid, n) to the helper (which accumulates its
 * share of p in p2) and does rows [s, mid) itself; `stop` ends the helper's serveRows.
 */
export function splitPass(k: RowPassKernel, ctl: Int32Array, p2: Float64Array): { pass: FusedPass; stop: () => void } {
  let seq = 0;
  const post = () => {
    Atomics.store(ctl, SEQ, ++seq);
    Atomics.notify(ctl, SEQ);
  };
  const pass: FusedPass = (a, n, s, v, w, vn, p, col) => {
    const rows = n - s;
    if (rows < SPLIT_MIN_ROWS) {
      k.fusedUpdateSymv(a.byteOffset, n, s, s, n, v.byteOffset, w.byteOffset, vn.byteOffset, p.byteOffset, col.byteOffset);
      return;
    }
    const mid = s + Math.round(rows * SPLIT_FRACTION);
    ctl[A] = a.byteOffset; ctl[N] = n; ctl[S] = s; ctl[R0] = mid; ctl[R1] = n;
    ctl[V] = v.byteOffset; ctl[W] = w.byteOffset; ctl[VN] = vn.byteOffset; ctl[P] = p2.byteOffset; ctl[COL] = col.byteOffset;
    post();
    k.fusedUpdateSymv(a.byteOffset, n, s, s, mid, v.byteOffset, w.byteOffset, vn.byteOffset, p.byteOffset, col.byteOffset);
    if (awaitChange(ctl, DONE, seq - 1, PATIENCE_MS) !== seq || Atomics.load(ctl, FAILED)) throw new Error('eigh: helper thread failed in the tridiagonalisation');
    // the helper's rows reach p's entries [s, n); this thread's only [s, mid)
    for (let j = s; j < mid; j++) p[j] += p2[j];
    for (let j = mid; j < n; j++) p[j] = p2[j];
  };
  return { pass, stop: () => { Atomics.store(ctl, STOP, 1); post(); } };
}
