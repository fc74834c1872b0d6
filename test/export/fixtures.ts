// Small synthetic atlases for the export tests: smooth patterns instead of trained weights, so the
// figures have structure to look at and known numbers to check.
import type { Atlas, AtlasClass, AtlasComparison, AtlasFeature, Explanation, FeatureDetail, RankedExample, TestExample } from '../../src-main/engine/analysis/atlas-types';
import type { Provenance } from '../../src-main/common/figures/figure';

export const SHAPE: [number, number] = [28, 28];
const N = SHAPE[0] * SHAPE[1];

export const PROVENANCE: Provenance = { run_id: '7', run_dir: '/tmp/runs/7', gate: 'sqs', layer: 0, exact: false, config: { d: 16, note: '<b>&' }, app_version: '9.9.9' };

/** A blob pattern, different for each (class, rank); sign flips for negative features. */
function pattern(c: number, rank: number, sign: number): number[] {
  const v = new Array<number>(N);
  const cx = 8 + ((c * 5 + rank * 3) % 12);
  const cy = 8 + ((c * 3 + rank * 7) % 12);
  for (let r = 0; r < SHAPE[0]; r++) {
    for (let q = 0; q < SHAPE[1]; q++) {
      const d2 = (r - cy) ** 2 + (q - cx) ** 2;
      v[r * SHAPE[1] + q] = sign * (Math.exp(-d2 / 18) - 0.6 * Math.exp(-((r - 14) ** 2 + (q - 14) ** 2) / 60));
    }
  }
  return v;
}

function maxAbs(v: number[]): number {
  return v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}

export function feature(c: number, rank: number, eigenvalue: number): AtlasFeature {
  const vector = pattern(c, rank, Math.sign(eigenvalue) || 1);
  return { class: c, rank, eigenvalue, sparsity: 0.3 + 0.01 * rank, vector, range: maxAbs(vector) };
}

export function digit(index: number, label: number): TestExample {
  const pixels = new Array<number>(N).fill(0);
  for (let r = 6; r < 22; r++) pixels[r * 28 + 10 + (index % 8)] = 1; // a stroke
  for (let q = 8; q < 20; q++) pixels[(8 + (label % 10)) * 28 + q] = 0.6;
  return { index, label, pixels };
}

/** An atlas of `C` classes with `count` positive and negative features each; d = 16 eigenvalues. */
export function syntheticAtlas(C = 3, count = 4): Atlas {
  const d = 16;
  const classes: AtlasClass[] = Array.from({ length: C }, (_, c) => {
    // eigenvalues by |λ| descending, alternating signs: +8, -7.5, +7, ...
    const eigenvalues = Array.from({ length: d }, (_, k) => (k % 2 === 0 ? 1 : -1) * (8 - k / 2) * (1 + c / 10));
    const positive: AtlasFeature[] = [];
    const negative: AtlasFeature[] = [];
    eigenvalues.forEach((l, k) => {
      if (l > 0 && positive.length < count) positive.push(feature(c, k + 1, l));
      if (l < 0 && negative.length < count) negative.push(feature(c, k + 1, l));
    });
    return {
      class: c,
      label: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'][c % 10],
      effectiveRank: 5.5 + c,
      faithfulness: { agreement: 0.97, logitCorrelation: 0.93 },
      eigenvalues,
      positive,
      negative,
      truncation: [1, 2, 4, 8, 16].map((k) => ({ k, accuracy: 1 - 0.5 / k })),
    };
  });
  return {
    runId: 7,
    runName: 'sqs-s0-7',
    gate: 'sqs',
    layer: 0,
    d,
    dIn: N,
    imageShape: SHAPE,
    exact: false,
    modelAccuracy: 0.91,
    surrogateAccuracy: 0.88,
    faithfulness: { agreement: 0.95, logitCorrelation: 0.9 },
    truncation: [1, 2, 4, 8, 16].map((k) => ({ k, accuracy: 0.9 - 0.4 / k })),
    testExamples: 100,
    classes,
  };
}

const ranked = (e: TestExample, lambda: number, projection: number): RankedExample => ({ ...e, projection, contribution: lambda * projection * projection });

export function syntheticDetail(f: AtlasFeature, C: number, examples = 4): FeatureDetail {
  return {
    feature: f,
    positiveCount: 8,
    negativeCount: 8,
    rankedBy: 'contribution',
    // |λ(vᵀz)²| falling along the top row and rising along the bottom one
    topExamples: Array.from({ length: examples }, (_, i) => ranked(digit(i, f.class), f.eigenvalue, (i % 2 ? -1 : 1) * (3 - i * 0.5))),
    bottomExamples: Array.from({ length: examples }, (_, i) => ranked(digit(50 + i, (f.class + 1) % C), f.eigenvalue, 0.01 + i * 0.05)),
    classLogits: Array.from({ length: C }, (_, c) => (c === f.class ? f.eigenvalue : (c - C / 2) * 0.4)),
    meanContribution: 0.42,
  };
}

export function syntheticExplanation(atlas: Atlas): Explanation {
  const k = atlas.classes[1];
  const components = [...k.positive, ...k.negative].sort((a, b) => a.rank - b.rank).slice(0, 5).map((f, i) => ({
    class: 1,
    rank: f.rank,
    eigenvalue: f.eigenvalue,
    projection: 0.8 - i * 0.3,
    contribution: f.eigenvalue * (0.8 - i * 0.3) ** 2,
    vector: f.vector,
    range: f.range,
  }));
  const C = atlas.classes.length;
  return {
    pixels: digit(3, 1).pixels,
    label: 1,
    modelLogits: Array.from({ length: C }, (_, c) => (c === 1 ? 6 : c - 2)),
    surrogateLogits: Array.from({ length: C }, (_, c) => (c === 1 ? 5.5 : c - 2.3)),
    predicted: 1,
    class: 1,
    components,
    remainder: 0.7,
  };
}

export function syntheticComparison(a: Atlas, b: Atlas, count = 4): AtlasComparison {
  const byRank = Array.from({ length: count }, (_, i) => 0.9 - i * 0.15);
  const byAssignment = byRank.map((x) => Math.min(1, x + 0.05));
  return {
    a: { runId: a.runId, name: a.runName, gate: a.gate },
    b: { runId: 8, name: 'bilinear-s0-8', gate: 'bilinear' },
    count,
    imageShape: a.imageShape,
    byRank,
    byAssignment,
    classes: a.classes.map((k, c) => ({
      class: k.class,
      label: k.label,
      byRank,
      byAssignment,
      matches: [...k.positive, ...k.negative]
        .sort((x, y) => x.rank - y.rank)
        .slice(0, count)
        .map((f, i) => ({ rankA: f.rank, rankB: f.rank + (i % 2), similarity: byAssignment[i], a: f, b: b.classes[c].positive[0] ?? f })),
    })),
  };
}
