// One run as it trains: its row and stored metrics from the api, merged with the progress,
// metrics and status events that arrive while the view is open. Events that come in while the
// first load is in flight are kept and replayed over it, so no point is lost or doubled.
import { RESUMABLE, type AnyMetricRecord, type Api, type ApiEvent, type MetricPoint, type RunDetail, type RunStatus } from '../../../../src-main/common/contract';
import { isLmConfig } from '../../../../src-main/common/lm-fields';

export interface Progress {
  epoch: number;
  step: number;
  totalSteps: number;
  loss: number | null;
  etaSeconds: number | null;
  /** a language model's: tokens trained on so far, and the rate */
  tokens?: number;
  tokensPerSecond?: number;
}

const ACTIVE: readonly RunStatus[] = ['queued', 'running'];

/** `points` with `p` in step order; a point at the same step is replaced. */
export function insertPoint(points: readonly MetricPoint[], p: MetricPoint): MetricPoint[] {
  const out = points.filter((q) => q.step !== p.step);
  const i = out.findIndex((q) => q.step > p.step);
  out.splice(i < 0 ? out.length : i, 0, p);
  return out;
}

export class LiveRun {
  detail = $state.raw<RunDetail | null>(null);
  /** metric name → points in step order */
  series = $state.raw<Record<string, MetricPoint[]>>({});
  progress = $state.raw<Progress | null>(null);
  status = $state<RunStatus | null>(null);
  error = $state<string | null>(null);
  cancelling = $state(false);
  resuming = $state(false);

  #pending: ApiEvent[] | null = null;

  constructor(
    private readonly api: Api,
    readonly id: number,
  ) {}

  get active(): boolean {
    return this.status !== null && ACTIVE.includes(this.status);
  }

  /** stopped before its end (interrupted, cancelled, failed): it can go on from its last checkpoint */
  get resumable(): boolean {
    return this.status !== null && !ACTIVE.includes(this.status) && RESUMABLE.includes(this.status);
  }

  /** a language model's run (its config says family 'lm') */
  get isLm(): boolean {
    return this.detail !== null && isLmConfig(this.detail.run.config);
  }

  /** a metric as of the newest evaluation, live while training (a final one from the row when no series is loaded) */
  latest(name: string): { value: number; epoch: number } | null {
    const last = (this.series[name] ?? []).findLast((p) => p.value !== null);
    if (last && last.value !== null) return { value: last.value, epoch: last.epoch };
    const run = this.detail?.run;
    const value = name === 'test_loss' || name === 'train_loss' || name === 'test_accuracy' ? run?.[name] : null;
    return run && value !== null && value !== undefined ? { value, epoch: run.epochs_done } : null;
  }

  get latestAccuracy(): { value: number; epoch: number } | null {
    return this.latest('test_accuracy');
  }

  /** how long the training took, once it completed: the run's own clock (summed over resumes) */
  get trainedSeconds(): number | null {
    if (this.status !== 'completed') return null;
    const result = this.detail?.result?.seconds;
    if (typeof result === 'number') return result;
    const run = this.detail?.run;
    return run?.started_at && run.ended_at ? run.ended_at - run.started_at : null;
  }

  /** steps and epochs done: the progress events' while it trains, the row's (read again when it ended) after */
  get step(): number {
    return (this.active ? this.progress?.step : undefined) ?? this.detail?.run.steps_done ?? 0;
  }

  get epoch(): number {
    return (this.active ? this.progress?.epoch : undefined) ?? this.detail?.run.epochs_done ?? 0;
  }

  /** 0..1: steps done of all steps; a completed run is whole */
  get fraction(): number {
    if (this.status === 'completed') return 1;
    const p = this.progress;
    if (p && p.totalSteps > 0) return Math.min(1, this.step / p.totalSteps);
    const run = this.detail?.run;
    if (!run) return 0;
    // a language model counts steps, a classifier epochs
    const [done, all] = isLmConfig(run.config) ? [run.steps_done, run.config.steps] : [run.epochs_done, run.config.epochs];
    return all > 0 ? Math.min(1, done / all) : 0;
  }

  /** Subscribes, loads, and replays what arrived meanwhile; returns the unsubscribe. */
  start(): () => void {
    this.#pending = [];
    const off = this.api.on((e) => (this.#pending ? this.#pending.push(e) : this.apply(e)));
    void this.load().finally(() => {
      const queued = this.#pending ?? [];
      this.#pending = null;
      queued.forEach((e) => this.apply(e));
    });
    return off;
  }

  async load(): Promise<void> {
    try {
      const [detail, series] = await Promise.all([this.api.call('runs.show', { id: this.id }), this.api.call('runs.metrics', { ids: [this.id] })]);
      this.detail = detail;
      this.status = detail.run.status;
      this.series = series[this.id] ?? {};
      if (detail.run.error) this.error = detail.run.error;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  apply(e: ApiEvent): void {
    if (e.runId !== this.id) return;
    if (e.type === 'progress') {
      this.progress = { epoch: e.epoch, step: e.step, totalSteps: e.totalSteps, loss: e.loss, etaSeconds: e.etaSeconds, tokens: e.tokens, tokensPerSecond: e.tokensPerSecond };
    } else if (e.type === 'metrics') {
      this.mergeRecord(e.record);
    } else if (e.type === 'status') {
      this.status = e.status;
      this.error = e.error;
      // the row's final numbers and times change when a run ends
      if (!ACTIVE.includes(e.status)) void this.refreshDetail();
    }
  }

  /** Each number a record carries, besides where it was taken, as the workspace stores it (a non-finite one as null). */
  mergeRecord(r: AnyMetricRecord): void {
    const next = { ...this.series };
    for (const [name, v] of Object.entries(r)) {
      if (name === 'step' || name === 'epoch' || typeof v !== 'number') continue;
      next[name] = insertPoint(next[name] ?? [], { step: r.step, epoch: r.epoch, value: Number.isFinite(v) ? v : null });
    }
    this.series = next;
  }

  async cancel(): Promise<void> {
    this.cancelling = true;
    try {
      const out = await this.api.call('runs.cancel', { id: this.id });
      if (out.status === 'cancelled') this.status = 'cancelled';
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.cancelling = false;
    }
  }

  async resume(): Promise<void> {
    this.resuming = true;
    try {
      const out = await this.api.call('runs.resume', { id: this.id });
      this.status = out.status;
      this.error = null;
      this.progress = null;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.resuming = false;
    }
  }

  /** Writes a note, then shows it among the run's notes. */
  async addNote(body: string): Promise<void> {
    try {
      await this.api.call('runs.note', { id: this.id, body });
      await this.refreshDetail();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private async refreshDetail(): Promise<void> {
    try {
      this.detail = await this.api.call('runs.show', { id: this.id });
    } catch {
      // the status event already told what matters
    }
  }
}
