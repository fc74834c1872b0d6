// Adversarial masks read from the weights: for a class's top positive eigenvectors in input space
// a_1 … a_m, the pseudo-inverse columns M_i (a_jᵀ M_i = δ_ij) move exactly one feature each.
// Their sum, scaled to size ε, pushes any input towards the class; a randomly permuted copy of
// the same norm is the baseline that shows the direction, not the size, does the work. Each M_i
// moves its feature towards the side the class's typical examples lie on (the sign gauge); with
// several features the sum depends on those signs and can partly cancel, one feature's does not.
import type { Split } from '../data/dataset';
import type { Params } from '../nn/classifier';
import type { EpName } from '../onnx/session';
import { Evaluator } from '../train/evaluate';
import type { Model } from '../train/trainer';
import { Rng } from '../util/rng';
import type { Spectrum } from './decompose';
import { eigh } from '../linalg/eigh';

/** Rows of `a` [m, n] → rows M_i [m, n] with a_j · M_i = δ_ij (the pseudo-inverse of aᵀ, transposed). */
export function pseudoInverseRows(a: Float64Array, m: number, n: number): Float64Array {
  // G = a aᵀ (m×m); M = G⁺ a, with G⁺ from its eigendecomposition (robust when G is near-singular)
  const g = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += a[i * n + t] * a[j * n + t];
      g[i * m + j] = s;
      g[j * m + i] = s;
    }
  const { values, vectors } = eigh(g, m);
  const cutoff = Math.max(...values.map(Math.abs)) * m * 1e-12;
  const ginv = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    if (Math.abs(values[k]) <= cutoff) continue;
    const inv = 1 / values[k];
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) ginv[i * m + j] += inv * vectors[k * m + i] * vectors[k * m + j];
  }
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      const s = ginv[i * m + j];
      if (s !== 0) for (let t = 0; t < n; t++) out[i * n + t] += s * a[j * n + t];
    }
  return out;
}

/** Input-space eigenvectors Eᵀv of the `count` largest positive eigenvalues of a class. [m, dIn] */
export function topPositiveInputVectors(s: Spectrum, embed: Float32Array, dIn: number, count: number): { rows: Float64Array; m: number } {
  const d = s.n;
  const picked: number[] = [];
  for (let k = 0; k < d && picked.length < count; k++) if (s.values[k] > 0) picked.push(k);
  const rows = new Float64Array(picked.length * dIn);
  picked.forEach((k, r) => {
    for (let i = 0; i < d; i++) {
      const vi = s.vectors[k * d + i];
      for (let j = 0; j < dIn; j++) rows[r * dIn + j] += vi * embed[i * dIn + j];
    }
  });
  return { rows, m: picked.length };
}

/** The class's mask: the sum of the pseudo-inverse rows, unit length. */
export function classMask(s: Spectrum, embed: Float32Array, dIn: number, count: number): Float64Array {
  const { rows, m } = topPositiveInputVectors(s, embed, dIn, count);
  const mask = new Float64Array(dIn);
  if (m === 0) return mask;
  const pinv = pseudoInverseRows(rows, m, dIn);
  for (let i = 0; i < m; i++) for (let t = 0; t < dIn; t++) mask[t] += pinv[i * dIn + t];
  const norm = Math.hypot(...mask);
  if (norm > 0) for (let t = 0; t < dIn; t++) mask[t] /= norm;
  return mask;
}

export interface MaskPoint {
  epsilon: number;
  /** model accuracy on the test set with the class mask added at size ε */
  accuracy: number;
  /** fraction of test examples the model then assigns to the mask's class */
  to_class: number;
  /** the same with a randomly permuted mask of equal norm */
  random_accuracy: number;
  random_to_class: number;
}

export async function maskCurve(model: Model, params: Params, split: Split, mask: Float64Array, cls: number, epsilons: readonly number[], opts: { ep: EpName; seed?: number }): Promise<MaskPoint[]> {
  const dIn = model.dims.dIn;
  const perm = new Rng(opts.seed ?? 0, 77).permutation(dIn);
  const random = Float64Array.from(perm, (p) => mask[p]);
  const evaluator = await Evaluator.create(model.gate, model.dims, model.specs, { ep: opts.ep });
  const x = new Float32Array(split.x.length);
  const score = async (m: Float64Array, eps: number) => {
    for (let i = 0; i < split.n; i++) for (let t = 0; t < dIn; t++) x[i * dIn + t] = split.x[i * dIn + t] + eps * m[t];
    const logits = await evaluator.logits(params, x, split.n);
    const C = model.dims.classes;
    let correct = 0;
    let toClass = 0;
    for (let i = 0; i < split.n; i++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (logits[i * C + c] > logits[i * C + best]) best = c;
      if (best === split.y[i]) correct++;
      if (best === cls) toClass++;
    }
    return { accuracy: correct / split.n, toClass: toClass / split.n };
  };
  try {
    const points: MaskPoint[] = [];
    for (const epsilon of epsilons) {
      const a = await score(mask, epsilon);
      const r = await score(random, epsilon);
      points.push({ epsilon, accuracy: a.accuracy, to_class: a.toClass, random_accuracy: r.accuracy, random_to_class: r.toClass });
    }
    return points;
  } finally {
    await evaluator.release();
  }
}
