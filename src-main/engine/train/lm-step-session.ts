// Sessions over the language model's graphs: one training step (parameters, optimizer state and
// a batch of token sequences in, the updated state out) and an evaluator (logits and mean
// cross-entropy of any number of sequences, in chunks). Static step shapes: each batch size gets
// its own step session.
import type * as ort from 'onnxruntime-node';
import type { Gate } from '../nn/gates';
import { checkLmDims, type LmDims, type LmParamSpec } from '../nn/lm';
import { createSession, f32, i64, scalarF32, type EpName } from '../onnx/session';
import { adamScalars } from './adamw';
import { names } from './graphs';
import { buildLmInference, buildLmTrainStep } from './lm-graphs';
import { stateFeeds, stateOut, type OptimState } from './step-session';
import type { TNode } from '../onnx/graph';

export type LmParams = Map<string, Float32Array>;

/** the largest float32: `clip` fed for "no clipping" (clip / max(norm, clip) is then 1) */
const NO_CLIP = 3.4028234663852886e38;

export class LmStepSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly dims: LmDims,
    private readonly specs: readonly LmParamSpec[],
    readonly batch: number,
    /** the step's matrix products (what a benchmark compares against) */
    readonly products: readonly TNode[],
  ) {}

  static async create(gate: Gate, dims: LmDims, specs: readonly LmParamSpec[], batch: number, opts: { ep: EpName; threads?: number }): Promise<LmStepSession> {
    checkLmDims(dims);
    const { model, products } = buildLmTrainStep(gate, dims, specs, batch);
    return new LmStepSession(await createSession(model, opts), dims, specs, batch, products);
  }

  /**
   * One AdamW step on `ids`, `targets` [batch, ctx] (targets are the ids shifted by one, as the
   * corpus cuts them). `clip` bounds the global gradient norm; Infinity turns clipping off.
   * Returns the state after the step, the batch loss and the gradient norm before clipping.
   */
  async run(state: OptimState, ids: BigInt64Array, targets: BigInt64Array, lr: number, wd: number, clip: number): Promise<{ state: OptimState; loss: number; gradNorm: number }> {
    const shape = [this.batch, this.dims.ctx];
    checkTokens(ids, shape, this.dims.vocab, 'input_ids');
    checkTokens(targets, shape, this.dims.vocab, 'targets');
    if (!(clip > 0)) throw new Error(`clip must be positive (Infinity for none), got ${clip}`);
    const t = state.step + 1;
    const sc = adamScalars(lr, wd, t);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: i64(ids, shape),
      targets: i64(targets, shape),
      decay: scalarF32(sc.decay),
      step_size: scalarF32(sc.stepSize),
      eps_hat: scalarF32(sc.epsHat),
      clip: scalarF32(Number.isFinite(clip) ? clip : NO_CLIP),
    };
    const out = await this.session.run({ ...feeds, ...stateFeeds(this.specs, state) });
    const first = (name: string) => (out[name].data as Float32Array)[0];
    return { state: stateOut(this.specs, out, t), loss: first('loss'), gradNorm: first('grad_norm') };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

export class LmEvaluator {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly dims: LmDims,
    private readonly specs: readonly LmParamSpec[],
    /** sequences per run: bounds the attention scores' memory */
    readonly chunk: number,
  ) {}

  static async create(gate: Gate, dims: LmDims, specs: readonly LmParamSpec[], opts: { ep: EpName; threads?: number; chunk?: number }): Promise<LmEvaluator> {
    checkLmDims(dims);
    const session = await createSession(buildLmInference(gate, dims, specs), opts);
    return new LmEvaluator(session, dims, specs, opts.chunk ?? 16);
  }

  /** logits [n, ctx, V] of `n` sequences `ids` [n, ctx] */
  async logits(params: ReadonlyMap<string, Float32Array>, ids: BigInt64Array, n: number): Promise<Float32Array> {
    const { ctx, vocab } = this.dims;
    checkTokens(ids, [n, ctx], vocab, 'input_ids');
    const out = new Float32Array(n * ctx * vocab);
    for (let start = 0; start < n; start += this.chunk) {
      const rows = Math.min(this.chunk, n - start);
      out.set(await this.run(params, ids.subarray(start * ctx, (start + rows) * ctx), rows), start * ctx * vocab);
    }
    return out;
  }

  /** mean next-token cross-entropy over all n·ctx positions, summed in float64 */
  async loss(params: ReadonlyMap<string, Float32Array>, ids: BigInt64Array, targets: BigInt64Array, n: number): Promise<number> {
    const { ctx, vocab: V } = this.dims;
    checkTokens(ids, [n, ctx], V, 'input_ids');
    checkTokens(targets, [n, ctx], V, 'targets');
    let total = 0;
    for (let start = 0; start < n; start += this.chunk) {
      const rows = Math.min(this.chunk, n - start);
      const logits = await this.run(params, ids.subarray(start * ctx, (start + rows) * ctx), rows);
      for (let r = 0; r < rows * ctx; r++) {
        const x = logits.subarray(r * V, r * V + V);
        let max = -Infinity;
        for (let j = 0; j < V; j++) max = Math.max(max, x[j]);
        let z = 0;
        for (let j = 0; j < V; j++) z += Math.exp(x[j] - max);
        total += max + Math.log(z) - x[Number(targets[start * ctx + r])];
      }
    }
    return total / (n * ctx);
  }

  private async run(params: ReadonlyMap<string, Float32Array>, ids: BigInt64Array, rows: number): Promise<Float32Array> {
    const feeds: Record<string, ort.Tensor> = { input_ids: i64(ids, [rows, this.dims.ctx]) };
    for (const s of this.specs) {
      const p = params.get(s.name);
      if (!p) throw new Error(`missing parameter '${s.name}'`);
      feeds[names.param(s.name)] = f32(p, s.shape);
    }
    return (await this.session.run(feeds)).logits.data as Float32Array;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** Token ids of the expected count, each in [0, vocab): ONNX Runtime's own message would be cryptic. */
function checkTokens(ids: BigInt64Array, shape: readonly number[], vocab: number, what: string): void {
  const count = shape.reduce((a, b) => a * b, 1);
  if (ids.length !== count) throw new Error(`${what} holds ${ids.length} tokens, expected [${shape}] = ${count}`);
  const v = BigInt(vocab);
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < 0n || ids[i] >= v) throw new Error(`${what}[${i}] = ${ids[i]} is outside the vocabulary [0, ${vocab})`);
  }
}
