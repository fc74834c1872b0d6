// Why did the model say that? For one input, each class's logit as a sum over its eigen-
// components, λ_k (v_kᵀ z)² with z = E x (exact for a bilinear layer).
import type { Spectrum } from './decompose';

export interface Explanation {
  /** per class: contributions in the spectrum's order (|λ| descending), summing to the surrogate logit */
  contributions: Float64Array[];
  logits: Float64Array;
}

export function explainInput(spectra: readonly Spectrum[], embed: Float32Array, x: ArrayLike<number>, dIn: number): Explanation {
  const d = spectra[0].n;
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < dIn; j++) s += embed[i * dIn + j] * x[j];
    z[i] = s;
  }
  const logits = new Float64Array(spectra.length);
  const contributions = spectra.map((sp, c) => {
    const out = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      let p = 0;
      for (let i = 0; i < d; i++) p += sp.vectors[k * d + i] * z[i];
      out[k] = sp.values[k] * p * p;
      logits[c] += out[k];
    }
    return out;
  });
  return { contributions, logits };
}
