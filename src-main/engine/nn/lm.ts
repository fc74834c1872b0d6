// The small decoder-only transformer whose MLPs are GLUs of any gate (or the ReLU-MLP baseline):
// pre-norm blocks x ← x + Attn(RMSNorm(x)), x ← x + MLP(RMSNorm(x)), rotary positions, untied
// unembedding, no biases. Parameter names and [out, in] layouts follow Hugging Face's Llama, so
// a run's weights read like any Llama checkpoint's.
import type { GraphBuilder, TNode } from '../onnx/graph';
import { Rng } from '../util/rng';
import type { Gate } from './gates';

export interface LmDims {
  vocab: number;
  dModel: number;
  heads: number;
  /** the MLP's hidden width h */
  dHidden: number;
  layers: number;
  /** context length T: every sequence the graphs see has exactly this many positions */
  ctx: number;
}

export interface LmParamSpec {
  name: string;
  shape: number[];
}

export const LM_NORM_EPS = 1e-6;
export const LM_ROPE_BASE = 10000;
export const LM_INIT_STD = 0.02;

/** Throws one line when the dimensions cannot make a model. */
export function checkLmDims(dims: LmDims): void {
  for (const [k, v] of Object.entries(dims)) if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be a positive integer, got ${v}`);
  if (dims.dModel % dims.heads !== 0) throw new Error(`d_model ${dims.dModel} is not divisible by ${dims.heads} heads`);
  if ((dims.dModel / dims.heads) % 2 !== 0) throw new Error(`head width ${dims.dModel / dims.heads} (d_model/heads) must be even for rotary positions`);
}

const layer = (i: number, rest: string) => `model.layers.${i}.${rest}`;

/** Parameters in a fixed order (the order of weight files, optimizer state and initialisation). */
export function lmParamSpecs(dims: LmDims, gate: Gate): LmParamSpec[] {
  checkLmDims(dims);
  const { vocab: V, dModel: d, dHidden: h } = dims;
  const specs: LmParamSpec[] = [{ name: 'model.embed_tokens.weight', shape: [V, d] }];
  for (let i = 0; i < dims.layers; i++) {
    specs.push({ name: layer(i, 'input_layernorm.weight'), shape: [d] });
    for (const p of ['q', 'k', 'v', 'o']) specs.push({ name: layer(i, `self_attn.${p}_proj.weight`), shape: [d, d] });
    specs.push({ name: layer(i, 'post_attention_layernorm.weight'), shape: [d] });
    specs.push({ name: layer(i, 'mlp.gate_proj.weight'), shape: [h, d] });
    if (gate.product) specs.push({ name: layer(i, 'mlp.up_proj.weight'), shape: [h, d] });
    specs.push({ name: layer(i, 'mlp.down_proj.weight'), shape: [d, h] });
  }
  specs.push({ name: 'model.norm.weight', shape: [d] }, { name: 'lm_head.weight', shape: [V, d] });
  return specs;
}

/** A norm gain (a vector), as opposed to a matrix: initialised to 1, never weight-decayed. */
export function isNormGain(spec: LmParamSpec): boolean {
  return spec.shape.length === 1;
}

/**
 * N(0, 0.02²) for every matrix, the residual projections (o_proj, down_proj) scaled by
 * 1/√(2·layers) as in GPT-2; norm gains 1. Matrices draw in spec order from the seed's init stream.
 */
export function initLmParams(specs: readonly LmParamSpec[], dims: LmDims, seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed, 1);
  const residualStd = LM_INIT_STD / Math.sqrt(2 * dims.layers);
  return new Map(
    specs.map((s) => {
      const data = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
      if (isNormGain(s)) return [s.name, data.fill(1)];
      const residual = s.name.endsWith('o_proj.weight') || s.name.endsWith('down_proj.weight');
      return [s.name, rng.fillNormal(data, residual ? residualStd : LM_INIT_STD)];
    }),
  );
}

/** Inner values a reading of the model needs, filled in by lmForward when given ([B·T, d] each). */
export interface LmTaps {
  /** per layer: the MLP's normalised input x̂ (post-attention RMSNorm, gain included) */
  mlpInputs: TNode[];
  /** per layer: the MLP's output W_out(σ(Wx̂) ⊙ Vx̂), before it joins the residual stream */
  mlpOutputs: TNode[];
  /** the residual stream the final norm reads */
  finalResidual?: TNode;
}

/**
 * logits [B·T, V] for int64 token ids [B, T]; `p` maps parameter names to graph values. Every
 * reshape that merges or splits the batch leaves it to the runtime, so the same forward serves
 * a graph whose batch is symbolic.
 */
export function lmForward(b: GraphBuilder, gate: Gate, dims: LmDims, p: ReadonlyMap<string, TNode>, ids: TNode, taps?: LmTaps): TNode {
  const get = (name: string) => {
    const t = p.get(name);
    if (!t) throw new Error(`missing parameter '${name}'`);
    return t;
  };
  const [B, T] = ids.shape;
  const { dModel: d, heads: H } = dims;
  const dh = d / H;
  const norm = (x: TNode, gain: string) => b.mul(b.rmsnorm(x, LM_NORM_EPS), get(gain));
  // [B·T, d] → [B, H, T, dh]
  const split = (x: TNode) => b.transpose(b.reshape(x, [B, T, H, dh], true), [0, 2, 1, 3]);

  let x = b.reshape(b.gather(get('model.embed_tokens.weight'), ids), [B * T, d], true);
  for (let i = 0; i < dims.layers; i++) {
    const xa = norm(x, layer(i, 'input_layernorm.weight'));
    const proj = (w: string) => split(b.linear(xa, get(layer(i, `self_attn.${w}_proj.weight`))));
    const q = b.mul(b.rotary(proj('q'), LM_ROPE_BASE), b.scalar(1 / Math.sqrt(dh)));
    const k = b.rotary(proj('k'), LM_ROPE_BASE);
    const att = b.matmul(b.causalSoftmax(b.matmul(q, k, false, true)), proj('v'));
    const merged = b.reshape(b.transpose(att, [0, 2, 1, 3]), [B * T, d], true);
    x = b.add(x, b.linear(merged, get(layer(i, 'self_attn.o_proj.weight'))));

    const xm = norm(x, layer(i, 'post_attention_layernorm.weight'));
    const a = gate.graph(b, b.linear(xm, get(layer(i, 'mlp.gate_proj.weight'))));
    const hidden = gate.product ? b.mul(a, b.linear(xm, get(layer(i, 'mlp.up_proj.weight')))) : a;
    const mlp = b.linear(hidden, get(layer(i, 'mlp.down_proj.weight')));
    taps?.mlpInputs.push(xm);
    taps?.mlpOutputs.push(mlp);
    x = b.add(x, mlp);
  }
  if (taps) taps.finalResidual = x;
  return b.linear(norm(x, 'model.norm.weight'), get('lm_head.weight'));
}
