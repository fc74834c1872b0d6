// The sign an eigenvector is shown with: the class's test examples project positively on it on
// average, checked by brute force in float64; v and −v come out the same; and a stored eigenvector
// with its sign flipped changes only that sign in what is shown (the examples ranked, their
// contributions, the explanations and the |cos| of a comparison stay as they were).
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Split } from '../../../src-main/engine/data/dataset';
import { loadDigits } from '../../../src-main/engine/data/digits';
import { analyzeRun, DEFAULT_ANALYZE, writeAnalysis } from '../../../src-main/engine/analysis/analyze';
import { compareAtlases, explainRunInput, featureDetail } from '../../../src-main/engine/analysis/atlas-data';
import type { Spectrum } from '../../../src-main/engine/analysis/decompose';
import { applyGauge } from '../../../src-main/engine/analysis/gauge';
import { DEFAULT_CONFIG } from '../../../src-main/engine/train/config';
import { runTraining } from '../../../src-main/engine/train/run';
import { encodeSafetensors, readSafetensors, type NamedTensor } from '../../../src-main/engine/util/safetensors';
import { Rng } from '../../../src-main/engine/util/rng';
import { tempDir } from '../../helpers/cli';

/** Eᵀv for E [d, dIn]. */
const input = (embed: ArrayLike<number>, v: ArrayLike<number>, d: number, dIn: number) =>
  Float64Array.from({ length: dIn }, (_, j) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += v[i] * embed[i * dIn + j];
    return s;
  });

/** The mean over class c's examples of u·x. */
function classMean(u: ArrayLike<number>, test: Split, c: number, dIn: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < test.n; i++) {
    if (test.y[i] !== c) continue;
    n++;
    for (let j = 0; j < dIn; j++) sum += u[j] * test.x[i * dIn + j];
  }
  return sum / n;
}

describe('the sign gauge', () => {
  const rng = new Rng(11);
  const [C, d, dIn, n] = [3, 6, 10, 40];
  const embed = Float64Array.from({ length: d * dIn }, () => rng.normal());
  // class 2 has no test examples: its mean is nought, and the largest entry of Eᵀv decides
  const test: Split = { x: Float32Array.from({ length: n * dIn }, () => rng.uniform()), y: Uint8Array.from({ length: n }, (_, i) => i % 2), n };
  const spectra = (): Spectrum[] => Array.from({ length: C }, () => ({ values: Float64Array.from({ length: d }, () => rng.normal()), vectors: Float64Array.from({ length: d * d }, () => rng.normal()), n: d }));

  it('orients every vector so that its class projects positively on average, whichever sign it came with', () => {
    const given = spectra();
    const flipped = given.map((s) => ({ ...s, vectors: s.vectors.map((x, t) => (Math.floor(t / d) % 2 ? -x : x)) }));
    applyGauge(given, embed, test, dIn);
    applyGauge(flipped, embed, test, dIn);
    expect(flipped.map((s) => Array.from(s.vectors))).toEqual(given.map((s) => Array.from(s.vectors)));
    given.forEach((s, c) => {
      for (let k = 0; k < d; k++) {
        const u = input(embed, s.vectors.subarray(k * d, (k + 1) * d), d, dIn);
        if (c < 2) expect(classMean(u, test, c, dIn)).toBeGreaterThan(0);
        else {
          const big = u.reduce((b, x, j) => (Math.abs(x) > Math.abs(u[b]) ? j : b), 0);
          expect(u[big]).toBeGreaterThan(0);
        }
      }
    });
  });
});

