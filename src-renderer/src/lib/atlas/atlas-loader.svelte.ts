// A run's atlas as the UI sees it: its analysis status (missing, analysing with a stage and a
// fraction, ready, or unavailable and why), the analysis started from here as soon as the run is
// found never analysed (not again after a failure, or over an analysis that cannot be read: those
// wait for the user), and, once ready, the whole atlas from one `atlas.get` (every class at once,
// so switching class asks nothing more).
// Progress arrives as 'analysis' events; while an analysis runs the status is also polled, so an
// event lost before the event socket opened, or an analysis started elsewhere, still ends here.
import type { Api, ApiEvent, Atlas, AtlasStatus } from '../../../../src-main/common/contract';

/** eigenvectors per sign and class that the atlas view shows */
export const ATLAS_COUNT = 6;
const POLL_MS = 1500;

type AnalysisEvent = Extract<ApiEvent, { type: 'analysis' }>;

export class AtlasLoader {
  status = $state.raw<AtlasStatus | null>(null);
  atlas = $state.raw<Atlas | null>(null);
  error = $state<string | null>(null);
  starting = $state(false);

  #events = 0;
  #poll: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  #autoStarted = false;

  constructor(
    private readonly api: Api,
    readonly id: number,
    readonly count = ATLAS_COUNT,
    /** start the analysis of a run that was never analysed without asking */
    readonly auto = true,
  ) {}

  get state(): AtlasStatus['state'] | null {
    return this.status?.state ?? null;
  }

  /** Subscribes to analysis events and loads the status; returns the unsubscribe. */
  start(): () => void {
    this.#stopped = false;
    const off = this.api.on((e) => {
      if (e.type === 'analysis' && e.runId === this.id) this.apply(e);
    });
    void this.refresh();
    return () => {
      this.#stopped = true;
      if (this.#poll) clearTimeout(this.#poll);
      off();
    };
  }

  async refresh(): Promise<void> {
    const seen = this.#events;
    try {
      const status = await this.api.call('atlas.status', { id: this.id });
      if (seen === this.#events) this.settle(status);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  async analyze(): Promise<void> {
    this.starting = true;
    this.error = null;
    const seen = this.#events;
    try {
      const status = await this.api.call('atlas.analyze', { id: this.id });
      // an event that came in meanwhile is newer than this answer
      if (seen === this.#events) this.settle(status);
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.starting = false;
    }
  }

  apply(e: AnalysisEvent): void {
    this.#events++;
    this.settle({ runId: e.runId, state: e.state, reason: e.error, progress: e.state === 'analyzing' ? { stage: e.stage, fraction: e.fraction } : null });
  }

  private settle(status: AtlasStatus): void {
    this.status = status;
    if (status.state === 'missing' && status.reason) this.error = status.reason;
    if (status.state === 'missing' && !status.reason && this.auto && !this.#autoStarted && !this.#stopped) {
      this.#autoStarted = true;
      void this.analyze();
    }
    if (status.state === 'ready' && !this.atlas) void this.load();
    if (status.state === 'analyzing') this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.#poll || this.#stopped) return;
    this.#poll = setTimeout(() => {
      this.#poll = null;
      if (!this.#stopped && this.state === 'analyzing') void this.refresh();
    }, POLL_MS);
  }

  async load(): Promise<void> {
    try {
      const atlas = await this.api.call('atlas.get', { id: this.id, count: this.count });
      this.atlas = atlas;
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }
}
