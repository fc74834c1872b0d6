// Sampling text from a language model: the prompt's tokens right-padded to the context (causal
// attention makes the padding invisible to earlier positions), the next token drawn from the
// softmax of the last real position's logits at a temperature, optionally among the top k only.
import type { Params } from '../nn/classifier';
import { Rng } from '../util/rng';

export interface SampleOptions {
  maxTokens: number;
  /** 0: always the most likely token */
  temperature: number;
  /** 0: every token may be drawn */
  topK: number;
  seed: number;
  ctx: number;
  /** stop after drawing this token (e.g. <|endoftext|>) */
  stopAt?: number;
}

/** What sampling needs of a model: logits [n, ctx, V] for n windows of token ids. */
export interface LogitSource {
  logits(params: Params, ids: BigInt64Array, n: number): Promise<Float32Array>;
}

const STREAM_SAMPLE = 4_000_000;

/** The tokens drawn after `prompt` (not including it). */
export async function sampleTokens(model: LogitSource, params: Params, prompt: readonly number[], o: SampleOptions): Promise<number[]> {
  if (prompt.length === 0) throw new Error('the prompt holds no tokens');
  const rng = new Rng(o.seed, STREAM_SAMPLE);
  const seq = [...prompt];
  const out: number[] = [];
  const ids = new BigInt64Array(o.ctx);
  for (let k = 0; k < o.maxTokens; k++) {
    const window = seq.slice(-o.ctx);
    ids.fill(0n);
    window.forEach((t, i) => (ids[i] = BigInt(t)));
    const logits = await model.logits(params, ids, 1);
    const vocab = logits.length / o.ctx;
    const row = logits.subarray((window.length - 1) * vocab, window.length * vocab);
    const next = drawToken(row, o.temperature, o.topK, rng);
    seq.push(next);
    out.push(next);
    if (next === o.stopAt) break;
  }
  return out;
}

/** One token from logits: argmax at temperature 0, else softmax(logits / T) over the top k (all when k = 0), in float64. */
export function drawToken(logits: Float32Array, temperature: number, topK: number, rng: Rng): number {
  const V = logits.length;
  if (temperature === 0) {
    let arg = 0;
    for (let i = 1; i < V; i++) if (logits[i] > logits[arg]) arg = i;
    return arg;
  }
  let order = Array.from({ length: V }, (_, i) => i);
  if (topK > 0 && topK < V) order = order.sort((a, b) => logits[b] - logits[a] || a - b).slice(0, topK);
  let max = -Infinity;
  for (const i of order) max = Math.max(max, logits[i]);
  const weights = order.map((i) => Math.exp((logits[i] - max) / temperature));
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng.uniform() * total;
  for (let j = 0; j < order.length; j++) {
    u -= weights[j];
    if (u < 0) return order[j];
  }
  return order[order.length - 1];
}
