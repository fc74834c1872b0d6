// The numbers of a gate comparison, from finished runs: accuracy per gate (mean ± std over seeds),
// accuracy against training examples, effective rank, the first-order reading's faithfulness, and
// how closely SQS keeps the bilinear model's eigenvectors (same-seed pairs, compareFeatures).
// Accuracies are the runs' stored final metrics; everything else comes from each run's analysis.
import { existsSync, readFileSync } from 'node:fs';
import type { GateName } from '../train/config';
import type { Spread, StudyOptions, StudyResult, StudyRun } from './study-types';
import type { AnalysisSummary } from './analyze';
import { analysisPaths } from './atlas-source';
import { compareFeatures } from './compare';

export type { SimilarityPair, Spread, StudyOptions, StudyResult, StudyRun } from './study-types';

export function spread(xs: readonly number[]): Spread {
  const n = xs.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** The analysis summary a run folder holds, or null when it has none. */
export function readSummary(dir: string): AnalysisSummary | null {
  const file = analysisPaths(dir).summary;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AnalysisSummary) : null;
}

export function studyOf(runs: readonly StudyRun[], o: StudyOptions): StudyResult {
  const gates = [...new Set(runs.map((r) => r.gate))];
  const percents = [...new Set(runs.map((r) => r.percent))].sort((a, b) => a - b);
  const full = runs.filter((r) => r.percent === 100);
  const of = (gate: GateName, list: readonly StudyRun[]) => list.filter((r) => r.gate === gate).sort((a, b) => a.seed - b.seed);

  const accuracy = gates.map((gate) => {
    const rs = of(gate, full);
    return { gate, accuracy: spread(rs.map((r) => r.test_accuracy)), run_ids: rs.map((r) => r.id) };
  });
  const efficiency = gates.map((gate) => ({
    gate,
    points: percents.map((percent) => {
      const rs = of(gate, runs.filter((r) => r.percent === percent));
      return { percent, examples: Math.max(1, Math.round((o.trainExamples * percent) / 100)), accuracy: spread(rs.map((r) => r.test_accuracy)), run_ids: rs.map((r) => r.id) };
    }).filter((p) => p.accuracy.n > 0),
  }));

  const effective_rank: StudyResult['effective_rank'] = [];
  const faithfulness: StudyResult['faithfulness'] = [];
  for (const gate of gates) {
    const summaries = of(gate, full).map((r) => readSummary(r.dir)).filter((s): s is AnalysisSummary => s !== null);
    if (summaries.length === 0) continue;
    effective_rank.push({ gate, rank: spread(summaries.map((s) => s.per_class.reduce((a, c) => a + c.effective_rank, 0) / s.per_class.length)) });
    faithfulness.push({
      gate,
      exact: summaries[0].exact,
      agreement: spread(summaries.map((s) => s.faithfulness.agreement)),
      logit_correlation: spread(summaries.map((s) => s.faithfulness.logit_correlation)),
    });
  }

  let similarity: StudyResult['similarity'] = null;
  const bilinear = new Map(of('bilinear', full).map((r) => [r.seed, r]));
  const pairs = of('sqs', full)
    .filter((r) => bilinear.has(r.seed))
    .map((s) => {
      const b = bilinear.get(s.seed)!;
      const c = compareFeatures(b.dir, s.dir, o.topK);
      return { seed: s.seed, bilinear: b.id, sqs: s.id, by_rank: c.mean.by_rank, by_assignment: c.mean.by_assignment };
    });
  if (pairs.length > 0) {
    const k = Math.min(...pairs.map((p) => p.by_rank.length));
    similarity = {
      pairs,
      by_rank: Array.from({ length: k }, (_, i) => spread(pairs.map((p) => p.by_rank[i]))),
      by_assignment: Array.from({ length: k }, (_, i) => spread(pairs.map((p) => p.by_assignment[i]))),
    };
  }
  return { gates, percents, accuracy, efficiency, effective_rank, faithfulness, similarity };
}
