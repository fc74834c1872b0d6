// Benchmark of a whole training run: the reference configuration trained into a run folder,
// its wall time split by phase, against the same run's steps timed as plain Gemms (the step
// graph's matrix products alone, same shapes, same threads), so that the ratio says how much of
// what a researcher waits for is arithmetic.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetShape } from '../engine/data/load';
import { createSession } from '../engine/onnx/session';
import { DEFAULT_CONFIG, REFERENCE_CONFIG, type TrainConfig } from '../engine/train/config';
import { buildTrainStep } from '../engine/train/graphs';
import { PhaseClock, PHASES, type Phase } from '../engine/train/phases';
import { runTraining } from '../engine/train/run';
import { modelFor } from '../engine/train/trainer';
import { median, productFeeds, round } from './products';
import { gemmOnlyModel } from './train';

export interface E2eResult {
  dataset: string;
  seconds: number;
  gemm_seconds: number;
  /** seconds / gemm_seconds */
  ratio: number;
  steps: number;
  /** wall seconds per phase on the thread driving the steps; `other` is what no phase claims */
  phases: Record<Phase | 'other', number>;
}

export const E2E_DATASETS = ['fashion-mnist', 'digits'] as const;

export function referenceRun(dataset: string): TrainConfig {
  return { ...DEFAULT_CONFIG, ...REFERENCE_CONFIG, dataset };
}

export async function benchE2e(opts: { datasets: readonly string[]; threads?: number; gemmRounds?: number }, onResult?: (r: E2eResult) => void): Promise<E2eResult[]> {
  const results: E2eResult[] = [];
  for (const dataset of opts.datasets) {
    const cfg = referenceRun(dataset);
    const dir = mkdtempSync(join(tmpdir(), 'sqs-bench-e2e-'));
    const clock = new PhaseClock();
    let seconds: number;
    let steps: number;
    try {
      const t = performance.now();
      const run = await runTraining(cfg, join(dir, 'run'), { threads: opts.threads, clock });
      seconds = (performance.now() - t) / 1000;
      steps = run.steps;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const gemmSeconds = await gemmSecondsOf(cfg, opts.threads, opts.gemmRounds ?? 15);
    const phases = { ...clock.seconds(), other: 0 };
    phases.other = seconds - PHASES.reduce((s, p) => s + phases[p], 0);
    const r: E2eResult = {
      dataset,
      seconds: round(seconds, 3),
      gemm_seconds: round(gemmSeconds, 3),
      ratio: round(seconds / gemmSeconds, 3),
      steps,
      phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round(v, 3)])) as E2eResult['phases'],
    };
    onResult?.(r);
    results.push(r);
  }
  return results;
}

/** The run's steps as plain Gemms: median time of each batch size's products times its step count. */
async function gemmSecondsOf(cfg: TrainConfig, threads: number | undefined, rounds: number): Promise<number> {
  const shape = datasetShape(cfg.dataset);
  const { gate, dims, specs } = modelFor(cfg, { inputDim: shape.inputDim, classes: shape.classes });
  const batch = Math.min(cfg.batch, shape.train);
  const full = Math.floor(shape.train / batch);
  const rest = shape.train % batch;
  const sizes: [rows: number, count: number][] = [[batch, full * cfg.epochs]];
  if (rest > 0) sizes.push([rest, cfg.epochs]);
  let total = 0;
  for (const [rows, count] of sizes) {
    const { gemms } = buildTrainStep(gate, dims, specs, rows);
    const session = await createSession(gemmOnlyModel(gemms), { ep: cfg.ep, threads });
    const feeds = productFeeds(gemms);
    const times: number[] = [];
    for (let i = 0; i < rounds + 2; i++) {
      const t = performance.now();
      await session.run(feeds);
      if (i >= 2) times.push(performance.now() - t);
    }
    await session.release();
    total += (median(times) / 1000) * count;
  }
  return total;
}
