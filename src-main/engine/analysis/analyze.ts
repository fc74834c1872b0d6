// Analysis of one run, from its weights: per-class interaction matrices and their spectra, the
// input-space eigenvectors, the quadratic surrogate's truncation curve and faithfulness, and the
// test examples that drive each eigenvector. Everything is computed before anything is written.
// The files say which conventions they follow (format_version, sign_gauge, examples_ranked_by):
// an analysis written under other ones is refused when read, and analysed again.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Split } from '../data/dataset';
import { loadDataset } from '../data/load';
import type { EpName } from '../onnx/session';
import { Evaluator } from '../train/evaluate';
import { loadRun, type LoadedRun } from '../train/run-reader';
import { replaceDirAtomic, writeError, writeFileAtomic } from '../util/atomic-file';
import { encodeSafetensors } from '../util/safetensors';
import { effectiveRank, sparsity, spectrumOf, type Spectrum } from './decompose';
import { applyGauge, SIGN_GAUGE } from './gauge';
import { AnalysisError, classInteractionMatrices } from './interaction';
import { correlation, evaluateSurrogate } from './surrogate';
import { classMask, maskCurve, type MaskPoint } from './masks';

export interface AnalyzeOptions {
  topK: number;
  /** truncation curve up to this many components per class */
  maxK: number;
  layer: number;
  examples: number;
  /** top positive eigenvectors per class behind its adversarial mask; 0 skips the mask curves */
  maskVectors: number;
  /** mask sizes ε (L2 norm in pixel units) at which accuracy is measured */
  maskEpsilons: number[];
  ep: EpName;
  /** called at a handful of points as the analysis moves on: the stage and the fraction done, 0..1 */
  onProgress?: (stage: string, fraction: number) => void;
}

/** 2: eigenvectors in the class-mean gauge (gauge.ts), examples ranked by |λ(vᵀz)²|. 1 (unmarked): largest entry of v positive, examples by signed projection. */
export const ANALYSIS_FORMAT_VERSION = 2;
/** How the summary's top_examples and bottom_examples are ranked. */
export const EXAMPLES_RANKED_BY = 'abs-contribution';

export const DEFAULT_ANALYZE: AnalyzeOptions = { topK: 32, maxK: 64, layer: 0, examples: 8, maskVectors: 0, maskEpsilons: [0, 1, 2, 4, 8], ep: 'cpu' };

export interface ClassSummary {
  class: number;
  effective_rank: number;
  /** eigenvalues of the top-k components, by |λ| descending */
  top_eigenvalues: number[];
  /** (‖v‖₁/‖v‖₂)²/d of the top-k eigenvectors */
  sparsity: number[];
  /** accuracy on this class's test examples, keeping k components in every class */
  truncation: { k: number; accuracy: number }[];
  faithfulness: { agreement: number; logit_correlation: number };
  /**
   * per top-k eigenvector: the test indices with the largest |contribution| λ(vᵀz)² to the class
   * logit (the examples that drive it, on either side of 0), and those with the smallest (on which
   * it is silent), largest and smallest first
   */
  top_examples: number[][];
  bottom_examples: number[][];
  /** accuracy with the class's adversarial mask added, against a permuted mask of equal norm */
  adversarial?: MaskPoint[];
}

export interface AnalysisSummary {
  /** ANALYSIS_FORMAT_VERSION of the writer */
  format_version: number;
  /** SIGN_GAUGE: each class's test examples have mean vᵀz > 0 on each of its eigenvectors */
  sign_gauge: string;
  /** EXAMPLES_RANKED_BY */
  examples_ranked_by: string;
  run_dir: string;
  gate: string;
  layer: number;
  d: number;
  classes: number;
  top_k: number;
  test_examples: number;
  /** exact for the bilinear gate; a first-order reading otherwise */
  exact: boolean;
  model_accuracy: number;
  surrogate_accuracy: number;
  truncation: { k: number; accuracy: number }[];
  faithfulness: { agreement: number; logit_correlation: number };
  per_class: ClassSummary[];
  seconds: number;
}

export interface Analysis {
  summary: AnalysisSummary;
  spectra: Spectrum[];
  /** [C, topK, d_in]: E ᵀ v_k for the top-k components of each class */
  inputVectors: Float32Array;
}

