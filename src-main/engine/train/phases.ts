// Where a run's wall time goes, phase by phase, as seen from the thread that drives the steps:
// what `bench e2e` reports, so that time spent outside the arithmetic has a name.

export const PHASES = ['startup', 'data', 'steps', 'evaluation', 'writes'] as const;
export type Phase = (typeof PHASES)[number];

export class PhaseClock {
  readonly ms: Record<Phase, number> = { startup: 0, data: 0, steps: 0, evaluation: 0, writes: 0 };

  /** Adds the time since `since` (a performance.now()) to `phase` and returns now. */
  lap(phase: Phase, since: number): number {
    const now = performance.now();
    this.ms[phase] += now - since;
    return now;
  }

  async time<T>(phase: Phase, work: () => Promise<T> | T): Promise<T> {
    const t = performance.now();
    try {
      return await work();
    } finally {
      this.lap(phase, t);
    }
  }

  seconds(): Record<Phase, number> {
    return Object.fromEntries(PHASES.map((p) => [p, this.ms[p] / 1000])) as Record<Phase, number>;
  }
}
