// The WebAssembly kernel of Rng.addNormal's fast path (wasm/normal-kernel.ts, embedded as
// base64): input noise is most of the work of preparing a training batch, and this runs it in
// about half the time of the JS loop, with the same bytes. Null where WebAssembly is missing.
import { WASM_BASE64 } from './normal-kernel-wasm';

/** Elements per call: the chunk, and its misses at worst, fit the module's memory. */
const CHUNK = 1 << 16;
const STATE = 0;
const K = 16;
const W = K + 128 * 4;
const MISSES = 2048;
const OUT = MISSES + CHUNK * 8;

export interface NormalKernel {
  /**
   * Runs the fast path over `out`, advancing `state` (four int32s) as the JS loop does, and
   * returns the misses as (index, draw) pairs in order, for the caller to finish.
   */
  fastPath(state: Int32Array, out: Float32Array, std: number): { misses: Int32Array; count: number };
}

let kernel: NormalKernel | null | undefined;

/** The parts of the WebAssembly API used here (the Node typings of tsconfig.node lack them). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

export function normalKernel(k: Int32Array, w: Float64Array): NormalKernel | null {
  if (kernel === undefined) kernel = load(k, w);
  return kernel;
}

/** Whether the kernel has loaded and runs (tests: the JS loop alone would pass them too). */
export function normalKernelLoaded(): boolean {
  return !!kernel;
}

function load(k: Int32Array, w: Float64Array): NormalKernel | null {
  const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return null;
  try {
    const bytes = Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
    const exports = new wasm.Instance(new wasm.Module(bytes), {}).exports as {
      memory: WasmMemory;
      addNormalFast: (out: number, len: number, std: number, state: number, k: number, w: number, misses: number) => number;
    };
    const memory = exports.memory;
    const pages = Math.ceil((OUT + CHUNK * 4) / 65536) - memory.buffer.byteLength / 65536;
    if (pages > 0) memory.grow(pages);
    const i32 = new Int32Array(memory.buffer);
    const f32 = new Float32Array(memory.buffer);
    i32.set(k, K >> 2);
    new Float64Array(memory.buffer).set(w, W >> 3);
    return {
      fastPath(state, out, std) {
        i32.set(state, STATE >> 2);
        let misses = new Int32Array(256);
        let count = 0;
        for (let start = 0; start < out.length; start += CHUNK) {
          const len = Math.min(CHUNK, out.length - start);
          f32.set(out.subarray(start, start + len), OUT >> 2);
          const m = exports.addNormalFast(OUT, len, std, STATE, K, W, MISSES);
          out.set(f32.subarray(OUT >> 2, (OUT >> 2) + len), start);
          if (count + 2 * m > misses.length) {
            const grown = new Int32Array(Math.max(2 * misses.length, count + 2 * m));
            grown.set(misses.subarray(0, count));
            misses = grown;
          }
          for (let q = 0; q < m; q++) {
            misses[count++] = i32[(MISSES >> 2) + 2 * q] + start;
            misses[count++] = i32[(MISSES >> 2) + 2 * q + 1];
          }
        }
        state.set(i32.subarray(STATE >> 2, (STATE >> 2) + 4));
        return { misses, count };
      },
    };
  } catch {
    return null;
  }
}