export async function analyzeRun(dir: string, opts: AnalyzeOptions = DEFAULT_ANALYZE): Promise<Analysis> {
  const started = performance.now();
  const progress = opts.onProgress ?? (() => {});
  progress('loading', 0);
  const run = loadRun(dir);
  const data = loadDataset(run.config.dataset);
  if (data.test.n === 0) throw new AnalysisError(`dataset '${run.config.dataset}' has an empty test set: nothing to analyse`);
  if (data.inputDim !== run.model.dims.dIn || data.classes < run.model.dims.classes) {
    throw new AnalysisError(`dataset '${run.config.dataset}' (${data.inputDim} inputs) does not fit the run's model (${run.model.dims.dIn} inputs)`);
  }
  const { classes: C, d, dIn } = run.model.dims;
  const topK = Math.min(opts.topK, d);
  const embed = run.params.get('embed')!;
  progress('interaction matrices', 0.05);
  const spectra = classInteractionMatrices(run.model, run.params, opts.layer).map((q, c) => {
    const s = spectrumOf(q, d);
    progress('spectra', 0.1 + (0.4 * (c + 1)) / C);
    return s;
  });
  applyGauge(spectra, embed, data.test, dIn);
  const inputVectors = toInputSpace(spectra, embed, topK, d, dIn);

  progress('surrogate', 0.5);
  const surrogate = await evaluateSurrogate(spectra, embed, dIn, data.test, { maxK: opts.maxK, topK, examples: opts.examples, ep: opts.ep });
  progress('model', 0.7);
  const modelLogits = await modelLogitsOf(run, data.test.x, data.test.n, opts.ep);
  const n = data.test.n;
  const predict = (logits: ArrayLike<number>, i: number) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (logits[i * C + c] > logits[i * C + best]) best = c;
    return best;
  };
  const surPred = Int32Array.from({ length: n }, (_, i) => predict(surrogate.logits, i));
  const modelPred = Int32Array.from({ length: n }, (_, i) => predict(modelLogits, i));
  const accuracy = (pred: Int32Array) => pred.reduce((s, p, i) => s + (p === data.test.y[i] ? 1 : 0), 0) / n;
  const column = (m: ArrayLike<number>, c: number) => Float64Array.from({ length: n }, (_, i) => m[i * C + c]);
  const maxK = surrogate.correct.length;
  const ex = Math.min(opts.examples, n);

  const perClass: ClassSummary[] = spectra.map((s, c) => ({
    class: c,
    effective_rank: effectiveRank(s.values),
    top_eigenvalues: Array.from(s.values.subarray(0, topK)),
    sparsity: Array.from({ length: topK }, (_, k) => sparsity(s.vectors.subarray(k * d, (k + 1) * d))),
    truncation: surrogate.correct.map((row, k) => ({ k: k + 1, accuracy: surrogate.support[c] ? row[c] / surrogate.support[c] : 0 })),
    faithfulness: {
      agreement: surPred.reduce((acc, p, i) => acc + ((p === c) === (modelPred[i] === c) ? 1 : 0), 0) / n,
      logit_correlation: correlation(column(surrogate.logits, c), column(modelLogits, c)),
    },
    top_examples: Array.from({ length: topK }, (_, k) => Array.from(surrogate.topExamples.subarray((c * topK + k) * ex, (c * topK + k + 1) * ex))),
    bottom_examples: Array.from({ length: topK }, (_, k) => Array.from(surrogate.bottomExamples.subarray((c * topK + k) * ex, (c * topK + k + 1) * ex))),
  }));

  if (opts.maskVectors > 0) {
    for (const c of perClass) {
      progress('masks', 0.75 + (0.2 * c.class) / C);
      const mask = classMask(spectra[c.class], embed, dIn, opts.maskVectors);
      c.adversarial = await maskCurve(run.model, run.params, data.test, mask, c.class, opts.maskEpsilons, { ep: opts.ep, seed: run.config.seed });
    }
  }

  const summary: AnalysisSummary = {
    format_version: ANALYSIS_FORMAT_VERSION,
    sign_gauge: SIGN_GAUGE,
    examples_ranked_by: EXAMPLES_RANKED_BY,
    run_dir: dir,
    gate: run.model.gate.name,
    layer: opts.layer,
    d,
    classes: C,
    top_k: topK,
    test_examples: n,
    exact: run.model.gate.exact && run.model.dims.layers === 1,
    model_accuracy: accuracy(modelPred),
    surrogate_accuracy: accuracy(surPred),
    truncation: Array.from({ length: maxK }, (_, k) => ({ k: k + 1, accuracy: surrogate.correct[k].reduce((a, b) => a + b, 0) / n })),
    faithfulness: {
      agreement: surPred.reduce((acc, p, i) => acc + (p === modelPred[i] ? 1 : 0), 0) / n,
      logit_correlation: correlation(surrogate.logits, modelLogits),
    },
    per_class: perClass,
    seconds: (performance.now() - started) / 1000,
  };
  progress('analysed', 0.95);
  return { summary, spectra, inputVectors };
}

