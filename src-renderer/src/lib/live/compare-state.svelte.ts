// Several runs side by side: their rows, metric series, and the config keys that differ,
// kept current while any of them still trains.
import type { Api, MetricSeries, RunDetail, RunDiff } from '../../../../src-main/common/contract';

type Leaf = RunDiff['config'][number]['a'];

/** One config key that differs among the runs, with each run's value in the order of `ids`. */
export interface DiffRow {
  key: string;
  values: Leaf[];
}

/**
 * The keys that differ among the runs, from the diffs of the first run against each other
 * one: a key absent from a diff holds the first run's value in that run.
 */
export function diffRows(ids: readonly number[], diffs: readonly RunDiff[]): DiffRow[] {
  const first = new Map<string, Leaf>();
  for (const d of diffs) for (const c of d.config) first.set(c.key, c.a);
  return [...first.keys()].sort().map((key) => ({
    key,
    // a key one run lacks (a classifier's d beside a language model) differs with null there
    values: ids.map((id, i) => {
      const own = i === 0 ? undefined : diffs[i - 1]?.config.find((c) => c.key === key);
      return own ? own.b : first.get(key)!;
    }),
  }));
}

export class CompareState {
  details = $state.raw<RunDetail[]>([]);
  series = $state.raw<MetricSeries>({});
  diff = $state.raw<DiffRow[]>([]);
  error = $state<string | null>(null);

  constructor(
    private readonly api: Api,
    readonly ids: readonly number[],
  ) {}

  start(): () => void {
    void this.load();
    let timer: ReturnType<typeof setTimeout> | null = null;
    return this.api.on((e) => {
      if ((e.type !== 'metrics' && e.type !== 'status') || !this.ids.includes(e.runId) || timer) return;
      // metrics arrive in bursts: reload once per burst
      timer = setTimeout(() => ((timer = null), void this.load()), 250);
    });
  }

  async load(): Promise<void> {
    if (this.ids.length === 0) {
      this.error = 'No runs to compare: open #/compare?ids=1,2';
      return;
    }
    try {
      const [details, series, diffs] = await Promise.all([
        Promise.all(this.ids.map((id) => this.api.call('runs.show', { id }))),
        this.api.call('runs.metrics', { ids: [...this.ids] }),
        Promise.all(this.ids.slice(1).map((b) => this.api.call('runs.diff', { a: this.ids[0], b }))),
      ]);
      this.details = details;
      this.series = series;
      this.diff = diffRows(this.ids, diffs);
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }
}
