// The job queue: runs queued jobs N at a time, each in its own worker thread with its own
// database connection; SIGINT or cancel reaches the workers, which stop at a step boundary.
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../engine/util/app-files';
import type { WorkerInput, WorkerMessage } from './worker';

export interface QueueOptions {
  concurrency: number;
  signal?: AbortSignal;
  onMessage?: (m: WorkerMessage) => void;
}

export interface QueueOutcome {
  runId: number;
  status: string;
  testAccuracy: number | null;
  error?: string;
}

// worker.ts, compiled or through tsx (app-files.ts). Workers get no execArgv: flags of the host
// process (node -e, --eval, inspectors) must not decide whether a worker starts.
const WORKER_URL = workerUrl(import.meta.url, 'worker');

export async function runQueue(workspace: string, runIds: readonly number[], opts: QueueOptions): Promise<QueueOutcome[]> {
  const pending = [...runIds];
  const outcomes: QueueOutcome[] = [];
  const live = new Set<Worker>();
  const abortAll = () => live.forEach((w) => w.postMessage('abort'));
  opts.signal?.addEventListener('abort', abortAll);

  const runOne = (runId: number) =>
    new Promise<void>((resolve) => {
      const input: WorkerInput = { workspace, runId };
      const worker = new Worker(WORKER_URL, { workerData: input, execArgv: [] });
      live.add(worker);
      let outcome: QueueOutcome = { runId, status: 'failed', testAccuracy: null, error: 'the worker stopped without a result' };
      worker.on('message', (m: WorkerMessage) => {
        opts.onMessage?.(m);
        if (m.type === 'done') outcome = { runId, status: m.status, testAccuracy: m.testAccuracy };
        if (m.type === 'error') outcome = { runId, status: 'failed', testAccuracy: null, error: m.message };
      });
      worker.on('error', (e) => (outcome = { runId, status: 'failed', testAccuracy: null, error: e.message }));
      worker.on('exit', () => {
        live.delete(worker);
        outcomes.push(outcome);
        resolve();
      });
    });

  const lanes = Array.from({ length: Math.max(1, Math.min(opts.concurrency, pending.length)) }, async () => {
    for (let id = pending.shift(); id !== undefined; id = pending.shift()) {
      if (opts.signal?.aborted) break;
      await runOne(id);
    }
  });
  await Promise.all(lanes);
  opts.signal?.removeEventListener('abort', abortAll);
  return outcomes.sort((a, b) => a.runId - b.runId);
}
