// Reading one MLP of a language model for one output direction: the spectrum of Q_ℓ(u) in the
// display gauge, measured against the model's real activations over the validation positions
// (truncation curve, faithfulness), one eigenvector's top tokens and top contexts, a prompt's
// logit split into components, and two runs' eigenvectors matched. Pure computation over what
// lm-source.ts loads.
import { gemmNT } from '../linalg/gemm';
import { matchFeatures } from './similarity';
import { LM_COMPARISON_CAVEAT, type LmComparison, type LmContext, type LmDirection, type LmFeature, type LmSpectrum, type LmToken, type LmTokenProjection } from './lm-atlas-types';
import type { LmActivations } from './lm-activations';
import { eigenByMagnitude, lmInteractionMatrix, normalisedEmbeddings, type SortedEigen } from './lm-interaction';
import { lmToken, tokenText, type ResolvedDirection } from './lm-directions';
import type { LmRead } from './lm-source';
import { LM_NORM_EPS } from '../nn/lm';
import { AnalysisError } from './interaction';

/** A spectrum with what its features and explanations reuse. */
export interface LmSpectrumData {
  spectrum: LmSpectrum;
  /** gauged: each eigenvector's mean projection over validation positions is ≥ 0 */
  eigen: SortedEigen;
  /** vᵀx̂ per component and position: proj[k·P + p] */
  proj: Float64Array;
  /** the real uᵀMLP(x̂) per position */
  y: Float64Array;
}

/** Tokens before and after the position read, in a context's window. */
export const CONTEXT_BEFORE = 12;
export const CONTEXT_AFTER = 4;

/** k = 1, 2, 4, … and d itself. */
export function truncationRanks(d: number): number[] {
  const ks: number[] = [];
  for (let k = 1; k < d; k *= 2) ks.push(k);
  ks.push(d);
  return ks;
}

/** uᵀ rows of `x` [P, d], in float64. */
export function project(x: Float32Array, u: ArrayLike<number>, P: number, d: number): Float64Array {
  const out = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += u[i] * x[p * d + i];
    out[p] = s;
  }
  return out;
}

export function spectrumOf(run: LmRead, acts: LmActivations, layer: number, resolved: ResolvedDirection, runId: number): LmSpectrumData {
  const { gate, dims } = run.model;
  const d = dims.dModel;
  const P = acts.positions;
  const eigen = eigenByMagnitude(lmInteractionMatrix(run.params, gate, dims, layer, resolved.u), d);
  // proj = V X̂ᵀ: every eigenvector against every position, in one register-blocked product
  const proj = new Float64Array(d * P);
  gemmNT(d, P, d, eigen.vectors, 0, d, Float64Array.from(acts.mlpIn[layer]), 0, d, proj, 0, P, 0);
  for (let k = 0; k < d; k++) {
    const v = eigen.vectors.subarray(k * d, (k + 1) * d);
    let sum = 0;
    for (let p = 0; p < P; p++) sum += proj[k * P + p];
    if (sum < 0) {
      // the display gauge: the sign whose mean projection over validation positions is ≥ 0
      for (let i = 0; i < d; i++) v[i] = -v[i];
      for (let p = 0; p < P; p++) proj[k * P + p] = -proj[k * P + p];
    }
  }
  const y = project(acts.mlpOut[layer], resolved.u, P, d);
  let mean = 0;
  for (let p = 0; p < P; p++) mean += y[p] / P;
  let variance = 0;
  for (let p = 0; p < P; p++) variance += (y[p] - mean) ** 2;
  const yhat = new Float64Array(P);
  const truncation: LmSpectrum['truncation'] = [];
  const ks = new Set(truncationRanks(d));
  for (let k = 0; k < d; k++) {
    const lam = eigen.values[k];
    for (let p = 0; p < P; p++) yhat[p] += lam * proj[k * P + p] ** 2;
    if (!ks.has(k + 1)) continue;
    let sse = 0;
    for (let p = 0; p < P; p++) sse += (y[p] - yhat[p]) ** 2;
    truncation.push({ k: k + 1, explained: variance > 0 ? 1 - sse / variance : sse === 0 ? 1 : 0 });
  }
  const values = Array.from(eigen.values);
  return {
    spectrum: {
      runId,
      layer,
      direction: resolved.direction,
      exact: gate.exact,
      eigenvalues: values,
      positives: values.filter((v) => v > 0).length,
      negatives: values.filter((v) => v < 0).length,
      truncation,
      faithfulness: faithfulness(yhat, y),
    },
    eigen,
    proj,
    y,
  };
}

/** Pearson correlation and ‖ŷ − y‖/‖y‖. */
export function faithfulness(yhat: ArrayLike<number>, y: ArrayLike<number>): { correlation: number; relative_error: number } {
  const n = y.length;
  let my = 0, mh = 0;
  for (let i = 0; i < n; i++) (my += y[i] / n), (mh += yhat[i] / n);
  let sxy = 0, sxx = 0, syy = 0, err = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    sxy += (yhat[i] - mh) * (y[i] - my);
    sxx += (yhat[i] - mh) ** 2;
    syy += (y[i] - my) ** 2;
    err += (yhat[i] - y[i]) ** 2;
    norm += y[i] ** 2;
  }
  return { correlation: sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0, relative_error: norm > 0 ? Math.sqrt(err / norm) : 0 };
}

