// The workspace's record of a run's analyses: what `runs show` and the run view report. The
// analysis itself lives in the run's folder (analysis/); the row keeps its headline figures.
import type { Workspace } from './workspace';

export interface AnalysisHeadline {
  gate: string;
  exact: boolean;
  model_accuracy: number;
  surrogate_accuracy: number;
  faithfulness: { agreement: number; logit_correlation: number };
  /** mean over classes */
  effective_rank: number;
  seconds: number;
}

export function recordAnalysis(ws: Workspace, runId: number, headline: AnalysisHeadline): number {
  const r = ws.db
    .prepare(`INSERT INTO analyses (run_id, kind, summary, created_at) VALUES (?, 'spectra', ?, ?)`)
    .run(runId, JSON.stringify(headline), Date.now() / 1000);
  return Number(r.lastInsertRowid);
}
