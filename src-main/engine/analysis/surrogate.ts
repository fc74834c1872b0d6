// The quadratic surrogate read from the weights: logit_c(x) ≈ Σ_k λ_ck (v_ckᵀ E x)², evaluated
// on a test set at full rank and truncated to the top-k components of every class, with the
// examples each eigenvector's contribution λ(vᵀz)² is largest and smallest on.
import type { Split } from '../data/dataset';
import type { EpName } from '../onnx/session';
import type { Spectrum } from './decompose';
import { Projector } from './projections';

export interface SurrogateOptions {
  /** truncation levels 1 … maxK */
  maxK: number;
  /** eigenvectors per class whose examples are ranked */
  topK: number;
  /** examples kept at each end */
  examples: number;
  ep: EpName;
}

export interface SurrogateResult {
  /** full-rank surrogate logits [n, C] */
  logits: Float64Array;
  /** correct[k−1][c]: test examples of class c classified right with k components per class */
  correct: Uint32Array[];
  /** examples per class in the split */
  support: Uint32Array;
  /**
   * per class c and component k < topK: test indices with the largest and the smallest
   * |λ_k (v_kᵀz)²|, i.e. (v_kᵀz)² (λ_k is the same for every example), each end from its extreme in
   */
  topExamples: Int32Array;
  bottomExamples: Int32Array;
}

export async function evaluateSurrogate(spectra: readonly Spectrum[], embed: Float32Array, dIn: number, split: Split, opts: SurrogateOptions): Promise<SurrogateResult> {
  const C = spectra.length;
  const d = spectra[0].n;
  const { maxK, topK, examples } = { ...opts, maxK: Math.min(opts.maxK, d), topK: Math.min(opts.topK, d) };
  const all = new Float32Array(C * d * d);
  spectra.forEach((s, c) => all.set(s.vectors, c * d * d));
  const lambda = new Float64Array(C * d);
  spectra.forEach((s, c) => lambda.set(s.values, c * d));

  const logits = new Float64Array(split.n * C);
  const correct = Array.from({ length: maxK }, () => new Uint32Array(C));
  const support = new Uint32Array(C);
  const keep = new Float32Array(split.n * C * topK);
  const trunc = new Float64Array(maxK * C);

  const projector = await Projector.create(dIn, d, C * d, { ep: opts.ep });
  try {
    await projector.forEachChunk(split.x, split.n, embed, all, (p, start, rows) => {
      for (let r = 0; r < rows; r++) {
        const i = start + r;
        const label = split.y[i];
        support[label]++;
        for (let c = 0; c < C; c++) {
          const row = r * C * d + c * d;
          let sum = 0;
          for (let k = 0; k < d; k++) {
            const pk = p[row + k];
            sum += lambda[c * d + k] * pk * pk;
            if (k < maxK) trunc[k * C + c] = sum;
            if (k < topK) keep[(i * C + c) * topK + k] = pk;
          }
          logits[i * C + c] = sum;
        }
        for (let k = 0; k < maxK; k++) if (argmax(trunc, k * C, C) === label) correct[k][label]++;
      }
    });
  } finally {
    await projector.release();
  }
  for (let i = 0; i < keep.length; i++) keep[i] *= keep[i];
  const { top, bottom } = extremes(keep, split.n, C * topK, examples);
  return { logits, correct, support, topExamples: top, bottomExamples: bottom };
}

function argmax(a: Float64Array, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (a[offset + j] > a[offset + best]) best = j;
  return best;
}

/** For each of `cols` columns of m [n, cols]: the indices of its `count` largest and smallest entries. */
function extremes(m: Float32Array, n: number, cols: number, count: number): { top: Int32Array; bottom: Int32Array } {
  const k = Math.min(count, n);
  const top = new Int32Array(cols * k);
  const bottom = new Int32Array(cols * k);
  const idx = new Int32Array(n);
  for (let col = 0; col < cols; col++) {
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort((a, b) => m[b * cols + col] - m[a * cols + col] || a - b);
    for (let j = 0; j < k; j++) {
      top[col * k + j] = idx[j];
      bottom[col * k + j] = idx[n - 1 - j];
    }
  }
  return { top, bottom };
}

/** Pearson correlation of two equally long series. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}
