// The atlas read from a run, against references built here from the weights in float64: each
// feature is Eᵀv of an eigenvector of the class's interaction matrix, class logits are explicit
// quadratic forms, listed examples are those with the largest and smallest contributions λ(vᵀz)²
// found by brute force, and a bilinear model's logits are reproduced exactly by the explained
// components.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDigits } from '../../../src-main/engine/data/digits';
import { datasetClassNames } from '../../../src-main/engine/data/load';
import { analyzeRun, DEFAULT_ANALYZE, writeAnalysis } from '../../../src-main/engine/analysis/analyze';
import { compareAtlases, explainRunInput, featureDetail, readAtlas, testExamples } from '../../../src-main/engine/analysis/atlas-data';
import { AtlasInputError } from '../../../src-main/engine/analysis/atlas-source';
import type { AtlasFeature } from '../../../src-main/engine/analysis/atlas-types';
import { AnalysisError } from '../../../src-main/engine/analysis/interaction';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src-main/engine/train/config';
import { runTraining } from '../../../src-main/engine/train/run';
import { readSafetensors } from '../../../src-main/engine/util/safetensors';
import { tempDir } from '../../helpers/cli';

const SMALL: TrainConfig = { ...DEFAULT_CONFIG, d: 20, h: 24, batch: 512, epochs: 2, lr: 3e-3 };
const TOP_K = 4; // the analysis keeps 4 input-space vectors; the atlas must not be limited by it
let bilinear = '';
let sqs = '';
const progress: [string, number][] = [];

/** The weights of a one-layer run as float64, and Q_c built from them. */
interface Ref {
  E: Float64Array; // [d, dIn]
  W: Float64Array; // [h, d]
  V: Float64Array;
  U: Float64Array; // [C, h]
  d: number;
  h: number;
  C: number;
  dIn: number;
  q: Float64Array[]; // [C][d*d]
  vectors: Float32Array; // stored eigenvectors [C, d, d]
}

function reference(dir: string): Ref {
  const w = readSafetensors(join(dir, 'weights.safetensors')).tensors;
  const f64 = (name: string) => Float64Array.from(w.get(name)!.data as Float32Array);
  const [E, W, V, U] = ['embed', 'layers.0.w', 'layers.0.v', 'head'].map(f64);
  const [d, dIn] = w.get('embed')!.shape;
  const [h] = w.get('layers.0.w')!.shape;
  const [C] = w.get('head')!.shape;
  const q = Array.from({ length: C }, (_, c) => {
    const m = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let a = 0; a < h; a++) s += U[c * h + a] * (W[a * d + i] * V[a * d + j] + W[a * d + j] * V[a * d + i]);
        m[i * d + j] = s / 2;
      }
    return m;
  });
  const vectors = readSafetensors(join(dir, 'analysis', 'spectra.safetensors')).tensors.get('eigenvectors')!.data as Float32Array;
  return { E, W, V, U, d, h, C, dIn, q, vectors };
}

