// The two graphs a run uses: the training step (forward, softmax cross-entropy, backward,
// AdamW; parameters and optimizer state in, updated ones out) and the inference model.
import { gradients, topologicalOrder } from '../onnx/autodiff';
import { encodeModel, type GraphOutput } from '../onnx/encode';
import { GraphBuilder, type TNode } from '../onnx/graph';
import { forward, type ModelDims, type ParamSpec } from '../nn/classifier';
import type { Gate } from '../nn/gates';
import { adamwUpdate } from './adamw';

export const names = {
  param: (n: string) => `param.${n}`,
  m: (n: string) => `m.${n}`,
  v: (n: string) => `v.${n}`,
  newParam: (n: string) => `new.param.${n}`,
  newM: (n: string) => `new.m.${n}`,
  newV: (n: string) => `new.v.${n}`,
};

/** Mean softmax cross-entropy of logits [B, C] against one-hot targets [B, C]. */
export function crossEntropy(b: GraphBuilder, logits: TNode, onehot: TNode): TNode {
  const batch = logits.shape[0];
  return b.mul(b.sum(b.mul(onehot, b.logSoftmax(logits))), b.scalar(-1 / batch));
}

export interface TrainStepGraph {
  model: Uint8Array;
  /** the step's matrix products, for measuring it against plain MatMuls of the same work */
  gemms: TNode[];
}

export function buildTrainStep(gate: Gate, dims: ModelDims, specs: readonly ParamSpec[], batch: number): TrainStepGraph {
  const b = new GraphBuilder();
  const x = b.input('x', [batch, dims.dIn]);
  const y = b.input('y', [batch, dims.classes]);
  const params = new Map(specs.map((s) => [s.name, b.input(names.param(s.name), s.shape, { needsGrad: true })]));
  const logits = forward(b, gate, dims, params, x);
  const loss = crossEntropy(b, logits, y);
  const grads = gradients(b, loss, [...params.values()]);
  const moments = specs.map((s) => ({ m: b.input(names.m(s.name), s.shape), v: b.input(names.v(s.name), s.shape) }));
  const scalars = { decay: b.input('decay', []), stepSize: b.input('step_size', []), epsHat: b.input('eps_hat', []) };
  const outputs: GraphOutput[] = [{ name: 'loss', node: loss }];
  specs.forEach((s, i) => {
    const u = adamwUpdate(b, params.get(s.name)!, grads[i], moments[i].m, moments[i].v, scalars);
    outputs.push({ name: names.newParam(s.name), node: u.p }, { name: names.newM(s.name), node: u.m }, { name: names.newV(s.name), node: u.v });
  });
  const model = encodeModel({ name: `train_step_${gate.name}`, inputs: b.inputs, outputs });
  const gemms = topologicalOrder(outputs.map((o) => o.node)).filter((n) => n.op === 'gemm');
  return { model, gemms };
}

/**
 * Inference model: input `x` [N, dIn] float32 → `logits` [N, C]. With `weights` they are baked in
 * (the exported model.onnx); without, they are inputs `param.<name>` (evaluation during training).
 */
export function buildInference(
  gate: Gate,
  dims: ModelDims,
  specs: readonly ParamSpec[],
  opts: { weights?: ReadonlyMap<string, Float32Array>; metadata?: Record<string, string> } = {},
): Uint8Array {
  const b = new GraphBuilder();
  // the batch size used here only fixes shapes inside the builder; N stays symbolic in the file
  const x = b.input('x', [1, dims.dIn], { dynamicBatch: true });
  const params = new Map(specs.map((s) => [s.name, b.input(names.param(s.name), s.shape)]));
  const logits = forward(b, gate, dims, params, x);
  return encodeModel({
    name: `glu_classifier_${gate.name}`,
    inputs: b.inputs,
    outputs: [{ name: 'logits', node: logits, dynamicBatch: true }],
    metadata: opts.metadata,
    weights: opts.weights && new Map(specs.map((s) => [names.param(s.name), opts.weights!.get(s.name)!])),
  });
}
