// A run's feature atlas as the UI and the exports read it: per class the spectrum and the top
// positive and negative eigenvectors in input space, one feature's detail (the test examples it
// contributes most and least to, what every class's quadratic form makes of it), and test examples.
import type { Split } from '../data/dataset';
import type { Atlas, AtlasClass, AtlasFeature, ExampleRanking, FeatureDetail, RankedExample, TestExample } from './atlas-types';
import { AtlasInputError, checkRank, checkSplit, checkTestIndex, eigenvector, exampleOf, featureOf, readAnalysisSource, testSplitOf, toInput, type AtlasSource } from './atlas-source';
import { AnalysisError } from './interaction';

export { compareAtlases, compareSources } from './atlas-compare';
export { explainRunInput, explainWith } from './atlas-explain';

export interface AtlasMeta {
  runId?: number;
  runName?: string | null;
}

/** The atlas of an analysed run: `count` positive and `count` negative features per class. */
export function readAtlas(runDir: string, count: number, meta: AtlasMeta = {}): Atlas {
  return atlasOf(readAnalysisSource(runDir), count, meta);
}

export function atlasOf(src: AtlasSource, count: number, meta: AtlasMeta = {}): Atlas {
  const s = src.summary;
  if (!s) throw new AnalysisError(`${src.dir}: the atlas needs the run's stored analysis (summary and truncation figures); run 'sqs-workbench analyze ${src.dir}'`);
  if (!Number.isInteger(count) || count < 1) throw new AtlasInputError(`count must be a positive integer, got ${count}`);
  const faith = (f: { agreement: number; logit_correlation: number }) => ({ agreement: f.agreement, logitCorrelation: f.logit_correlation });
  const classes: AtlasClass[] = s.per_class.map((pc, c) => {
    const values = Array.from(src.values.subarray(c * src.d, (c + 1) * src.d));
    const positive: AtlasFeature[] = [];
    const negative: AtlasFeature[] = [];
    // |λ| order restricted to one sign is λ descending (positive) or ascending (negative)
    values.forEach((lambda, k) => {
      if (lambda > 0 && positive.length < count) positive.push(featureOf(src, c, k + 1));
      else if (lambda < 0 && negative.length < count) negative.push(featureOf(src, c, k + 1));
    });
    return {
      class: c,
      label: src.labels[c],
      effectiveRank: pc.effective_rank,
      faithfulness: faith(pc.faithfulness),
      eigenvalues: values,
      positive,
      negative,
      truncation: pc.truncation,
    };
  });
  return {
    runId: meta.runId ?? 0,
    runName: meta.runName ?? null,
    gate: src.gate,
    layer: src.layer,
    d: src.d,
    dIn: src.dIn,
    imageShape: src.imageShape,
    exact: s.exact,
    modelAccuracy: s.model_accuracy,
    surrogateAccuracy: s.surrogate_accuracy,
    faithfulness: faith(s.faithfulness),
    truncation: s.truncation,
    testExamples: s.test_examples,
    classes,
  };
}

/** One feature with the test examples it contributes most and least to (over the whole test set). */
export function featureDetail(runDir: string, cls: number, rank: number, examples: number, rankedBy: ExampleRanking = 'contribution'): FeatureDetail {
  const src = readAnalysisSource(runDir);
  return featureDetailOf(src, testSplitOf(src), cls, rank, examples, rankedBy);
}

export function featureDetailOf(src: AtlasSource, test: Split, cls: number, rank: number, examples: number, rankedBy: ExampleRanking = 'contribution'): FeatureDetail {
  checkRank(src, cls, rank);
  checkSplit(src, test);
  const { C, d, dIn } = src;
  const feature = featureOf(src, cls, rank);
  const v = eigenvector(src, cls, rank - 1);
  const u = toInput(src, v);
  // projection vᵀz = (Eᵀv)·x of every test example
  const p = new Float64Array(test.n);
  for (let i = 0; i < test.n; i++) {
    let s = 0;
    const row = i * dIn;
    for (let j = 0; j < dIn; j++) s += u[j] * test.x[row + j];
    p[i] = s;
  }
  // |λ(vᵀz)²| orders as (vᵀz)²: λ is the same for every example
  const key = rankedBy === 'contribution' ? (i: number) => p[i] * p[i] : (i: number) => p[i];
  const order = Array.from({ length: test.n }, (_, i) => i).sort((a, b) => key(b) - key(a) || a - b);
  const k = Math.min(examples, test.n);
  const pick = (i: number): RankedExample => ({ ...exampleOf(test, dIn, i), projection: p[i], contribution: feature.eigenvalue * p[i] * p[i] });
  let meanSquare = 0;
  for (let i = 0; i < test.n; i++) meanSquare += p[i] * p[i];
  meanSquare = test.n > 0 ? meanSquare / test.n : 0;

  // vᵀQ(c′)v = Σ_j λ_j (v_j·v)² over the spectrum of Q(c′)
  const classLogits = Array.from({ length: C }, (_, c2) => {
    let sum = 0;
    for (let j = 0; j < d; j++) {
      const at = (c2 * d + j) * d;
      let dot = 0;
      for (let i = 0; i < d; i++) dot += src.vectors[at + i] * v[i];
      sum += src.values[c2 * d + j] * dot * dot;
    }
    return sum;
  });
  const values = src.values.subarray(cls * d, (cls + 1) * d);
  return {
    feature,
    positiveCount: values.filter((x) => x > 0).length,
    negativeCount: values.filter((x) => x < 0).length,
    rankedBy,
    topExamples: order.slice(0, k).map(pick),
    bottomExamples: order.slice(test.n - k).reverse().map(pick),
    classLogits,
    meanContribution: feature.eigenvalue * meanSquare,
  };
}

/** Test examples by index, with their labels and pixels. */
export function testExamples(runDir: string, indices: readonly number[]): TestExample[] {
  const src = readAnalysisSource(runDir);
  const test = testSplitOf(src);
  checkSplit(src, test);
  return testExamplesOf(test, indices);
}

/** The same from a loaded test split; an index out of range names the valid range. */
export function testExamplesOf(test: Split, indices: readonly number[]): TestExample[] {
  const dIn = test.n > 0 ? test.x.length / test.n : 0;
  return indices.map((i) => {
    checkTestIndex(test, i);
    return exampleOf(test, dIn, i);
  });
}
