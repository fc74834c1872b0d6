// Features read from trained weights: the interaction matrices reproduce a bilinear model's logits
// exactly, the analysis files have the documented layout, masks isolate single features, and bad
// runs are refused without writing anything.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDigits } from '../../../src-main/engine/data/digits';
import { analyzeRun, DEFAULT_ANALYZE, runSpectra, writeAnalysis } from '../../../src-main/engine/analysis/analyze';
import { compareFeatures } from '../../../src-main/engine/analysis/compare';
import { explainInput } from '../../../src-main/engine/analysis/explain';
import { classMask, pseudoInverseRows, topPositiveInputVectors } from '../../../src-main/engine/analysis/masks';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src-main/engine/train/config';
import { Evaluator } from '../../../src-main/engine/train/evaluate';
import { runTraining } from '../../../src-main/engine/train/run';
import { loadRun } from '../../../src-main/engine/train/run-reader';
import { readSafetensors } from '../../../src-main/engine/util/safetensors';
import { Rng } from '../../../src-main/engine/util/rng';
import { runCli, tempDir } from '../../helpers/cli';

/** For each row v of `vectors` [k, d]: the mean over class c's test examples of vᵀ(E x), in float64. */
function meanClassProjections(embed: Float32Array, vectors: ArrayLike<number>, d: number, dIn: number, test: { x: Float32Array; y: ArrayLike<number>; n: number }, c: number): number[] {
  const k = vectors.length / d;
  const sums = new Float64Array(k);
  let n = 0;
  for (let i = 0; i < test.n; i++) {
    if (test.y[i] !== c) continue;
    n++;
    for (let a = 0; a < d; a++) {
      let z = 0;
      for (let j = 0; j < dIn; j++) z += embed[a * dIn + j] * test.x[i * dIn + j];
      for (let r = 0; r < k; r++) sums[r] += vectors[r * d + a] * z;
    }
  }
  return Array.from(sums, (s) => s / n);
}

const SMALL: TrainConfig = { ...DEFAULT_CONFIG, d: 24, h: 32, batch: 512, epochs: 2, lr: 3e-3 };
let bilinear = '';
let sqs = '';

beforeAll(async () => {
  const root = tempDir();
  bilinear = (await runTraining({ ...SMALL, gate: 'bilinear' }, join(root, 'bilinear'))).run_dir;
  sqs = (await runTraining({ ...SMALL, gate: 'sqs' }, join(root, 'sqs'))).run_dir;
});

