// What the training benchmarks share: plain products fed like the step's own (random inputs of
// the same shapes), and the median and rounding of their timings.
import type * as ort from 'onnxruntime-node';
import { numel, type TNode } from '../engine/onnx/graph';
import { f32 } from '../engine/onnx/session';
import { Rng } from '../engine/util/rng';

/** Inputs a{i}, b{i} for every product i, each with its operands' shapes, uniform in ±0.5. */
export function productFeeds(products: readonly TNode[]): Record<string, ort.Tensor> {
  const rng = new Rng(1, 99);
  const feeds: Record<string, ort.Tensor> = {};
  products.forEach((g, i) => {
    for (const [key, t] of [[`a${i}`, g.inputs[0]], [`b${i}`, g.inputs[1]]] as const) {
      feeds[key] = f32(Float32Array.from({ length: numel(t.shape) }, () => rng.uniform() - 0.5), t.shape);
    }
  });
  return feeds;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Median milliseconds of `a` and of `b` over `rounds` rounds after two to warm up, run alternately
 * so that drift of a shared machine hits both alike.
 */
export async function timeAlternately(rounds: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<{ aMs: number; bMs: number }> {
  const aTimes: number[] = [];
  const bTimes: number[] = [];
  for (let i = 0; i < rounds + 2; i++) {
    const t0 = performance.now();
    await a();
    const t1 = performance.now();
    await b();
    const t2 = performance.now();
    if (i >= 2) {
      aTimes.push(t1 - t0);
      bTimes.push(t2 - t1);
    }
  }
  return { aMs: median(aTimes), bMs: median(bTimes) };
}
