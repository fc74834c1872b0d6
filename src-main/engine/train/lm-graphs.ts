// The language model's two graphs: the training step (forward, next-token cross-entropy,
// backward, global-norm clipping, AdamW; parameters and optimizer state in, updated ones out)
// and the inference model (token ids → logits).
import { gradients, topologicalOrder } from '../onnx/autodiff';
import { encodeModel, type GraphOutput } from '../onnx/encode';
import { GraphBuilder, type TNode } from '../onnx/graph';
import { isNormGain, lmForward, type LmDims, type LmParamSpec } from '../nn/lm';
import type { Gate } from '../nn/gates';
import { adamwUpdate } from './adamw';
import { names } from './graphs';

export interface LmTrainStepGraph {
  model: Uint8Array;
  /** the step's matrix products (gemm and matmul nodes), for timing plain products of the same work */
  products: TNode[];
}

/**
 * One AdamW step on a batch of `batch` sequences of `dims.ctx` tokens. Inputs: `input_ids` and
 * `targets` [batch, ctx] int64, `param.*`, `m.*`, `v.*`, scalars `decay`, `step_size`,
 * `eps_hat` (train/adamw.ts) and `clip`. Outputs: `loss`, `grad_norm` (before clipping),
 * `new.param.*`, `new.m.*`, `new.v.*`.
 */
export function buildLmTrainStep(gate: Gate, dims: LmDims, specs: readonly LmParamSpec[], batch: number): LmTrainStepGraph {
  const b = new GraphBuilder();
  const ids = b.input('input_ids', [batch, dims.ctx], { dtype: 'int64' });
  const targets = b.input('targets', [batch, dims.ctx], { dtype: 'int64' });
  const params = new Map(specs.map((s) => [s.name, b.input(names.param(s.name), s.shape, { needsGrad: true })]));
  const logits = lmForward(b, gate, dims, params, ids);
  const loss = b.tokenCrossEntropy(logits, b.reshape(targets, [batch * dims.ctx]));
  const grads = gradients(b, loss, [...params.values()]);

  // global-norm clipping: every gradient × clip / max(‖g‖, clip)
  const gradNorm = b.sqrt(grads.map((g) => b.sum(b.mul(g, g))).reduce((s, t) => b.add(s, t)));
  const clip = b.input('clip', []);
  const factor = b.div(clip, b.maximum(gradNorm, clip));

  const moments = specs.map((s) => ({ m: b.input(names.m(s.name), s.shape), v: b.input(names.v(s.name), s.shape) }));
  const scalars = { decay: b.input('decay', []), stepSize: b.input('step_size', []), epsHat: b.input('eps_hat', []) };
  // Weight decay on matrices only (embeddings and unembedding included), never on norm gains:
  // the nanoGPT convention.
  const noDecay = { ...scalars, decay: b.scalar(1) };
  const outputs: GraphOutput[] = [{ name: 'loss', node: loss }, { name: 'grad_norm', node: gradNorm }];
  specs.forEach((s, i) => {
    const u = adamwUpdate(b, params.get(s.name)!, b.mul(grads[i], factor), moments[i].m, moments[i].v, isNormGain(s) ? noDecay : scalars);
    outputs.push({ name: names.newParam(s.name), node: u.p }, { name: names.newM(s.name), node: u.m }, { name: names.newV(s.name), node: u.v });
  });
  const model = encodeModel({ name: `lm_train_step_${gate.name}`, inputs: b.inputs, outputs });
  const products = topologicalOrder(outputs.map((o) => o.node)).filter((n) => n.op === 'gemm' || n.op === 'matmul');
  return { model, products };
}

/**
 * Inference model: `input_ids` [N, ctx] int64, N symbolic → `logits` [N, ctx, V] float32. With
 * `weights` they are baked in (a run's model.onnx, which any ONNX Runtime loads); without, they
 * are inputs `param.<name>` (evaluation and sampling during training). The length is fixed at
 * ctx: a shorter prompt is right-padded with any token, and since attention is causal the
 * logits at the prompt's positions do not depend on the padding.
 */
export function buildLmInference(
  gate: Gate,
  dims: LmDims,
  specs: readonly LmParamSpec[],
  opts: { weights?: ReadonlyMap<string, Float32Array>; metadata?: Record<string, string> } = {},
): Uint8Array {
  const b = new GraphBuilder();
  // the batch of 1 only fixes shapes inside the builder; N stays symbolic in the file
  const ids = b.input('input_ids', [1, dims.ctx], { dtype: 'int64', dynamicBatch: true });
  const params = new Map(specs.map((s) => [s.name, b.input(names.param(s.name), s.shape)]));
  const logits = b.reshape(lmForward(b, gate, dims, params, ids), [1, dims.ctx, dims.vocab], true);
  const weights = opts.weights;
  return encodeModel({
    name: `glu_lm_${gate.name}`,
    inputs: b.inputs,
    outputs: [{ name: 'logits', node: logits, dynamicBatch: true }],
    metadata: opts.metadata,
    weights: weights && new Map(specs.map((s) => [names.param(s.name), required(weights, s.name)])),
  });
}

function required(weights: ReadonlyMap<string, Float32Array>, name: string): Float32Array {
  const w = weights.get(name);
  if (!w) throw new Error(`missing weight '${name}'`);
  return w;
}