describe('interaction matrices of a bilinear model', () => {
  it('reproduce every logit as Σ λ_k (v_kᵀ z)² and match the bilinear tensor built independently', async () => {
    const run = loadRun(bilinear);
    const test = loadDigits().test;
    const { spectra } = runSpectra(run, 0, 8, test);
    const { d, h, dIn, classes: C } = run.model.dims;
    const evaluator = await Evaluator.create(run.model.gate, run.model.dims, run.model.specs, { ep: 'cpu' });
    const n = 20;
    const logits = await evaluator.logits(run.params, test.x, n);
    await evaluator.release();
    for (let i = 0; i < n; i++) {
      const e = explainInput(spectra, run.params.get('embed')!, test.x.subarray(i * dIn, (i + 1) * dIn), dIn);
      for (let c = 0; c < C; c++) expect(Math.abs(e.logits[c] - logits[i * C + c])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(logits[i * C + c])));
    }
    // B[c,i,j] = Σ_a U[c,a] W[a,i] V[a,j]; Q = ½(B + Bᵀ); each (λ, v) must satisfy Q v = λ v
    const [U, W, V] = ['head', 'layers.0.w', 'layers.0.v'].map((k) => run.params.get(k)!);
    for (const c of [0, 7]) {
      const q = new Float64Array(d * d);
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let a = 0; a < h; a++) s += U[c * h + a] * (W[a * d + i] * V[a * d + j] + W[a * d + j] * V[a * d + i]);
          q[i * d + j] = s / 2;
        }
      const sp = spectra[c];
      const norm = Math.sqrt(q.reduce((s, x) => s + x * x, 0));
      for (let k = 0; k < d; k++) {
        const v = sp.vectors.subarray(k * d, (k + 1) * d);
        for (let i = 0; i < d; i++) {
          let qv = 0;
          for (let j = 0; j < d; j++) qv += q[i * d + j] * v[j];
          expect(Math.abs(qv - sp.values[k] * v[i])).toBeLessThanOrEqual(1e-9 * norm);
        }
        if (k > 0) expect(Math.abs(sp.values[k])).toBeLessThanOrEqual(Math.abs(sp.values[k - 1]));
      }
      // the gauge: the class's test examples project positively on every eigenvector, on average
      expect(meanClassProjections(run.params.get('embed')!, sp.vectors, d, dIn, test, c).every((m) => m > 0)).toBe(true);
    }
  });

  it('analysis: full-rank surrogate equals the model, files have the documented layout', async () => {
    const a = await analyzeRun(bilinear, { ...DEFAULT_ANALYZE, topK: 8 });
    const s = a.summary;
    expect(s.exact).toBe(true);
    expect(s.surrogate_accuracy).toBeCloseTo(s.model_accuracy, 3);
    expect(s.faithfulness.agreement).toBeGreaterThan(0.998);
    expect(s.faithfulness.logit_correlation).toBeGreaterThan(0.99999);
    expect(s.truncation).toHaveLength(24);
    expect(s.truncation[23].accuracy).toBeCloseTo(s.surrogate_accuracy, 10);
    expect(s.truncation[0].accuracy).toBeLessThan(s.truncation[23].accuracy);
    for (const c of s.per_class) {
      expect(c.effective_rank).toBeGreaterThan(1);
      expect(c.effective_rank).toBeLessThanOrEqual(24);
      expect(c.top_examples).toHaveLength(8);
      expect(c.top_examples[0]).toHaveLength(8);
      expect(c.faithfulness.agreement).toBeGreaterThan(0.998);
    }
    writeAnalysis(bilinear, a);
    const { tensors } = readSafetensors(join(bilinear, 'analysis/spectra.safetensors'));
    expect(tensors.get('eigenvalues')!.shape).toEqual([10, 24]);
    expect(tensors.get('eigenvectors')!.shape).toEqual([10, 24, 24]);
    expect(tensors.get('eigenvectors_input')!.shape).toEqual([10, 8, 784]);
    const summary = JSON.parse(readFileSync(join(bilinear, 'analysis/summary.json'), 'utf8'));
    expect(summary.per_class[3].truncation[0]).toEqual({ k: 1, accuracy: expect.any(Number) });
    expect(summary).toMatchObject({ format_version: 2, sign_gauge: 'class-mean-projection-positive', examples_ranked_by: 'abs-contribution' });

    // the gauge holds in both stored forms: the class's test examples project positively on average
    const test = loadDigits().test;
    const embed = loadRun(bilinear).params.get('embed')!;
    const vectors = tensors.get('eigenvectors')!.data as Float32Array;
    const inputs = tensors.get('eigenvectors_input')!.data as Float32Array;
    for (let c = 0; c < 10; c++) {
      expect(meanClassProjections(embed, vectors.subarray(c * 24 * 24, (c + 1) * 24 * 24), 24, 784, test, c).every((m) => m > 0)).toBe(true);
      for (let k = 0; k < 8; k++) {
        const u = inputs.subarray((c * 8 + k) * 784, (c * 8 + k + 1) * 784);
        let sum = 0;
        let n = 0;
        for (let i = 0; i < test.n; i++) if (test.y[i] === c) {
          n++;
          for (let j = 0; j < 784; j++) sum += u[j] * test.x[i * 784 + j];
        }
        expect(sum / n).toBeGreaterThan(0);
      }
    }

    // the examples listed per eigenvector: the largest and smallest λ(vᵀz)², by brute force
    for (const [c, k] of [[4, 0], [7, 3]]) {
      const u = inputs.subarray((c * 8 + k) * 784, (c * 8 + k + 1) * 784);
      const lambda = s.per_class[c].top_eigenvalues[k];
      const size = Array.from({ length: test.n }, (_, i) => {
        let p = 0;
        for (let j = 0; j < 784; j++) p += u[j] * test.x[i * 784 + j];
        return Math.abs(lambda * p * p);
      });
      const sorted = [...size].sort((a, b) => b - a);
      const tol = 1e-4 * sorted[0];
      summary.per_class[c].top_examples[k].forEach((i: number, r: number) => expect(Math.abs(size[i] - sorted[r])).toBeLessThanOrEqual(tol));
      summary.per_class[c].bottom_examples[k].forEach((i: number, r: number) => expect(Math.abs(size[i] - sorted[test.n - 1 - r])).toBeLessThanOrEqual(tol));
    }
  });

  it('masks satisfy v_j · mask_i = δ_ij', () => {
    const rng = new Rng(3);
    const a = Float64Array.from({ length: 5 * 40 }, () => rng.normal());
    const m = pseudoInverseRows(a, 5, 40);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) {
        let dot = 0;
        for (let t = 0; t < 40; t++) dot += a[j * 40 + t] * m[i * 40 + t];
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    const run = loadRun(bilinear);
    const { spectra } = runSpectra(run, 0, 8, loadDigits().test);
    const embed = run.params.get('embed')!;
    const { rows, m: count } = topPositiveInputVectors(spectra[2], embed, 784, 4);
    expect(count).toBe(4);
    const pinv = pseudoInverseRows(rows, count, 784);
    for (let i = 0; i < count; i++)
      for (let j = 0; j < count; j++) {
        let dot = 0;
        for (let t = 0; t < 784; t++) dot += rows[j * 784 + t] * pinv[i * 784 + t];
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 6);
      }
    const mask = classMask(spectra[2], embed, 784, 4);
    expect(Math.hypot(...mask)).toBeCloseTo(1, 12);
  });
});

