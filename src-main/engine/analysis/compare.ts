// Do two runs read the same features? Per class, the |cos| between their input-space
// eigenvectors, matched by rank and by the optimal one-to-one assignment. |cos| does not see the
// eigenvectors' signs; they come in the usual gauge all the same, set by each run's test split.
import { loadTestSplit } from '../data/load';
import { loadRun } from '../train/run-reader';
import { runSpectra } from './analyze';
import { AnalysisError } from './interaction';
import { matchFeatures, meanCurve } from './similarity';

export interface FeatureComparison {
  run_a: string;
  run_b: string;
  top_k: number;
  per_class: { class: number; by_rank: number[]; by_assignment: number[]; assignment: number[] }[];
  mean: { by_rank: number[]; by_assignment: number[] };
}

export function compareFeatures(dirA: string, dirB: string, topK: number, layer = 0): FeatureComparison {
  const a = loadRun(dirA);
  const b = loadRun(dirB);
  const da = a.model.dims;
  const db = b.model.dims;
  if (da.dIn !== db.dIn || da.classes !== db.classes) {
    throw new AnalysisError(`runs ${dirA} and ${dirB} do not share an input space and classes (${da.dIn}→${da.classes} vs ${db.dIn}→${db.classes})`);
  }
  const k = Math.min(topK, da.d, db.d);
  const va = runSpectra(a, layer, k, loadTestSplit(a.config.dataset)).inputVectors;
  const vb = runSpectra(b, layer, k, loadTestSplit(b.config.dataset)).inputVectors;
  const ka = Math.min(topK, da.d);
  const kb = Math.min(topK, db.d);
  const perClass = Array.from({ length: da.classes }, (_, c) => {
    const ra = Float64Array.from(va.subarray(c * ka * da.dIn, (c * ka + k) * da.dIn));
    const rb = Float64Array.from(vb.subarray(c * kb * db.dIn, (c * kb + k) * db.dIn));
    const m = matchFeatures(ra, rb, k, da.dIn);
    return { class: c, by_rank: Array.from(m.byRank), by_assignment: Array.from(m.byAssignment), assignment: Array.from(m.assignment) };
  });
  return {
    run_a: dirA,
    run_b: dirB,
    top_k: k,
    per_class: perClass,
    mean: {
      by_rank: Array.from(meanCurve(perClass.map((p) => Float64Array.from(p.by_rank)))),
      by_assignment: Array.from(meanCurve(perClass.map((p) => Float64Array.from(p.by_assignment)))),
    },
  };
}
