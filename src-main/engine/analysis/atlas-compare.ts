// Two runs' atlases side by side: per class, run a's top eigenvectors (by |λ|) matched to run b's,
// by rank and by the optimal one-to-one assignment on |cos| (similarity.ts). Both runs' features
// come in the class-mean gauge, but each pair is drawn with b's sign flipped where that makes the
// two images agree: for matching, agreement with a says more than each run's own gauge.
import type { AtlasComparison, AtlasFeature, FeatureMatch } from './atlas-types';
import { AtlasInputError, featureOf, hasAnalysis, outdatedAnalysis, readAnalysisSource, weightsSource, type AtlasSource } from './atlas-source';
import { AnalysisError } from './interaction';
import { matchFeatures, meanCurve } from './similarity';

export interface CompareMeta {
  a?: { runId?: number; name?: string | null };
  b?: { runId?: number; name?: string | null };
}

/**
 * Compares two runs from their weights: a stored analysis is used when there is one of this
 * version (it holds the very spectra the weights give), else the spectra are computed (a second or
 * so per run at d = 256, with the run's test split for the gauge).
 */
export function compareAtlases(dirA: string, dirB: string, count: number, meta: CompareMeta = {}): AtlasComparison {
  const source = (dir: string) => (hasAnalysis(dir) && !outdatedAnalysis(dir) ? readAnalysisSource(dir) : weightsSource(dir));
  return compareSources(source(dirA), source(dirB), count, meta);
}

export function compareSources(a: AtlasSource, b: AtlasSource, count: number, meta: CompareMeta = {}): AtlasComparison {
  if (!Number.isInteger(count) || count < 1) throw new AtlasInputError(`count must be a positive integer, got ${count}`);
  if (a.dIn !== b.dIn || a.C !== b.C) {
    throw new AnalysisError(`the runs do not share an input space and classes (${a.dIn} inputs → ${a.C} classes against ${b.dIn} → ${b.C}); only runs on the same data compare`);
  }
  const k = Math.min(count, a.d, b.d);
  const classes = Array.from({ length: a.C }, (_, c) => {
    const fa = Array.from({ length: k }, (_, i) => featureOf(a, c, i + 1));
    const fb = Array.from({ length: k }, (_, i) => featureOf(b, c, i + 1));
    const m = matchFeatures(stack(fa, a.dIn), stack(fb, b.dIn), k, a.dIn);
    const matches: FeatureMatch[] = fa.map((f, i) => {
      const j = m.assignment[i];
      return { rankA: i + 1, rankB: j + 1, similarity: m.byAssignment[i], a: f, b: alignedTo(f, fb[j]) };
    });
    return { class: c, label: a.labels[c], byRank: Array.from(m.byRank), byAssignment: Array.from(m.byAssignment), matches };
  });
  const side = (s: AtlasSource, m: CompareMeta['a']) => ({ runId: m?.runId ?? 0, name: m?.name ?? null, gate: s.gate });
  return {
    a: side(a, meta.a),
    b: side(b, meta.b),
    count: k,
    imageShape: a.imageShape,
    byRank: Array.from(meanCurve(classes.map((c) => Float64Array.from(c.byRank)))),
    byAssignment: Array.from(meanCurve(classes.map((c) => Float64Array.from(c.byAssignment)))),
    classes,
  };
}

function stack(features: readonly AtlasFeature[], dIn: number): Float64Array {
  const out = new Float64Array(features.length * dIn);
  features.forEach((f, i) => out.set(f.vector, i * dIn));
  return out;
}

/** b, negated when that makes a·b ≥ 0. */
function alignedTo(a: AtlasFeature, b: AtlasFeature): AtlasFeature {
  let dot = 0;
  for (let j = 0; j < a.vector.length; j++) dot += a.vector[j] * b.vector[j];
  return dot >= 0 ? b : { ...b, vector: b.vector.map((x) => -x) };
}