describe('a stored eigenvector with its sign flipped', () => {
  let run = '';
  let flipped = '';
  const FLIP = [1, 2, 3]; // class 4's first three ranks
  let test: Split;

  beforeAll(async () => {
    run = (await runTraining({ ...DEFAULT_CONFIG, d: 20, h: 24, batch: 512, epochs: 2, lr: 3e-3 }, join(tempDir(), 'run'))).run_dir;
    writeAnalysis(run, await analyzeRun(run, { ...DEFAULT_ANALYZE, topK: 4 }));
    test = loadDigits().test;
    flipped = join(tempDir(), 'flipped');
    cpSync(run, flipped, { recursive: true });
    const file = join(flipped, 'analysis', 'spectra.safetensors');
    const { tensors, metadata } = readSafetensors(file);
    const out: NamedTensor[] = [...tensors].map(([name, t]) => ({ name, shape: t.shape, data: Float32Array.from(t.data) }));
    const [d, dIn, topK] = [20, 784, 4];
    const negate = (data: Float32Array, at: number, len: number) => data.subarray(at, at + len).forEach((x, i, a) => (a[i] = -x));
    for (const rank of FLIP) {
      negate(out.find((t) => t.name === 'eigenvectors')!.data, (4 * d + rank - 1) * d, d);
      negate(out.find((t) => t.name === 'eigenvectors_input')!.data, (4 * topK + rank - 1) * dIn, dIn);
    }
    writeFileSync(file, encodeSafetensors(out, metadata));
  });

  it('is shown with that sign, and nothing else changes: examples, contributions, class logits', () => {
    for (const rank of [...FLIP, 4]) {
      const sign = FLIP.includes(rank) ? -1 : 1;
      for (const rankedBy of ['contribution', 'projection'] as const) {
        const a = featureDetail(run, 4, rank, 6, rankedBy);
        const b = featureDetail(flipped, 4, rank, 6, rankedBy);
        b.feature.vector.forEach((x, j) => expect(x).toBeCloseTo(sign * a.feature.vector[j], 12));
        expect(b.classLogits).toEqual(a.classLogits);
        expect(b.meanContribution).toBeCloseTo(a.meanContribution, 12);
        if (rankedBy === 'contribution') {
          expect(b.topExamples.map((e) => e.index)).toEqual(a.topExamples.map((e) => e.index));
          expect(b.bottomExamples.map((e) => e.index)).toEqual(a.bottomExamples.map((e) => e.index));
          b.topExamples.forEach((e, i) => {
            expect(e.contribution).toBeCloseTo(a.topExamples[i].contribution, 9);
            expect(e.projection).toBeCloseTo(sign * a.topExamples[i].projection, 9);
          });
        } else if (sign < 0) {
          // the signed view swaps its ends: that is the gauge, and why it is not the default
          expect(b.topExamples.map((e) => e.index)).toEqual(a.bottomExamples.map((e) => e.index));
        }
      }
      // the analysed run is in the gauge; the flipped copy is out of it exactly where flipped
      const mean = (dir: string) => classMean(featureDetail(dir, 4, rank, 1).feature.vector, test, 4, 784);
      expect(mean(run)).toBeGreaterThan(0);
      expect(Math.sign(mean(flipped))).toBe(sign);
    }
  });

  it('explains an input with the same contributions, and compares with |cos| 1, drawn to agree', async () => {
    for (const i of [0, 4, 123]) {
      const a = await explainRunInput(run, { testIndex: i }, 4, 8);
      const b = await explainRunInput(flipped, { testIndex: i }, 4, 8);
      expect(b.components.map((c) => c.rank)).toEqual(a.components.map((c) => c.rank));
      b.components.forEach((c, k) => {
        const sign = FLIP.includes(c.rank) ? -1 : 1;
        expect(c.contribution).toBeCloseTo(a.components[k].contribution, 9);
        expect(c.projection).toBeCloseTo(sign * a.components[k].projection, 9);
      });
      expect(b.remainder).toBeCloseTo(a.remainder, 9);
    }
    const cmp = compareAtlases(run, flipped, 4);
    for (const m of cmp.classes[4].matches) {
      expect(m.similarity).toBeCloseTo(1, 9);
      expect(m.rankB).toBe(m.rankA);
      m.b.vector.forEach((x, j) => expect(x).toBeCloseTo(m.a.vector[j], 9));
    }
  });
});
