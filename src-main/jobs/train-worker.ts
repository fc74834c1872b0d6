// A worker thread that trains one run of the workspace: the queue starts one per job so that
// training never blocks the thread that owns the user's window or terminal.
import { parentPort, workerData } from 'node:worker_threads';
import type { LmTrainEvent } from '../engine/train/lm-trainer';
import type { TrainEvent } from '../engine/train/trainer';
import { Workspace } from '../store/workspace';
import { runJob } from './train-job';

export interface WorkerInput {
  workspace: string;
  runId: number;
  threads?: number;
}

export type WorkerMessage =
  | { type: 'event'; runId: number; event: TrainEvent | LmTrainEvent }
  | { type: 'done'; runId: number; status: string; testAccuracy: number | null }
  | { type: 'error'; runId: number; message: string };

const { workspace, runId, threads } = workerData as WorkerInput;
const abort = new AbortController();
parentPort!.on('message', (m) => m === 'abort' && abort.abort());
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

const ws = Workspace.open(workspace);
try {
  const r = await runJob(ws, runId, { threads, signal: abort.signal, onEvent: (event) => post({ type: 'event', runId, event }) });
  post({ type: 'done', runId, status: r.final_status, testAccuracy: 'test_accuracy' in r ? r.test_accuracy : null });
} catch (e) {
  post({ type: 'error', runId, message: (e as Error).message });
} finally {
  ws.close();
  parentPort!.close();
}
