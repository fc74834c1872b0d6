// One run of the workspace trained in its own worker thread with its own database connection;
// an abort reaches the worker, which stops at a step boundary.
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../engine/util/app-files';
import type { WorkerInput, WorkerMessage } from './train-worker';

export interface WorkerRunOptions {
  /** intra-op threads for a run that starts here (a resumed run keeps its own) */
  threads?: number;
  signal?: AbortSignal;
  onMessage?: (m: WorkerMessage) => void;
}

export interface WorkerOutcome {
  runId: number;
  status: string;
  testAccuracy: number | null;
  /** why the worker ended without a result */
  error?: string;
}

// train-worker.ts, compiled or through tsx (app-files.ts). Workers get no execArgv: flags of the host
// process (node -e, --eval, inspectors) must not decide whether a worker starts.
const WORKER_URL = workerUrl(import.meta.url, 'train-worker');

export function trainInWorker(workspace: string, runId: number, opts: WorkerRunOptions = {}): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    const input: WorkerInput = { workspace, runId, threads: opts.threads };
    const worker = new Worker(WORKER_URL, { workerData: input, execArgv: [] });
    const abort = () => worker.postMessage('abort');
    if (opts.signal?.aborted) abort();
    opts.signal?.addEventListener('abort', abort);
    let outcome: WorkerOutcome = { runId, status: 'failed', testAccuracy: null, error: 'the worker stopped without a result' };
    worker.on('message', (m: WorkerMessage) => {
      opts.onMessage?.(m);
      if (m.type === 'done') outcome = { runId, status: m.status, testAccuracy: m.testAccuracy };
      if (m.type === 'error') outcome = { runId, status: 'failed', testAccuracy: null, error: m.message };
    });
    worker.on('error', (e) => (outcome = { runId, status: 'failed', testAccuracy: null, error: e.message }));
    worker.on('exit', () => {
      opts.signal?.removeEventListener('abort', abort);
      resolve(outcome);
    });
  });
}
