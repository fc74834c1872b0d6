// A worker thread that analyses one run (spectra, surrogate, truncation, faithfulness) and writes
// its analysis folder, so that the thread owning the user's window never waits on the arithmetic.
import { parentPort, workerData } from 'node:worker_threads';
import type { EpName } from '../engine/onnx/session';
import { analyzeRun, DEFAULT_ANALYZE, writeAnalysis, type AnalyzeOptions } from '../engine/analysis/analyze';

/** What an analysis may choose beyond the defaults (engine/analysis/analyze.ts DEFAULT_ANALYZE). */
export type AnalysisChoices = Partial<Pick<AnalyzeOptions, 'topK' | 'layer' | 'maskVectors'>>;

export interface AnalysisWorkerInput {
  runDir: string;
  ep: EpName;
  options: AnalysisChoices;
}

export type AnalysisWorkerMessage =
  | { type: 'progress'; stage: string; fraction: number }
  | { type: 'done'; seconds: number }
  | { type: 'error'; message: string };

const { runDir, ep, options } = workerData as AnalysisWorkerInput;
const post = (m: AnalysisWorkerMessage) => parentPort!.postMessage(m);
const defined = (o: AnalysisChoices) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

try {
  const analysis = await analyzeRun(runDir, { ...DEFAULT_ANALYZE, ...defined(options), ep, onProgress: (stage, fraction) => post({ type: 'progress', stage, fraction }) });
  post({ type: 'progress', stage: 'writing', fraction: 0.97 });
  writeAnalysis(runDir, analysis); // both files or neither
  post({ type: 'done', seconds: analysis.summary.seconds });
} catch (e) {
  post({ type: 'error', message: (e as Error).message });
} finally {
  parentPort!.close();
}
