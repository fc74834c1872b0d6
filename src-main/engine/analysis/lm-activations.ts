// The language model's real activations, for reading its MLPs: a sibling of the inference model
// (lm-graphs.ts, whose model.onnx stays as it is) that outputs, per layer, the MLP's normalised
// input x̂ and its output MLP(x̂), and the residual stream the final norm reads, from which the
// final norm's per-position rms follows. Everything a reading compares against comes from here.
import type * as ort from 'onnxruntime-node';
import { encodeModel, type GraphOutput } from '../onnx/encode';
import { GraphBuilder } from '../onnx/graph';
import { createSession, f32, i64, type EpName } from '../onnx/session';
import { LM_NORM_EPS, lmForward, type LmTaps } from '../nn/lm';
import type { LmModel } from '../train/lm-trainer';
import { names } from '../train/graphs';

/** Activations at `positions` = rows × ctx token positions, row-major by (row, position). */
export interface LmActivations {
  positions: number;
  d: number;
  /** per layer: x̂ [positions, d] */
  mlpIn: Float32Array[];
  /** per layer: MLP(x̂) [positions, d] */
  mlpOut: Float32Array[];
  /** per position: √(mean(x²) + ε) of the final residual, the final norm's divisor */
  finalRms: Float64Array;
}

/** Sequences per run: bounds the attention scores' memory. */
const CHUNK = 16;

/** x̂, MLP(x̂) per layer and the final rms for `rows` sequences `ids` [rows, ctx]. */
export async function captureActivations(model: LmModel, params: ReadonlyMap<string, Float32Array>, ids: BigInt64Array, rows: number, opts: { ep?: EpName; threads?: number } = {}): Promise<LmActivations> {
  const { dims, specs } = model;
  const { ctx, dModel: d, layers } = dims;
  if (ids.length !== rows * ctx) throw new Error(`expected ${rows}×${ctx} token ids, got ${ids.length}`);
  const session = await createSession(readoutModel(model), { ep: opts.ep ?? 'cpu', threads: opts.threads });
  const P = rows * ctx;
  const out: LmActivations = {
    positions: P,
    d,
    mlpIn: Array.from({ length: layers }, () => new Float32Array(P * d)),
    mlpOut: Array.from({ length: layers }, () => new Float32Array(P * d)),
    finalRms: new Float64Array(P),
  };
  const weights: Record<string, ort.Tensor> = {};
  for (const s of specs) {
    const p = params.get(s.name);
    if (!p) throw new Error(`missing parameter '${s.name}'`);
    weights[names.param(s.name)] = f32(p, s.shape);
  }
  try {
    for (let start = 0; start < rows; start += CHUNK) {
      const n = Math.min(CHUNK, rows - start);
      const r = await session.run({ ...weights, input_ids: i64(ids.subarray(start * ctx, (start + n) * ctx), [n, ctx]) });
      const at = start * ctx * d;
      for (let l = 0; l < layers; l++) {
        out.mlpIn[l].set(r[`mlp_in.${l}`].data as Float32Array, at);
        out.mlpOut[l].set(r[`mlp_out.${l}`].data as Float32Array, at);
      }
      const x = r.residual.data as Float32Array;
      for (let p = 0; p < n * ctx; p++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += x[p * d + i] * x[p * d + i];
        out.finalRms[start * ctx + p] = Math.sqrt(s / d + LM_NORM_EPS);
      }
    }
  } finally {
    await session.release();
  }
  return out;
}

/** input_ids [N, ctx] and the parameters as inputs → mlp_in.ℓ, mlp_out.ℓ, residual, each [N, ctx, d]. */
function readoutModel({ gate, dims, specs }: LmModel): Uint8Array {
  const b = new GraphBuilder();
  const ids = b.input('input_ids', [1, dims.ctx], { dtype: 'int64', dynamicBatch: true });
  const params = new Map(specs.map((s) => [s.name, b.input(names.param(s.name), s.shape)]));
  const taps: LmTaps = { mlpInputs: [], mlpOutputs: [] };
  lmForward(b, gate, dims, params, ids, taps);
  const shaped = (name: string, node: NonNullable<LmTaps['finalResidual']>): GraphOutput => ({ name, node: b.reshape(node, [1, dims.ctx, dims.dModel], true), dynamicBatch: true });
  const outputs = [
    ...taps.mlpInputs.map((n, l) => shaped(`mlp_in.${l}`, n)),
    ...taps.mlpOutputs.map((n, l) => shaped(`mlp_out.${l}`, n)),
    shaped('residual', taps.finalResidual!),
  ];
  return encodeModel({ name: `glu_lm_readout_${gate.name}`, inputs: b.inputs, outputs });
}
