// Training batches prepared ahead on their own thread (batch-worker.ts), handed over in order:
// exactly the batches EpochBatches makes one after another, so a run is the same byte for byte
// whichever thread drew its noise. A few buffers circulate: the trainer releases each batch once
// its step is done, and the thread fills it again.
import { Worker } from 'node:worker_threads';
import type { Split } from '../data/dataset';
import { workerUrl } from '../util/app-files';
import type { Batch, BatchPlan } from './batches';
import { BATCH_BUFFERS } from './pipeline-sizes';
import type { BatchWorkerInput, FromBatchWorker, ToBatchWorker } from './batch-worker';

const WORKER_URL = workerUrl(import.meta.url, 'batch-worker');


export class BatchPrefetcher {
  private readonly ready: Batch[] = [];
  private waiting: { resolve: (b: Batch) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    plan: BatchPlan,
  ) {
    worker.on('message', (m: FromBatchWorker) => {
      if (m.type === 'error') return this.fail(new Error(`the batch thread failed: ${m.message}`));
      const batch: Batch = { epoch: m.epoch, k: m.k, rows: m.rows, x: new Float32Array(m.x, 0, m.rows * plan.dIn), onehot: new Float32Array(m.onehot, 0, m.rows * plan.classes) };
      if (this.waiting) {
        this.waiting.resolve(batch);
        this.waiting = null;
      } else this.ready.push(batch);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', () => this.closed || this.fail(new Error('the batch thread stopped early')));
  }

  /** Starts preparing the batches of epochs `fromEpoch` … `toEpoch` of `train`. */
  static start(plan: BatchPlan, train: Pick<Split, 'x' | 'y'>, fromEpoch: number, toEpoch: number): BatchPrefetcher {
    const input: BatchWorkerInput = { plan, x: shared(train.x), y: shared(train.y), fromEpoch, toEpoch };
    const p = new BatchPrefetcher(new Worker(WORKER_URL, { workerData: input, execArgv: [] }), plan);
    for (let i = 0; i < BATCH_BUFFERS; i++) {
      const storage: ToBatchWorker = { x: new ArrayBuffer(plan.batch * plan.dIn * 4), onehot: new ArrayBuffer(plan.batch * plan.classes * 4) };
      p.worker.postMessage(storage, [storage.x, storage.onehot]);
    }
    return p;
  }

  /** The next batch in order. */
  next(): Promise<Batch> {
    if (this.failure) return Promise.reject(this.failure);
    const b = this.ready.shift();
    if (b) return Promise.resolve(b);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** Hands a batch's storage back to be filled again; its arrays are unusable afterwards. */
  release(b: Batch): void {
    if (this.closed || this.failure) return;
    const storage: ToBatchWorker = { x: b.x.buffer as ArrayBuffer, onehot: b.onehot.buffer as ArrayBuffer };
    this.worker.postMessage(storage, [storage.x, storage.onehot]);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.waiting?.reject(this.failure);
    this.waiting = null;
  }
}

// The split, readable from the batch thread without a copy per run (a copy once per split).
const sharedCopies = new WeakMap<object, Float32Array | Uint8Array>();

function shared<T extends Float32Array | Uint8Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  let copy = sharedCopies.get(a) as T | undefined;
  if (!copy) {
    copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
    copy.set(a);
    sharedCopies.set(a, copy);
  }
  return copy;
}
