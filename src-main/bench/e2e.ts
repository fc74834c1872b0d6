// Benchmark of a whole training run: a reference configuration trained into a run folder,
// its wall time split by phase, against the same run's steps timed as plain Gemms (the step
// graph's matrix products alone, same shapes, same threads), so that the ratio says how much of
// what a researcher waits for is arithmetic.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetShape } from '../engine/data/load';
import type * as ort from 'onnxruntime-node';
import { createSession, type EpName } from '../engine/onnx/session';
import { DEFAULT_LM_CONFIG, isLmConfig, type LmConfig, type RunConfig } from '../engine/train/lm-config';
import { prepareText } from '../engine/train/lm-data';
import { buildLmTrainStep } from '../engine/train/lm-graphs';
import { lmModelFor } from '../engine/train/lm-trainer';
import { DEFAULT_CONFIG, REFERENCE_CONFIG, type TrainConfig } from '../engine/train/config';
import { buildTrainStep } from '../engine/train/graphs';
import { PhaseClock, PHASES, type Phase } from '../engine/train/phases';
import { runTraining } from '../engine/train/run';
import { modelFor } from '../engine/train/trainer';
import { median, productFeeds, round } from './products';
import { productsOnlyModel } from './lm';
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

/** The classifier's reference runs, and `stories`: the default language model on the synthetic stories. */
export const E2E_DATASETS = ['fashion-mnist', 'digits', 'stories'] as const;

export function referenceRun(dataset: string): TrainConfig {
  return { ...DEFAULT_CONFIG, ...REFERENCE_CONFIG, dataset };
}

/** The default language model, 300 steps with an evaluation (and a sample) every 100. */
export const REFERENCE_LM_RUN: LmConfig = { ...DEFAULT_LM_CONFIG, steps: 300, eval_every: 100 };

export async function benchE2e(opts: { datasets: readonly string[]; threads?: number; gemmRounds?: number }, onResult?: (r: E2eResult) => void): Promise<E2eResult[]> {
  const results: E2eResult[] = [];
  for (const dataset of opts.datasets) {
    const cfg: RunConfig = dataset === 'stories' ? REFERENCE_LM_RUN : referenceRun(dataset);
    const dir = mkdtempSync(join(tmpdir(), 'sqs-bench-e2e-'));
    const clock = new PhaseClock();
    // the plain products are timed before the run and after it, and the two averaged: a shared
    // machine's load drifts over a run, and so the ratio compares like with like
    const rounds = opts.gemmRounds ?? 15;
    const timeProducts = () => (isLmConfig(cfg) ? lmProductSecondsOf(cfg, opts.threads, rounds) : gemmSecondsOf(cfg, opts.threads, rounds));
    const before = await timeProducts();
    let seconds: number;
    let steps: number;
    try {
      // a language model's tokenizer and token ids are cached once per corpus: warm that cache
      // first, as any run after a corpus's first finds it
      if (isLmConfig(cfg)) await prepareText(cfg, join(dir, 'cache'));
      const t = performance.now();
      const run = await runTraining(cfg, join(dir, 'run'), { threads: opts.threads, clock, cacheDir: join(dir, 'cache') });
      seconds = (performance.now() - t) / 1000;
      steps = run.steps;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const gemmSeconds = (before + (await timeProducts())) / 2;
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
    total += (await medianSeconds(gemmOnlyModel(gemms), productFeeds(gemms), cfg.ep, threads, rounds)) * count;
  }
  return total;
}

/** A language model's steps as their plain products (Gemm and batched MatMul). */
async function lmProductSecondsOf(cfg: LmConfig, threads: number | undefined, rounds: number): Promise<number> {
  const { gate, dims, specs } = lmModelFor(cfg);
  const { products } = buildLmTrainStep(gate, dims, specs, cfg.batch);
  return (await medianSeconds(productsOnlyModel(products), productFeeds(products), cfg.ep, threads, rounds)) * cfg.steps;
}

async function medianSeconds(model: Uint8Array, feeds: Record<string, ort.Tensor>, ep: EpName, threads: number | undefined, rounds: number): Promise<number> {
  const session = await createSession(model, { ep, threads });
  const times: number[] = [];
  for (let i = 0; i < rounds + 2; i++) {
    const t = performance.now();
    await session.run(feeds);
    if (i >= 2) times.push(performance.now() - t);
  }
  await session.release();
  return median(times) / 1000;
}