const storedV = (r: Ref, c: number, rank: number) => Float64Array.from(r.vectors.subarray((c * r.d + rank - 1) * r.d, (c * r.d + rank) * r.d));
const quad = (q: Float64Array, v: ArrayLike<number>, d: number) => {
  let s = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += v[i] * q[i * d + j] * v[j];
  return s;
};
const frob = (q: Float64Array) => Math.sqrt(q.reduce((s, x) => s + x * x, 0));
const Et = (r: Ref, v: ArrayLike<number>) => Float64Array.from({ length: r.dIn }, (_, j) => Array.from({ length: r.d }, (_, i) => v[i] * r.E[i * r.dIn + j]).reduce((a, b) => a + b, 0));
const close = (a: number, b: number, rel: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

/** A feature is Eᵀv for the stored v at its rank, and v is an eigenvector of Q_c with its eigenvalue. */
function checkFeature(r: Ref, f: Omit<AtlasFeature, 'sparsity'> & { sparsity?: number }): void {
  const v = storedV(r, f.class, f.rank);
  const u = Et(r, v);
  const scale = Math.max(...u.map(Math.abs));
  expect(f.vector).toHaveLength(r.dIn);
  for (let j = 0; j < r.dIn; j++) expect(Math.abs(f.vector[j] - u[j])).toBeLessThanOrEqual(1e-9 * scale);
  expect(f.range).toBeCloseTo(scale, 12);
  const q = r.q[f.class];
  let residual = 0;
  for (let i = 0; i < r.d; i++) {
    let qv = 0;
    for (let j = 0; j < r.d; j++) qv += q[i * r.d + j] * v[j];
    residual += (qv - f.eigenvalue * v[i]) ** 2;
  }
  expect(Math.sqrt(residual)).toBeLessThanOrEqual(1e-5 * frob(q));
  close(quad(q, v, r.d), f.eigenvalue, 1e-5);
  const l1 = v.reduce((s, x) => s + Math.abs(x), 0);
  const l2 = v.reduce((s, x) => s + x * x, 0);
  if (f.sparsity !== undefined) expect(f.sparsity).toBeCloseTo((l1 * l1) / l2 / r.d, 9);
}

beforeAll(async () => {
  const root = tempDir();
  bilinear = (await runTraining({ ...SMALL, gate: 'bilinear' }, join(root, 'bilinear'))).run_dir;
  sqs = (await runTraining({ ...SMALL, gate: 'sqs' }, join(root, 'sqs'))).run_dir;
  writeAnalysis(bilinear, await analyzeRun(bilinear, { ...DEFAULT_ANALYZE, topK: TOP_K, onProgress: (stage, fraction) => progress.push([stage, fraction]) }));
  writeAnalysis(sqs, await analyzeRun(sqs, { ...DEFAULT_ANALYZE, topK: TOP_K }));
});

describe('the analysis reports its progress', () => {
  it('at a handful of stages, fractions rising within [0, 1]', () => {
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.map(([s]) => s)).toEqual(expect.arrayContaining(['loading', 'spectra', 'surrogate', 'model']));
    for (let i = 0; i < progress.length; i++) {
      expect(progress[i][1]).toBeGreaterThanOrEqual(i === 0 ? 0 : progress[i - 1][1]);
      expect(progress[i][1]).toBeLessThanOrEqual(1);
    }
  });
});

