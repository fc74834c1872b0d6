// Runs queued runs in the background for the service: at most `concurrency()` at once over all
// starts, and at most a group's own cap within a group (a sweep's --concurrency). Each run trains
// in its own worker thread (train-thread.ts), whose messages become the contract's progress, metrics and
// status events.
import { defaultThreads } from '../engine/onnx/session';
import { trainInWorker } from './train-thread';
import type { LmTrainEvent } from '../engine/train/lm-trainer';
import type { TrainEvent } from '../engine/train/trainer';
import { reportTraining } from './train-events';
import type { WorkerMessage } from './train-worker';
import type { ApiEvent, RunStatus } from '../common/contract';

/**
 * Runs that train side by side split the cores between them rather than each asking ONNX Runtime
 * for all of them (which oversubscribes the machine): `cores / concurrency` threads each, at least one.
 */
export function threadsPerRun(cores: number, concurrency: number): number {
  return Math.max(1, Math.floor(cores / Math.max(1, concurrency)));
}

interface Job {
  runId: number;
  group: string;
  cap: number;
}

interface Live {
  job: Job;
  abort: AbortController;
  report: (e: TrainEvent | LmTrainEvent) => void;
}

export interface SchedulerOptions {
  workspaceDir: () => string;
  concurrency: () => number;
  emit: (e: ApiEvent) => void;
  /**
   * The run's status once its worker has exited (null if the run was deleted); `crash` says why
   * the worker ended without a result, so that a run it left queued or running can be marked failed.
   */
  settle: (runId: number, crash: string | null) => { status: RunStatus; error: string | null } | null;
}

export class Scheduler {
  private pending: Job[] = [];
  private running = new Map<number, Live>();
  private inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly opts: SchedulerOptions) {}

  enqueue(runIds: readonly number[], group: string, cap: number): void {
    for (const runId of runIds) this.pending.push({ runId, group, cap: Math.max(1, cap) });
    this.pump();
  }

  state(runId: number): 'pending' | 'running' | null {
    if (this.running.has(runId)) return 'running';
    return this.pending.some((j) => j.runId === runId) ? 'pending' : null;
  }

  /** Drops a run that has not started; false when it was not waiting here. */
  dequeue(runId: number): boolean {
    const before = this.pending.length;
    this.pending = this.pending.filter((j) => j.runId !== runId);
    return this.pending.length < before;
  }

  /** Runs waiting here to start, oldest first. */
  pendingRunIds(): number[] {
    return this.pending.map((j) => j.runId);
  }

  busy(): boolean {
    return this.pending.length > 0 || this.running.size > 0;
  }

  /** Resolves once nothing is queued or training (tests, and hosts that want to drain). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Starts whatever the limits allow, oldest first. */
  pump(): void {
    if (this.stopped) return;
    while (this.running.size < this.opts.concurrency()) {
      const i = this.pending.findIndex((j) => this.runningIn(j.group) < j.cap);
      if (i < 0) return;
      const [job] = this.pending.splice(i, 1);
      this.start(job);
    }
  }

  /** Stops every worker at its next step boundary (their runs end interrupted and can be resumed). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending = [];
    for (const live of this.running.values()) live.abort.abort();
    await this.idle();
  }

  private runningIn(group: string): number {
    let n = 0;
    for (const live of this.running.values()) if (live.job.group === group) n++;
    return n;
  }

  private start(job: Job): void {
    const live: Live = { job, abort: new AbortController(), report: reportTraining(job.runId, this.opts.emit) };
    this.running.set(job.runId, live);
    const threads = threadsPerRun(defaultThreads(), Math.min(this.opts.concurrency(), job.cap));
    const done = trainInWorker(this.opts.workspaceDir(), job.runId, { threads, signal: live.abort.signal, onMessage: (m) => this.onMessage(live, m) })
      .then(
        (outcome) => outcome.error ?? null,
        (e: Error) => `the worker could not start: ${e.message}`,
      )
      .then((crash) => {
        // no longer ours before anyone hears it ended (a listener may delete or resume it at once)
        this.running.delete(job.runId);
        const final = this.opts.settle(job.runId, crash);
        if (final) this.opts.emit({ type: 'status', runId: job.runId, ...final });
      })
      .finally(() => {
        this.running.delete(job.runId);
        this.inFlight.delete(done);
        this.pump();
      });
    this.inFlight.add(done);
  }

  private onMessage(live: Live, m: WorkerMessage): void {
    if (m.type === 'event') live.report(m.event); // done/error: the final status is read from the workspace on exit
  }
}