describe('other gates and comparisons', () => {
  it('reads an SQS model to first order and reports how faithful that is', async () => {
    const s = (await analyzeRun(sqs, { ...DEFAULT_ANALYZE, topK: 4 })).summary;
    expect(s.exact).toBe(false);
    expect(s.faithfulness.agreement).toBeGreaterThan(0.5);
    expect(s.faithfulness.agreement).toBeLessThanOrEqual(1);
    expect(Math.abs(s.faithfulness.logit_correlation)).toBeLessThanOrEqual(1);
  });

  it('a run compared with itself matches perfectly, by rank and by assignment', () => {
    const r = compareFeatures(bilinear, bilinear, 6);
    expect(r.per_class).toHaveLength(10);
    for (const x of [...r.mean.by_rank, ...r.mean.by_assignment]) expect(x).toBeCloseTo(1, 9);
    const other = compareFeatures(bilinear, sqs, 6);
    expect(other.mean.by_assignment[0]).toBeGreaterThanOrEqual(other.mean.by_rank[0] - 1e-12);
  });

  it('compare-features prints one JSON object from the CLI', async () => {
    const r = await runCli(['compare-features', bilinear, sqs, '--top-k', '4', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mean.by_rank).toHaveLength(4);
    expect(out.per_class[0].assignment).toHaveLength(4);
  });
});

describe('bad runs', () => {
  it('a corrupt weights file is named with its defect, and nothing is written', async () => {
    const dir = join(tempDir(), 'run');
    await runTraining({ ...SMALL, epochs: 1 }, dir);
    const weights = join(dir, 'weights.safetensors');
    const bytes = readFileSync(weights);
    writeFileSync(weights, bytes.subarray(0, 100));
    const r = await runCli(['analyze', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(weights);
    expect(existsSync(join(dir, 'analysis'))).toBe(false);

    // a header whose offsets run past the end of the file
    const header = Buffer.from(JSON.stringify({ embed: { dtype: 'F32', shape: [24, 784], data_offsets: [0, 24 * 784 * 4] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    writeFileSync(weights, Buffer.concat([len, header, Buffer.alloc(16)]));
    const r2 = await runCli(['analyze', dir]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(weights);
    expect(existsSync(join(dir, 'analysis'))).toBe(false);
  });

  it('weights of another architecture are refused with the tensor and shapes named', async () => {
    const dir = join(tempDir(), 'run');
    await runTraining({ ...SMALL, epochs: 1 }, dir);
    const cfgPath = join(dir, 'config.json');
    writeFileSync(cfgPath, JSON.stringify({ ...JSON.parse(readFileSync(cfgPath, 'utf8')), d: 16 }));
    const r = await runCli(['analyze', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tensor 'embed' has shape \[24,784\] but the architecture needs \[16,784\]/);
  });

  it('a ReLU MLP has no interaction matrices, and says so', async () => {
    const dir = join(tempDir(), 'run');
    await runTraining({ ...SMALL, gate: 'relu-mlp', epochs: 1 }, dir);
    const r = await runCli(['analyze', dir]);
    expect(r.code).toBe(2); // a request for what the run does not have, as the api's bad_request
    expect(r.stderr).toMatch(/relu-mlp model has no gate product/);
  });

  it('a folder that is not a run is named', async () => {
    const r = await runCli(['analyze', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/config.json: missing/);
  });
});

describe('adversarial masks', () => {
  // one vector: its mask is Eᵀv/‖Eᵀv‖² scaled, pointing where the class's typical examples lie (the
  // gauge). Sums over several vectors depend on their relative signs and may cancel.
  it('push inputs to their class far more than a permuted mask of the same norm', async () => {
    const s = (await analyzeRun(bilinear, { ...DEFAULT_ANALYZE, topK: 4, maskVectors: 1, maskEpsilons: [0, 16] })).summary;
    let wins = 0;
    for (const c of s.per_class) {
      const [clean, big] = c.adversarial!;
      expect(clean.accuracy).toBeCloseTo(s.model_accuracy, 10);
      expect(clean.accuracy).toBe(clean.random_accuracy);
      if (big.to_class > big.random_to_class) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(8);
    const mean = (f: (p: { to_class: number; random_to_class: number }) => number) => s.per_class.reduce((a, c) => a + f(c.adversarial![1]), 0) / 10;
    expect(mean((p) => p.to_class)).toBeGreaterThan(mean((p) => p.random_to_class) + 0.3);
  });
});