export function requireRank(rank: number, d: number): number {
  if (!Number.isInteger(rank) || rank < 1 || rank > d) throw new AnalysisError(`rank ${rank}: the spectrum has ${d} eigenvectors, ranks 1–${d}`);
  return rank - 1;
}

/** The tokens projecting most on `v` through the direct path (normalised embeddings), both signs. */
export function topTokensOf(run: LmRead, layer: number, v: ArrayLike<number>, count: number): LmFeature['topTokens'] {
  const V = run.tokenizer.vocabSize;
  const d = run.model.dims.dModel;
  const xt = normalisedEmbeddings(run.params, run.model.dims, layer, V, LM_NORM_EPS);
  const all: LmTokenProjection[] = [];
  for (let t = 0; t < V; t++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += v[i] * xt[t * d + i];
    all.push({ ...lmToken(run.tokenizer, t), projection: s });
  }
  const positive = all.filter((t) => t.projection > 0).sort((a, b) => b.projection - a.projection || a.id - b.id);
  const negative = all.filter((t) => t.projection < 0).sort((a, b) => a.projection - b.projection || a.id - b.id);
  return { positive: positive.slice(0, count), negative: negative.slice(0, count) };
}

/** The `count` positions of largest |λ(vᵀx̂)²| (ties by position), each in its text window. */
export function topContextsOf(run: LmRead, valid: ArrayLike<number>, s: LmSpectrumData, k: number, count: number): LmContext[] {
  const P = s.y.length;
  const lam = s.eigen.values[k];
  const order = Array.from({ length: P }, (_, p) => p).sort((a, b) => Math.abs(lam) * (s.proj[k * P + b] ** 2 - s.proj[k * P + a] ** 2) || a - b);
  return order.slice(0, count).map((p) => {
    const from = Math.max(0, p - CONTEXT_BEFORE);
    const to = Math.min(valid.length, p + CONTEXT_AFTER + 1);
    const pieces: string[] = [];
    for (let i = from; i < to; i++) pieces.push(tokenText(run.tokenizer.idToToken(valid[i]) ?? `<${valid[i]}>`));
    const projection = s.proj[k * P + p];
    return { position: p, pieces, at: p - from, contribution: lam * projection * projection, projection };
  });
}

export function featureOf(run: LmRead, valid: ArrayLike<number>, s: LmSpectrumData, rank: number, o: { tokens: number; contexts: number; runId: number }): LmFeature {
  const d = s.eigen.n;
  const k = requireRank(rank, d);
  const v = s.eigen.vectors.subarray(k * d, (k + 1) * d);
  return {
    runId: o.runId,
    layer: s.spectrum.layer,
    direction: s.spectrum.direction,
    rank,
    eigenvalue: s.eigen.values[k],
    vector: Array.from(v),
    topTokens: topTokensOf(run, s.spectrum.layer, v, o.tokens),
    topContexts: topContextsOf(run, valid, s, k, o.contexts),
  };
}

/** Per layer and prompt position: uᵀMLP_ℓ(x̂)/rms_final, its `count` largest components and the rest. */
export function explanationOf(acts: LmActivations, tokens: LmToken[], u: ArrayLike<number>, eigenOf: (layer: number) => SortedEigen, count: number): { layer: number; positions: LmExplainedPosition[] }[] {
  const d = acts.d;
  return acts.mlpIn.map((x, layer) => {
    const eigen = eigenOf(layer);
    const positions = tokens.map((_, p): LmExplainedPosition => {
      const rms = acts.finalRms[p];
      let total = 0;
      for (let i = 0; i < d; i++) total += u[i] * acts.mlpOut[layer][p * d + i];
      total /= rms;
      const parts: { rank: number; eigenvalue: number; contribution: number }[] = [];
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += eigen.vectors[k * d + i] * x[p * d + i];
        parts.push({ rank: k + 1, eigenvalue: eigen.values[k], contribution: (eigen.values[k] * s * s) / rms });
      }
      const components = parts.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.rank - b.rank).slice(0, count);
      return { position: p, total, components, remainder: total - components.reduce((t, c) => t + c.contribution, 0) };
    });
    return { layer, positions };
  });
}

export interface LmExplainedPosition {
  position: number;
  total: number;
  components: { rank: number; eigenvalue: number; contribution: number }[];
  remainder: number;
}

/** The top `count` eigenvectors of two runs (same width) matched by rank and by assignment on |cos|. */
export function comparisonOf(a: SortedEigen, b: SortedEigen, o: { a: number; b: number; layer: number; direction: LmDirection; count: number }): LmComparison {
  if (a.n !== b.n) throw new AnalysisError(`runs ${o.a} and ${o.b} have different widths (d_model ${a.n} and ${b.n}); their residual streams cannot be compared`);
  const k = Math.min(o.count, a.n);
  const m = matchFeatures(a.vectors.slice(0, k * a.n), b.vectors.slice(0, k * b.n), k, a.n);
  const byRank = Array.from(m.byRank);
  const assignment = Array.from(m.assignment, (j, i) => ({ a: i + 1, b: j + 1, cos: m.byAssignment[i] }));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  return { a: o.a, b: o.b, layer: o.layer, direction: o.direction, count: k, byRank, assignment, meanByRank: mean(byRank), meanAssignment: mean(assignment.map((x) => x.cos)), caveat: LM_COMPARISON_CAVEAT };
}
