// Interaction matrices: the bilinear form a GLU layer applies to its input, read from weights.
// For output direction u the layer computes uᵀ·out = Σ_a α_a (W z)_a (V z)_a with α = (head·proj)ᵀu,
// i.e. zᵀ Q z with Q = ½(Wᵀ diag(α) V + Vᵀ diag(α) W). Exact for the bilinear gate; for other
// gates it is the first-order reading (σ taken as identity), whose faithfulness is measured.
import type { Params } from '../nn/classifier';
import type { Model } from '../train/trainer';

export class AnalysisError extends Error {
  override name = 'AnalysisError';
}

/** α for each class: rows of the head, through the layer's output projection in deeper models. [C, h] */
export function classCoefficients(model: Model, params: Params, layer: number): Float64Array {
  const { classes: C, d, h, layers } = model.dims;
  if (!model.gate.product) throw new AnalysisError(`a ${model.gate.name} model has no gate product, hence no interaction matrices`);
  if (layer < 0 || layer >= layers) throw new AnalysisError(`layer ${layer} does not exist; the model has ${layers} layer(s)`);
  const head = params.get('head')!;
  if (layers === 1) return Float64Array.from(head);
  const out = params.get(`layers.${layer}.out`)!;
  const alpha = new Float64Array(C * h);
  for (let c = 0; c < C; c++)
    for (let i = 0; i < d; i++) {
      const u = head[c * d + i];
      if (u === 0) continue;
      for (let a = 0; a < h; a++) alpha[c * h + a] += u * out[i * h + a];
    }
  return alpha;
}

/** α for an arbitrary output direction u ∈ R^C. [h] */
export function directionCoefficients(classAlpha: Float64Array, u: ArrayLike<number>, h: number): Float64Array {
  const alpha = new Float64Array(h);
  for (let c = 0; c < u.length; c++) for (let a = 0; a < h; a++) alpha[a] += u[c] * classAlpha[c * h + a];
  return alpha;
}

/** Q = ½(Wᵀ diag(α) V + its transpose), symmetric d×d in float64. */
export function interactionMatrix(w: Float32Array, v: Float32Array, alpha: ArrayLike<number>, h: number, d: number): Float64Array {
  const m = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let a = 0; a < h; a++) {
    const s = alpha[a];
    if (s === 0) continue;
    for (let j = 0; j < d; j++) row[j] = v[a * d + j];
    for (let i = 0; i < d; i++) {
      const wi = s * w[a * d + i];
      if (wi === 0) continue;
      const base = i * d;
      for (let j = 0; j < d; j++) m[base + j] += wi * row[j];
    }
  }
  for (let i = 0; i < d; i++) {
    m[i * d + i] = m[i * d + i];
    for (let j = i + 1; j < d; j++) {
      const s = 0.5 * (m[i * d + j] + m[j * d + i]);
      m[i * d + j] = s;
      m[j * d + i] = s;
    }
  }
  return m;
}

/** The interaction matrix of every class for one layer: [C, d, d]. */
export function classInteractionMatrices(model: Model, params: Params, layer: number): Float64Array[] {
  const { classes: C, d, h } = model.dims;
  const alpha = classCoefficients(model, params, layer);
  const w = params.get(`layers.${layer}.w`)!;
  const v = params.get(`layers.${layer}.v`)!;
  return Array.from({ length: C }, (_, c) => interactionMatrix(w, v, alpha.subarray(c * h, (c + 1) * h), h, d));
}
