// The interaction matrix of a language model's MLP for an output direction u in the residual
// stream: Q_ℓ(u) = ½ Σ_a (uᵀ W_out[:,a]) (w_a v_aᵀ + v_a w_aᵀ), so that uᵀ MLP_ℓ(x̂) = x̂ᵀ Q_ℓ(u) x̂
// exactly for the bilinear gate and to first order for the others (the classifier's reading,
// interaction.ts, with α_a = uᵀ W_out[:,a]). Its spectrum is sorted by |λ| as the atlas's is.
import { eigh } from '../linalg/eigh';
import type { LmDims } from '../nn/lm';
import type { Gate } from '../nn/gates';
import { AnalysisError, interactionMatrix } from './interaction';

const at = (i: number, rest: string) => `model.layers.${i}.${rest}`;

export function requireLayer(layer: number, dims: Pick<LmDims, 'layers'>): void {
  const L = dims.layers;
  if (!Number.isInteger(layer) || layer < 0 || layer >= L) throw new AnalysisError(`layer ${layer}: the model has ${L} layer${L === 1 ? '' : 's'}, ${L === 1 ? '0' : `0–${L - 1}`}`);
}

function weight(params: ReadonlyMap<string, Float32Array>, name: string): Float32Array {
  const w = params.get(name);
  if (!w) throw new AnalysisError(`the weights hold no '${name}'`);
  return w;
}

/** α_a = uᵀ W_out[:,a] for layer ℓ (W_out = down_proj, [d, h]), in float64. */
export function mlpCoefficients(params: ReadonlyMap<string, Float32Array>, dims: LmDims, layer: number, u: ArrayLike<number>): Float64Array {
  const { dModel: d, dHidden: h } = dims;
  const down = weight(params, at(layer, 'mlp.down_proj.weight'));
  const alpha = new Float64Array(h);
  for (let i = 0; i < d; i++) {
    const ui = u[i];
    if (ui === 0) continue;
    for (let a = 0; a < h; a++) alpha[a] += ui * down[i * h + a];
  }
  return alpha;
}

/** Q_ℓ(u), d×d symmetric, float64. */
export function lmInteractionMatrix(params: ReadonlyMap<string, Float32Array>, gate: Gate, dims: LmDims, layer: number, u: ArrayLike<number>): Float64Array {
  if (!gate.product) throw new AnalysisError(`a ${gate.name} model has no gate product, hence no interaction matrices to read features from`);
  requireLayer(layer, dims);
  if (u.length !== dims.dModel) throw new AnalysisError(`the direction has ${u.length} entries; the model's residual stream has d_model = ${dims.dModel}`);
  const alpha = mlpCoefficients(params, dims, layer, u);
  return interactionMatrix(weight(params, at(layer, 'mlp.gate_proj.weight')), weight(params, at(layer, 'mlp.up_proj.weight')), alpha, dims.dHidden, dims.dModel);
}

/** Eigenpairs by |λ| descending (ties: the larger λ first); vectors row k belongs to values[k]. */
export interface SortedEigen {
  n: number;
  values: Float64Array;
  vectors: Float64Array;
}

export function eigenByMagnitude(q: Float64Array, n: number): SortedEigen {
  const { values, vectors } = eigh(q, n);
  const order = Array.from(values.keys()).sort((i, j) => Math.abs(values[j]) - Math.abs(values[i]) || values[j] - values[i]);
  const v = new Float64Array(n * n);
  order.forEach((k, r) => v.set(vectors.subarray(k * n, (k + 1) * n), r * n));
  return { n, values: Float64Array.from(order, (k) => values[k]), vectors: v };
}

/**
 * x̂(t) = g_ℓ ⊙ E[t] / rms(E[t]) for the first `count` tokens: each token's raw embedding through
 * layer ℓ's MLP norm — the direct path from the token to the MLP, ignoring attention and earlier
 * layers. [count, d], float64.
 */
export function normalisedEmbeddings(params: ReadonlyMap<string, Float32Array>, dims: LmDims, layer: number, count: number, eps: number): Float64Array {
  const d = dims.dModel;
  const E = weight(params, 'model.embed_tokens.weight');
  const g = weight(params, at(layer, 'post_attention_layernorm.weight'));
  const out = new Float64Array(count * d);
  for (let t = 0; t < count; t++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += E[t * d + i] * E[t * d + i];
    const r = 1 / Math.sqrt(s / d + eps);
    for (let i = 0; i < d; i++) out[t * d + i] = g[i] * E[t * d + i] * r;
  }
  return out;
}

/** u = W_U[t] ⊙ g_final: token t's logit read off the final norm's output direction (before its per-position 1/rms). */
export function tokenDirection(params: ReadonlyMap<string, Float32Array>, dims: LmDims, token: number): Float64Array {
  const d = dims.dModel;
  const W = weight(params, 'lm_head.weight');
  const g = weight(params, 'model.norm.weight');
  return Float64Array.from({ length: d }, (_, i) => W[token * d + i] * g[i]);
}
