// A run's checkpoints, weights and metric lines written on a thread of their own, so the next
// epoch's steps need not wait for the disk. Durability is as before: the writes happen in the
// order asked, each file complete and fsynced before it replaces the old one, and `then` callbacks
// (telling the workspace a metric is on disk) run only once everything before them is written.
// The first failure is thrown by the next call, or by close().
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../util/app-files';
import { WriteError } from '../util/atomic-file';
import type { WriteOp, WriteReply } from './run-writer-worker';

const WORKER_URL = workerUrl(import.meta.url, 'run-writer-worker');

export class RunWriter {
  private readonly worker = new Worker(WORKER_URL, { execArgv: [] });
  private readonly waiting = new Map<number, () => void>();
  private nextId = 0;
  private last: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor() {
    this.worker.on('message', (m: WriteReply) => {
      if (m.error) this.failure ??= m.error.path !== undefined ? new WriteError(m.error.path, m.error.reason ?? m.error.message, m.error.code) : new Error(m.error.message);
      this.waiting.get(m.id)?.();
      this.waiting.delete(m.id);
    });
    // a thread that dies leaves no write waiting forever
    const stop = (e: Error) => {
      this.failure ??= e;
      for (const resolve of this.waiting.values()) resolve();
      this.waiting.clear();
    };
    this.worker.on('error', stop);
    this.worker.on('exit', () => stop(new Error('the run writer thread stopped')));
  }

  /** Queues writes, then `after` once they and all before them are done (and none failed). */
  write(ops: readonly WriteOp[], after?: () => void): void {
    this.throwIfFailed();
    const done = ops.map((write) => {
      const id = this.nextId++;
      const finished = new Promise<void>((resolve) => this.waiting.set(id, resolve));
      this.worker.postMessage({ id, write });
      return finished;
    });
    // never rejects: a failure is kept and thrown by the next call, not left unhandled
    this.last = Promise.all([this.last, ...done]).then(() => {
      if (this.failure) return;
      try {
        after?.();
      } catch (e) {
        this.failure ??= e as Error;
      }
    });
  }

  /** Waits for every queued write; throws the first failure. */
  async flush(): Promise<void> {
    await this.last;
    this.throwIfFailed();
  }

  /** Flushes, then ends the thread (also after a failure). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.worker.terminate();
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