describe('readAtlas', () => {
  it('gives every class its spectrum and its top features of each sign, each an eigenvector of Q_c in input space', () => {
    for (const dir of [bilinear, sqs]) {
      const r = reference(dir);
      const count = 6; // more than the analysis's top-k
      const atlas = readAtlas(dir, count, { runId: 7, runName: 'tiny' });
      expect(atlas).toMatchObject({ runId: 7, runName: 'tiny', layer: 0, d: r.d, dIn: 784, imageShape: [28, 28], exact: dir === bilinear, testExamples: 2000 });
      expect(atlas.gate).toBe(dir === bilinear ? 'bilinear' : 'sqs');
      expect(atlas.classes.map((c) => c.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      for (const cls of atlas.classes) {
        const q = r.q[cls.class];
        // the spectrum: |λ| descending, Σλ = tr Q, Σλ² = ‖Q‖²_F (checked without an eigensolver)
        expect(cls.eigenvalues).toHaveLength(r.d);
        for (let k = 1; k < r.d; k++) expect(Math.abs(cls.eigenvalues[k])).toBeLessThanOrEqual(Math.abs(cls.eigenvalues[k - 1]));
        let trace = 0;
        for (let i = 0; i < r.d; i++) trace += q[i * r.d + i];
        close(cls.eigenvalues.reduce((s, x) => s + x, 0), trace, 1e-5);
        close(Math.sqrt(cls.eigenvalues.reduce((s, x) => s + x * x, 0)), frob(q), 1e-5);

        const positives = cls.eigenvalues.filter((x) => x > 0).length;
        const negatives = cls.eigenvalues.filter((x) => x < 0).length;
        expect(cls.positive).toHaveLength(Math.min(count, positives));
        expect(cls.negative).toHaveLength(Math.min(count, negatives));
        cls.positive.forEach((f, i) => {
          expect(f.eigenvalue).toBeGreaterThan(0);
          if (i > 0) expect(f.eigenvalue).toBeLessThanOrEqual(cls.positive[i - 1].eigenvalue);
        });
        cls.negative.forEach((f, i) => {
          expect(f.eigenvalue).toBeLessThan(0);
          if (i > 0) expect(f.eigenvalue).toBeGreaterThanOrEqual(cls.negative[i - 1].eigenvalue);
        });
        // the largest positive is the largest eigenvalue, the most negative the smallest
        if (positives > 0) expect(cls.positive[0].eigenvalue).toBe(Math.max(...cls.eigenvalues));
        if (negatives > 0) expect(cls.negative[0].eigenvalue).toBe(Math.min(...cls.eigenvalues));
        for (const f of [...cls.positive, ...cls.negative]) {
          expect(f.class).toBe(cls.class);
          expect(cls.eigenvalues[f.rank - 1]).toBe(f.eigenvalue);
          checkFeature(r, f);
        }
        expect(cls.effectiveRank).toBeGreaterThan(1);
        expect(cls.truncation[0]).toEqual({ k: 1, accuracy: expect.any(Number) });
      }
      expect(atlas.faithfulness.agreement).toBeGreaterThan(dir === bilinear ? 0.998 : 0.5);
    }
  });

  it('names what is missing or broken and what to do', () => {
    const copy = join(tempDir(), 'run');
    cpSync(bilinear, copy, { recursive: true });
    rmSync(join(copy, 'analysis', 'summary.json'));
    expect(() => readAtlas(copy, 3)).toThrow(AnalysisError);
    expect(() => readAtlas(copy, 3)).toThrow(/summary\.json: missing.*sqs-workbench analyze/);
    cpSync(join(bilinear, 'analysis', 'summary.json'), join(copy, 'analysis', 'summary.json'));
    writeFileSync(join(copy, 'analysis', 'spectra.safetensors'), 'not a tensor file');
    expect(() => readAtlas(copy, 3)).toThrow(/spectra\.safetensors.*sqs-workbench analyze/);
 
    // an analysis written before the sign gauge and the ranking by contribution is not read as if it were current
    cpSync(join(bilinear, 'analysis'), join(copy, 'analysis'), { recursive: true });
    const { format_version: _, ...old } = JSON.parse(readFileSync(join(copy, 'analysis', 'summary.json'), 'utf8'));
    writeFileSync(join(copy, 'analysis', 'summary.json'), JSON.stringify(old));
    expect(() => readAtlas(copy, 3)).toThrow(/summary\.json: written by an earlier version of the workbench, with eigenvector signs fixed by their largest entry and examples ranked by signed projection; run 'sqs-workbench analyze/);
    writeFileSync(join(copy, 'analysis', 'summary.json'), JSON.stringify({ ...old, format_version: 3 }));
    expect(() => readAtlas(copy, 3)).toThrow(/written in analysis format 3; this version reads format 2/);
  });

  it('labels classes by the dataset without loading it', () => {
    expect(datasetClassNames('fashion-mnist', 10)[5]).toBe('Sandal');
    expect(datasetClassNames('fashion-mnist', 10)[9]).toBe('Ankle boot');
    expect(datasetClassNames('digits', 10)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(datasetClassNames('idx:/some/where', 3)).toEqual(['0', '1', '2']);
  });
});

describe('featureDetail', () => {
  it('class logits are explicit quadratic forms; examples are those the feature contributes most and least to, over the whole test set', () => {
    const r = reference(bilinear);
    const test = loadDigits().test;
    for (const [cls, rank] of [
      [3, 1],
      [8, 2],
      [0, r.d],
    ]) {
      const fd = featureDetail(bilinear, cls, rank, 5);
      checkFeature(r, fd.feature);
      const v = storedV(r, cls, rank);
      const lambda = quad(r.q[cls], v, r.d);
      for (let c = 0; c < r.C; c++) close(fd.classLogits[c], quad(r.q[c], v, r.d), 1e-5);
      close(fd.classLogits[cls], fd.feature.eigenvalue, 1e-5);

      // brute force: z = E x, vᵀz and λ(vᵀz)² for every test example
      const p = Array.from({ length: test.n }, (_, i) => {
        const x = test.x.subarray(i * r.dIn, (i + 1) * r.dIn);
        let s = 0;
        for (let k = 0; k < r.d; k++) {
          let zk = 0;
          for (let j = 0; j < r.dIn; j++) zk += r.E[k * r.dIn + j] * x[j];
          s += v[k] * zk;
        }
        return s;
      });
      const contribution = p.map((x) => lambda * x * x);
      const bySize = [...contribution].sort((a, b) => Math.abs(b) - Math.abs(a));
      expect(fd.rankedBy).toBe('contribution');
      expect(fd.topExamples).toHaveLength(5);
      fd.topExamples.forEach((e, i) => {
        close(e.contribution, bySize[i], 1e-5);
        close(e.contribution, contribution[e.index], 1e-5);
        close(e.projection, p[e.index], 1e-9);
        expect(e.label).toBe(test.y[e.index]);
        expect(e.pixels).toEqual(Array.from(test.x.subarray(e.index * 784, (e.index + 1) * 784)));
      });
      fd.bottomExamples.forEach((e, i) => {
        close(e.contribution, bySize[test.n - 1 - i], 1e-5);
        close(e.projection, p[e.index], 1e-9);
      });

      // the signed projection, on request
      const signed = featureDetail(bilinear, cls, rank, 5, 'projection');
      const sorted = [...p].sort((a, b) => b - a);
      expect(signed.rankedBy).toBe('projection');
      signed.topExamples.forEach((e, i) => close(e.projection, sorted[i], 1e-9));
      signed.bottomExamples.forEach((e, i) => close(e.projection, sorted[test.n - 1 - i], 1e-9));
      const meanSq = p.reduce((s, x) => s + x * x, 0) / test.n;
      close(fd.meanContribution, fd.feature.eigenvalue * meanSq, 1e-9);
      const values = readAtlas(bilinear, 1).classes[cls].eigenvalues;
      expect(fd.positiveCount).toBe(values.filter((x) => x > 0).length);
      expect(fd.negativeCount).toBe(values.filter((x) => x < 0).length);
    }
  });

  it('refuses a class or rank out of range, naming the valid one', () => {
    expect(() => featureDetail(bilinear, 10, 1, 3)).toThrow(AtlasInputError);
    expect(() => featureDetail(bilinear, 10, 1, 3)).toThrow('class 10 is out of range: this run has 10 classes (0 to 9)');
    expect(() => featureDetail(bilinear, 2, 21, 3)).toThrow('rank 21 is out of range: class 2 has 20 components (ranks 1 to 20)');
    expect(() => featureDetail(bilinear, 2, 0, 3)).toThrow(/ranks 1 to 20/);
  });
});

describe('explainRunInput', () => {
  it('a bilinear model: surrogate logits are the model logits, and the components add up to the class logit', async () => {
    const r = reference(bilinear);
    const test = loadDigits().test;
    for (const i of [0, 17, 1999]) {
      const e = await explainRunInput(bilinear, { testIndex: i }, undefined, 5);
      const x = test.x.subarray(i * 784, (i + 1) * 784);
      expect(e.pixels).toEqual(Array.from(x));
      expect(e.label).toBe(test.y[i]);
      // the model's logits against a float64 forward pass written here: U((W z) ⊙ (V z)), z = E x
      const z = Array.from({ length: r.d }, (_, k) => x.reduce((s, xj, j) => s + r.E[k * r.dIn + j] * xj, 0));
      const g = Array.from({ length: r.h }, (_, a) => {
        let wz = 0;
        let vz = 0;
        for (let k = 0; k < r.d; k++) {
          wz += r.W[a * r.d + k] * z[k];
          vz += r.V[a * r.d + k] * z[k];
        }
        return wz * vz;
      });
      for (let c = 0; c < r.C; c++) {
        const logit = g.reduce((s, ga, a) => s + r.U[c * r.h + a] * ga, 0);
        close(e.modelLogits[c], logit, 1e-4);
        close(e.surrogateLogits[c], e.modelLogits[c], 1e-4);
      }
      const predicted = e.modelLogits.indexOf(Math.max(...e.modelLogits));
      expect(e.predicted).toBe(predicted);
      expect(e.class).toBe(predicted);
      expect(e.components).toHaveLength(5);
      close(e.components.reduce((s, c) => s + c.contribution, 0) + e.remainder, e.surrogateLogits[e.class], 1e-12);
      e.components.forEach((c, k) => {
        if (k > 0) expect(Math.abs(c.contribution)).toBeLessThanOrEqual(Math.abs(e.components[k - 1].contribution));
        const v = storedV(r, c.class, c.rank);
        close(c.projection, v.reduce((s, vi, t) => s + vi * z[t], 0), 1e-6);
        close(c.contribution, c.eigenvalue * c.projection ** 2, 1e-9);
        checkFeature(r, c);
      });
      // listing every component leaves nothing over
      const all = await explainRunInput(bilinear, { testIndex: i }, 4, r.d);
      expect(all.class).toBe(4);
      expect(Math.abs(all.remainder)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(all.surrogateLogits[4])));
    }
  });

  it('explains given pixels, and an SQS model to first order', async () => {
    const test = loadDigits().test;
    const pixels = Array.from(test.x.subarray(5 * 784, 6 * 784));
    const byIndex = await explainRunInput(sqs, { testIndex: 5 }, 2, 3);
    const byPixels = await explainRunInput(sqs, { pixels }, 2, 3);
    expect(byPixels.label).toBeNull();
    expect(byPixels.modelLogits).toEqual(byIndex.modelLogits);
    expect(byPixels.components).toEqual(byIndex.components);
    close(byPixels.components.reduce((s, c) => s + c.contribution, 0) + byPixels.remainder, byPixels.surrogateLogits[2], 1e-12);
  });

  it('refuses pixels of the wrong count or not finite, and a test index out of range', async () => {
    await expect(explainRunInput(bilinear, { pixels: [0.5, 0.5] }, undefined, 3)).rejects.toThrow('pixels: 2 values given, but the run\'s inputs have 784 (28×28, row-major)');
    const bad = new Array(784).fill(0);
    bad[10] = Number.NaN;
    await expect(explainRunInput(bilinear, { pixels: bad }, undefined, 3)).rejects.toThrow('pixels: value NaN at index 10 is not a finite number');
    await expect(explainRunInput(bilinear, { testIndex: 2000 }, undefined, 3)).rejects.toThrow('test example 2000 is out of range: the test set has 2000 examples (0 to 1999)');
    await expect(explainRunInput(bilinear, { testIndex: 0 }, 10, 3)).rejects.toThrow(AtlasInputError);
  });
});

describe('compareAtlases', () => {
  it('a run against itself: similarity 1 and the identity assignment', () => {
    const cmp = compareAtlases(bilinear, bilinear, 5, { a: { runId: 1, name: 'x' }, b: { runId: 1, name: 'x' } });
    expect(cmp.count).toBe(5);
    expect(cmp.imageShape).toEqual([28, 28]);
    expect(cmp.a).toEqual({ runId: 1, name: 'x', gate: 'bilinear' });
    for (const x of [...cmp.byRank, ...cmp.byAssignment]) expect(x).toBeCloseTo(1, 9);
    for (const c of cmp.classes) {
      c.matches.forEach((m, i) => {
        expect(m.rankA).toBe(i + 1);
        expect(m.rankB).toBe(i + 1);
        expect(m.similarity).toBeCloseTo(1, 9);
        expect(m.b.vector).toEqual(m.a.vector);
      });
    }
  });

  it('two runs: |cos| of the matched pair, b drawn with the sign that agrees with a; weights alone give the same answer', () => {
    const cmp = compareAtlases(bilinear, sqs, 4);
    const rb = reference(sqs);
    for (const c of cmp.classes) {
      const ranks = c.matches.map((m) => m.rankB).sort((x, y) => x - y);
      expect(ranks).toEqual([1, 2, 3, 4]);
      c.matches.forEach((m, i) => {
        const a = m.a.vector;
        const b = Et(rb, storedV(rb, c.class, m.rankB)); // b's feature with its stored sign
        const dot = a.reduce((s, x, j) => s + x * b[j], 0);
        const cos = Math.abs(dot) / Math.hypot(...a) / Math.hypot(...b);
        expect(m.similarity).toBeCloseTo(cos, 9);
        expect(c.byAssignment[i]).toBe(m.similarity);
        const flipped = dot < 0 ? -1 : 1;
        for (let j = 0; j < 784; j += 97) expect(m.b.vector[j]).toBeCloseTo(flipped * b[j], 9);
        expect(m.a.vector.reduce((s, x, j) => s + x * m.b.vector[j], 0)).toBeGreaterThanOrEqual(0);
      });
      const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
      expect(sum(c.byAssignment)).toBeGreaterThanOrEqual(sum(c.byRank) - 1e-12);
    }
    // a copy of the run without its analysis: the spectra are computed from the weights
    const bare = join(tempDir(), 'run');
    cpSync(sqs, bare, { recursive: true });
    rmSync(join(bare, 'analysis'), { recursive: true });
    const fromWeights = compareAtlases(bilinear, bare, 4);
    fromWeights.classes.forEach((c, k) => c.matches.forEach((m, i) => expect(m.similarity).toBeCloseTo(cmp.classes[k].matches[i].similarity, 5)));
    const self = compareAtlases(bare, sqs, 4);
    for (const x of self.byRank) expect(x).toBeCloseTo(1, 5);
  });
});

describe('testExamples', () => {
  it('gives labels and pixels by index, and names the valid range', () => {
    const test = loadDigits().test;
    const ex = testExamples(bilinear, [3, 0, 1999]);
    expect(ex.map((e) => e.index)).toEqual([3, 0, 1999]);
    ex.forEach((e) => {
      expect(e.label).toBe(test.y[e.index]);
      expect(e.pixels).toEqual(Array.from(test.x.subarray(e.index * 784, (e.index + 1) * 784)));
    });
    expect(() => testExamples(bilinear, [2000])).toThrow('test example 2000 is out of range: the test set has 2000 examples (0 to 1999)');
  });
});
