// One training run from a validated config to a complete run folder. Everything that can be
// checked is checked before the folder exists (data, execution provider, output path), so bad
// input never leaves a half-written run behind.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDataset } from '../data/load';
import { availableExecutionProviders, ExecutionProviderError } from '../onnx/session';
import type { TrainConfig } from './config';
import { appendMetric, weightsMetadata, writeConfig, writeOnnxModel, writeSummary, writeWeights, type RunSummary } from './run-files';
import { modelFor, train, type TrainEvent, type TrainOutcome } from './trainer';

export interface RunResult {
  run_dir: string;
  status: TrainOutcome['status'];
  test_accuracy: number | null;
  test_loss: number | null;
  train_loss: number | null;
  epochs: number;
  steps: number;
  seconds: number;
  execution_provider: string;
  diverged_at_step?: number;
}

export class RunDirError extends Error {}

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  threads?: number;
}

export async function runTraining(cfg: TrainConfig, outDir: string, opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const data = loadDataset(cfg.dataset);
  if (cfg.ep !== 'cpu') {
    const available = await availableExecutionProviders();
    if (!available.includes(cfg.ep)) {
      throw new ExecutionProviderError(`execution provider '${cfg.ep}' is not available here; available: ${available.join(', ')}`);
    }
  }
  const dir = resolve(outDir);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new RunDirError(`run folder ${dir} already exists and is not empty`);
  mkdirSync(dir, { recursive: true });

  const model = modelFor(cfg, data);
  const meta = weightsMetadata(model, cfg, data);
  const summary = (status: RunSummary['status'], o?: TrainOutcome): RunSummary => {
    const last = o?.metrics.at(-1);
    return {
      status,
      epochs_completed: o?.metrics.length ?? 0,
      steps: o?.steps ?? 0,
      seconds: (performance.now() - started) / 1000,
      execution_provider: cfg.ep,
      train_loss: last?.train_loss ?? null,
      test_loss: last?.test_loss ?? null,
      test_accuracy: last?.test_accuracy ?? null,
      ...(o?.divergedAtStep !== undefined ? { diverged_at_step: o.divergedAtStep } : {}),
    };
  };

  let epochsDone = 0;
  try {
    writeConfig(dir, cfg, data);
    writeSummary(dir, summary('running'));
    const outcome = await train(cfg, data, {
      signal: opts.signal,
      onEvent: opts.onEvent,
      threads: opts.threads,
      onEpochEnd: (state, record) => {
        appendMetric(dir, record);
        writeWeights(dir, model, state.params, meta);
        epochsDone++;
      },
    });
    writeWeights(dir, model, outcome.state.params, meta);
    writeOnnxModel(dir, model, outcome.state.params, meta);
    const s = summary(outcome.status, outcome);
    writeSummary(dir, s);
    return {
      run_dir: dir,
      status: outcome.status,
      test_accuracy: s.test_accuracy,
      test_loss: s.test_loss,
      train_loss: s.train_loss,
      epochs: s.epochs_completed,
      steps: s.steps,
      seconds: s.seconds,
      execution_provider: cfg.ep,
      ...(s.diverged_at_step !== undefined ? { diverged_at_step: s.diverged_at_step } : {}),
    };
  } catch (err) {
    // nothing worth keeping yet: leave no half-made run behind
    if (epochsDone === 0) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** runs/<date>-<time>-<gate>-s<seed>, relative to the working folder. */
export function defaultRunDir(cfg: TrainConfig, now = new Date()): string {
  return `runs/${runStamp(now)}-${cfg.gate}-s${cfg.seed}`;
}

/** YYYYMMDD-HHMMSS in UTC: sorts by time and is safe in any file name. */
export function runStamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