/** Writes analysis/spectra.safetensors and analysis/summary.json, both or neither. */
export function writeAnalysis(dir: string, a: Analysis): void {
  const { classes: C, d, top_k: topK } = a.summary;
  const dIn = a.inputVectors.length / (C * topK);
  const values = new Float32Array(C * d);
  const vectors = new Float32Array(C * d * d);
  a.spectra.forEach((s, c) => {
    values.set(s.values, c * d);
    vectors.set(s.vectors, c * d * d);
  });
  const bytes = encodeSafetensors(
    [
      { name: 'eigenvalues', shape: [C, d], data: values },
      { name: 'eigenvectors', shape: [C, d, d], data: vectors },
      { name: 'eigenvectors_input', shape: [C, topK, dIn], data: a.inputVectors },
    ],
    { gate: a.summary.gate, layer: String(a.summary.layer), order: 'abs-eigenvalue-descending', sign: a.summary.sign_gauge, format_version: String(a.summary.format_version) },
  );
  const target = join(dir, 'analysis');
  // written aside and put in place whole: a full disk leaves the previous analysis, or none
  const staging = join(dir, `.analysis-${process.pid}`);
  try {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    writeFileAtomic(join(staging, 'spectra.safetensors'), bytes);
    writeFileAtomic(join(staging, 'summary.json'), JSON.stringify(a.summary, null, 2) + '\n');
    replaceDirAtomic(staging, target);
  } catch (e) {
    try {
      rmSync(staging, { recursive: true, force: true });
    } catch {
      // nothing was made (no permission): nothing to remove
    }
    throw writeError(e, target);
  }
}

/** Spectra of every class and the input-space eigenvectors Eᵀv of the top-k, from the weights, in the gauge set by the test split. */
export function runSpectra(run: LoadedRun, layer: number, topK: number, test: Split): { spectra: Spectrum[]; inputVectors: Float32Array } {
  const { d, dIn } = run.model.dims;
  const spectra = classInteractionMatrices(run.model, run.params, layer).map((q) => spectrumOf(q, d));
  applyGauge(spectra, run.params.get('embed')!, test, dIn);
  return { spectra, inputVectors: toInputSpace(spectra, run.params.get('embed')!, Math.min(topK, d), d, dIn) };
}

function toInputSpace(spectra: readonly Spectrum[], embed: Float32Array, topK: number, d: number, dIn: number): Float32Array {
  const out = new Float32Array(spectra.length * topK * dIn);
  const acc = new Float64Array(dIn);
  spectra.forEach((s, c) => {
    for (let k = 0; k < topK; k++) {
      acc.fill(0);
      for (let i = 0; i < d; i++) {
        const vi = s.vectors[k * d + i];
        for (let j = 0; j < dIn; j++) acc[j] += vi * embed[i * dIn + j];
      }
      out.set(acc, (c * topK + k) * dIn);
    }
  });
  return out;
}

async function modelLogitsOf(run: LoadedRun, x: Float32Array, n: number, ep: EpName): Promise<Float32Array> {
  const evaluator = await Evaluator.create(run.model.gate, run.model.dims, run.model.specs, { ep });
  try {
    return await evaluator.logits(run.params, x, n);
  } finally {
    await evaluator.release();
  }
}
