// Tiny language-model shapes, parameters and token streams shared by the language-model tests.
import type { LmDims } from '../../src-main/engine/nn/lm';
import { Rng } from '../../src-main/engine/util/rng';

export const TINY: LmDims = { vocab: 11, dModel: 8, heads: 2, dHidden: 12, layers: 2, ctx: 5 };
export const BATCH = 3;

/** Parameters well away from the init's tiny scale, so that every gate's nonlinearity shows; gains around 1. */
export function spreadParams(specs: { name: string; shape: number[] }[], seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed, 7);
  return new Map(specs.map((s) => {
    const data = rng.fillNormal(new Float32Array(s.shape.reduce((a, b) => a * b, 1)), s.shape.length === 1 ? 0.2 : 0.4);
    if (s.shape.length === 1) data.forEach((v, i) => (data[i] = 1 + v));
    return [s.name, data];
  }));
}

export function tokens(seed: number, count: number, vocab: number): BigInt64Array {
  const rng = new Rng(seed, 3);
  return BigInt64Array.from({ length: count }, () => BigInt(rng.int(vocab)));
}

/** `n` sequences of ctx ids and their next-token targets, cut from one stream as a corpus would. */
export function sequences(seed: number, n: number, dims: LmDims): { ids: BigInt64Array; targets: BigInt64Array } {
  const seq = tokens(seed, n * (dims.ctx + 1), dims.vocab);
  const at = (i: number, shift: number) => seq[Math.floor(i / dims.ctx) * (dims.ctx + 1) + (i % dims.ctx) + shift];
  return { ids: BigInt64Array.from({ length: n * dims.ctx }, (_, i) => at(i, 0)), targets: BigInt64Array.from({ length: n * dims.ctx }, (_, i) => at(i, 1)) };
}
