// Benchmark of a sweep: the same 8 short runs trained in a fresh workspace through the service,
// one at a time and two at a time, as runs per minute. Runs side by side split the cores
// (jobs/scheduler.ts threadsPerRun), so a higher concurrency should never be slower.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService } from '../api/service';
import { round } from './products';

export interface SweepBenchResult {
  concurrency: number;
  runs: number;
  seconds: number;
  runs_per_min: number;
}

/** 8 runs of the default model on the bundled digits, 5 epochs (20 steps) each: start-up is a real share. */
export const SWEEP_BENCH = { base: { dataset: 'digits', epochs: 5 }, seeds: [0, 1, 2, 3, 4, 5, 6, 7] } as const;

export async function benchSweep(concurrencies: readonly number[], onResult?: (r: SweepBenchResult) => void): Promise<SweepBenchResult[]> {
  const results: SweepBenchResult[] = [];
  for (const concurrency of concurrencies) {
    const dir = mkdtempSync(join(tmpdir(), 'sqs-bench-sweep-'));
    const service = createService({ workspaceDir: dir, concurrency });
    try {
      const t = performance.now();
      await service.call('sweep.start', { base: { ...SWEEP_BENCH.base }, axes: [{ key: 'seed', values: [...SWEEP_BENCH.seeds] }], concurrency });
      await service.idle();
      const seconds = (performance.now() - t) / 1000;
      const { rows } = await service.call('runs.list', {});
      const failed = rows.filter((r) => r.status !== 'completed');
      if (failed.length > 0) throw new Error(`bench sweep: run ${failed[0].id} ended ${failed[0].status}${failed[0].error ? `: ${failed[0].error}` : ''}`);
      const r = { concurrency, runs: SWEEP_BENCH.seeds.length, seconds: round(seconds, 2), runs_per_min: round((60 * SWEEP_BENCH.seeds.length) / seconds, 1) };
      onResult?.(r);
      results.push(r);
    } finally {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}
