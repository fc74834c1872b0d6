// One analysis in its own worker thread: progress arrives as it moves on, the promise settles when
// the analysis folder is written (resolves) or the analysis failed or was stopped (rejects).
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../engine/util/app-files';
import type { EpName } from '../engine/onnx/session';
import type { AnalysisChoices, AnalysisWorkerInput, AnalysisWorkerMessage } from './analysis-worker';

export type { AnalysisChoices };

// Like the training workers: analysis-worker.ts compiled or through tsx, no flags of the host process.
const WORKER_URL = workerUrl(import.meta.url, 'analysis-worker');

export interface AnalysisJobOptions {
  ep: EpName;
  options?: AnalysisChoices;
  onProgress?: (stage: string, fraction: number) => void;
  /** stops the worker at once; nothing is left half-written (the analysis folder appears whole or not at all) */
  signal?: AbortSignal;
}

export function analyzeInWorker(runDir: string, opts: AnalysisJobOptions): Promise<{ seconds: number }> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new Error('the analysis was stopped'));
    const input: AnalysisWorkerInput = { runDir, ep: opts.ep, options: opts.options ?? {} };
    const worker = new Worker(WORKER_URL, { workerData: input, execArgv: [] });
    let result: { seconds: number } | null = null;
    let failure = 'the analysis worker stopped without a result';
    const stop = () => {
      failure = 'the analysis was stopped';
      void worker.terminate();
    };
    opts.signal?.addEventListener('abort', stop);
    worker.on('message', (m: AnalysisWorkerMessage) => {
      if (m.type === 'progress') opts.onProgress?.(m.stage, m.fraction);
      else if (m.type === 'done') result = { seconds: m.seconds };
      else failure = m.message;
    });
    worker.on('error', (e) => (failure = e.message));
    worker.on('exit', () => {
      opts.signal?.removeEventListener('abort', stop);
      if (result) resolve(result);
      else reject(new Error(failure));
    });
  });
}
