// The thread that prepares training batches ahead of the steps (batch-prefetch.ts): ONNX Runtime
// runs a step on the calling thread, so shuffling, copying and noise drawn there would wait for
// it; here they run meanwhile. Batches travel as transferred buffers, which the trainer hands back.
import { platform, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { EpochBatches, type BatchPlan } from './batches';

const BATCH_THREAD_NICE = 10;

export interface BatchWorkerInput {
  plan: BatchPlan;
  /** the training split, in shared memory */
  x: Float32Array;
  y: Uint8Array;
  fromEpoch: number;
  toEpoch: number;
}

/** To the worker: storage to fill (x, onehot pairs). From it: a batch, or why it failed. */
export type ToBatchWorker = { x: ArrayBuffer; onehot: ArrayBuffer };
export type FromBatchWorker = { type: 'batch'; epoch: number; k: number; rows: number; x: ArrayBuffer; onehot: ArrayBuffer } | { type: 'error'; message: string };

// Below the step's threads: where both want a core, a step's thread that is held up holds up
// its parallel region, while a batch that is late only waits a little. On Linux a thread's own
// nice value (pid 0: this thread); elsewhere it may apply to the process, so only there.
if (platform() === 'linux') {
  try {
    setPriority(0, BATCH_THREAD_NICE);
  } catch {
    // not allowed here: the same batches, just at the same priority
  }
}

const input = workerData as BatchWorkerInput;
const port = parentPort!;
const free: ToBatchWorker[] = [];
let epoch = input.fromEpoch;
let batches = epoch <= input.toEpoch ? new EpochBatches(input.plan, input, epoch) : null;

port.on('message', (m: ToBatchWorker) => {
  free.push(m);
  try {
    pump();
  } catch (e) {
    port.postMessage({ type: 'error', message: String((e as Error)?.stack ?? e) } satisfies FromBatchWorker);
  }
});

function pump(): void {
  while (batches && free.length > 0) {
    const storage = free.shift()!;
    const b = batches.next(new Float32Array(storage.x), new Float32Array(storage.onehot));
    const message: FromBatchWorker = { type: 'batch', epoch: b.epoch, k: b.k, rows: b.rows, x: storage.x, onehot: storage.onehot };
    port.postMessage(message, [storage.x, storage.onehot]);
    if (batches.done) batches = ++epoch <= input.toEpoch ? new EpochBatches(input.plan, input, epoch) : null;
  }
}
