// One training run from a validated config to a complete run folder. Everything that can be
// checked is checked before the folder exists (data, execution provider, output path), so bad
// input never leaves a half-written run behind.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Dataset } from '../data/dataset';
import { datasetShape, loadDataset } from '../data/load';
import { trainingSubset } from '../data/subset';
import { availableExecutionProviders, ExecutionProviderError } from '../onnx/session';
import { parseJsonText } from '../util/json-text';
import { readRegularFile, UnreadableFileError } from '../util/regular-file';
import { MAX_CONFIG_BYTES } from './run-reader';
import { DEFAULT_CONFIG, LATER_DEFAULTS, type TrainConfig } from './config';
import { checkMemory } from './memory';
import { checkpointBytes, readCheckpoint, runThreads, readMetrics, rewriteMetrics, RUN_FILES, weightsBytes, weightsMetadata, writeConfig, writeOnnxModel, writeSummary, writeWeights, type RunSummary } from './run-files';
import { summaryBase } from './run-summary';
import { RunWriter } from './run-writer';
import type { WriteOp } from './run-writer-worker';
import { stepsPerEpoch } from './schedule';
import { DEFAULT_LM_CONFIG, isLmConfig, type RunConfig } from './lm-config';
import { prepareLmFolder, resumeLmTraining, runLmTraining, type LmRunResult } from './lm-run';
import type { LmTrainEvent } from './lm-trainer';
import type { AnyMetricRecord } from './metric-record';
import { defaultCacheDir } from '../util/app-files';
import type { PhaseClock } from './phases';
import { modelFor, train, type MetricRecord, type TrainEvent, type TrainOptions, type TrainOutcome } from './trainer';

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
  dataset_sha256: string;
}

export class RunDirError extends Error {
  override name = 'RunDirError';
}

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent | LmTrainEvent) => void;
  /** after each evaluation has been written to the run folder */
  onEpochEnd?: (record: AnyMetricRecord) => void;
  /** intra-op threads for a new run (default: all cores); a resumed run keeps those it started with */
  threads?: number;
  /** where a language model's tokenised corpus and trained tokenizer are cached; default defaultCacheDir() */
  cacheDir?: string;
  /** where the wall time goes (benchmarks) */
  clock?: PhaseClock;
}

/** A run of either family, as it ended. */
export type AnyRunResult = RunResult | LmRunResult;

/** Trains a run of any family into `outDir`. */
export function runTraining(cfg: TrainConfig, outDir: string, opts?: RunOptions): Promise<RunResult>;
export function runTraining(cfg: RunConfig, outDir: string, opts?: RunOptions): Promise<AnyRunResult>;
export async function runTraining(cfg: RunConfig, outDir: string, opts: RunOptions = {}): Promise<AnyRunResult> {
  if (isLmConfig(cfg)) return runLmTraining(cfg, outDir, { ...opts, cacheDir: opts.cacheDir ?? defaultCacheDir() });
  return runClassifier(cfg, outDir, opts);
}

async function runClassifier(cfg: TrainConfig, outDir: string, opts: RunOptions): Promise<RunResult> {
  const t0 = performance.now();
  checkMemory(cfg, datasetShape(cfg.dataset));
  const data = trainingData(cfg);
  opts.clock?.lap('data', t0);
  const t1 = performance.now();
  await checkExecutionProvider(cfg);
  const dir = prepareClassifierFolder(cfg, data, outDir);
  opts.clock?.lap('startup', t1);
  return execute(cfg, data, dir, null, opts, true);
}

/**
 * Writes a new run folder's config (and a language model's tokenizer) without training it:
 * resumeTraining then trains it from its start exactly as runTraining would. For runs trained on
 * another machine (a cluster's compute node), whose execution provider is checked there.
 */
export async function prepareRunFolder(cfg: RunConfig, outDir: string, opts: { cacheDir?: string } = {}): Promise<string> {
  if (isLmConfig(cfg)) return (await prepareLmFolder(cfg, outDir, opts.cacheDir ?? defaultCacheDir())).dir;
  checkMemory(cfg, datasetShape(cfg.dataset));
  return prepareClassifierFolder(cfg, trainingData(cfg), outDir);
}

/** The data a classifier trains on: its dataset, cut to the config's nested subset (the test split whole). */
export function trainingData(cfg: TrainConfig): Dataset {
  return trainingSubset(loadDataset(cfg.dataset), cfg.train_percent, cfg.subset_budget);
}

function prepareClassifierFolder(cfg: TrainConfig, data: Dataset, outDir: string): string {
  const dir = resolve(outDir);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new RunDirError(`run folder ${dir} already exists and is not empty`);
  mkdirSync(dir, { recursive: true });
  try {
    writeConfig(dir, cfg, data);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

/**
 * Continues a run folder from its last checkpoint (the end of its last finished epoch). The result
 * is byte-identical to an uninterrupted run: every random stream is per epoch and the checkpoint
 * holds the parameters and AdamW moments exactly. Without a checkpoint it starts over.
 */
export async function resumeTraining(runDir: string, check: ConfigCheck, opts: RunOptions = {}): Promise<AnyRunResult> {
  const dir = resolve(runDir);
  const cfg = readRunConfig(dir, check);
  if (isLmConfig(cfg)) {
    await checkExecutionProvider(cfg);
    return resumeLmTraining(dir, cfg, { ...opts, cacheDir: opts.cacheDir ?? defaultCacheDir() });
  }
  const data = trainingData(cfg);
  const recorded = JSON.parse(readFileSync(join(dir, RUN_FILES.config), 'utf8')).dataset_sha256;
  if (recorded && recorded !== data.sha256) {
    throw new RunDirError(`dataset '${cfg.dataset}' has changed since run ${dir} started (sha256 ${data.sha256.slice(0, 12)}… instead of ${String(recorded).slice(0, 12)}…); it cannot be resumed exactly`);
  }
  await checkExecutionProvider(cfg);
  const model = modelFor(cfg, data);
  const checkpoint = readCheckpoint(dir, model);
  const metrics = checkpoint ? readMetrics(dir, checkpoint.state.step) : [];
  rewriteMetrics(dir, metrics);
  return execute(cfg, data, dir, checkpoint ? { ...checkpoint, metrics } : null, opts, false);
}

/**
 * How a stored config is checked: the config schema's verdict (common/train-config.ts
 * checkTrainConfig, which engine/ cannot import), naming each bad field.
 */
export type ConfigCheck = (raw: unknown) => { ok: true; value: RunConfig } | { ok: false; error: string };

/**
 * The training config stored in a run folder, checked field by field: whatever the file holds
 * (null, a gate without its parameters, a number for a dataset) is refused in one line naming the
 * file and the field. Keys beside the config's own (the dataset's hash, sizes) are not its concern.
 */
export function readRunConfig(dir: string, check: ConfigCheck): RunConfig {
  const path = join(dir, RUN_FILES.config);
  if (!existsSync(path)) throw new RunDirError(`${path}: missing (is ${dir} a run folder?)`);
  let text: string;
  try {
    // a regular file of a config's size only: a FIFO or a device must not block the reader
    text = readRegularFile(path, MAX_CONFIG_BYTES, "a run's config.json").toString('utf8');
  } catch (e) {
    throw e instanceof UnreadableFileError ? new RunDirError(e.message) : e;
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new RunDirError(`${path}: ${parsed.problem}`);
  const raw = parsed.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RunDirError(`${path}: must hold a JSON object (the run's config), not ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`);
  const stored = raw as Record<string, unknown>;
  const lm = isLmConfig(stored);
  const keys = Object.keys(lm ? DEFAULT_LM_CONFIG : DEFAULT_CONFIG);
  const cfg = { ...(lm ? {} : LATER_DEFAULTS), ...Object.fromEntries(keys.filter((k) => k in stored).map((k) => [k, stored[k]])) };
  const verdict = check(cfg);
  if (!verdict.ok) throw new RunDirError(`${path}: ${verdict.error}`);
  return verdict.value;
}

async function checkExecutionProvider(cfg: RunConfig): Promise<void> {
  if (cfg.ep === 'cpu') return;
  const available = await availableExecutionProviders();
  if (!available.includes(cfg.ep)) {
    throw new ExecutionProviderError(`execution provider '${cfg.ep}' is not available here; available: ${available.join(', ')}`);
  }
}

/** `fresh`: the folder was made for this call, so a failure before the first epoch removes it. */
async function execute(cfg: TrainConfig, data: Dataset, dir: string, resume: TrainOptions['resume'] | null, opts: RunOptions, fresh: boolean): Promise<RunResult> {
  const started = performance.now();
  const model = modelFor(cfg, data);
  const meta = weightsMetadata(model, cfg, data);
  const threads = runThreads(dir, opts.threads);
  const summary = (status: RunSummary['status'], o?: TrainOutcome): RunSummary => {
    const last = o?.metrics.at(-1);
    const seconds = (performance.now() - started) / 1000 + (resume?.metrics.at(-1)?.seconds ?? 0);
    return {
      ...summaryBase(status, o, seconds, cfg.ep, threads),
      train_loss: last?.train_loss ?? null,
      test_loss: last?.test_loss ?? null,
      test_accuracy: last?.test_accuracy ?? null,
    };
  };

  let epochsDone = resume?.epoch ?? 0;
  const writer = new RunWriter();
  try {
    writeSummary(dir, summary('running'));
    const outcome = await train(cfg, data, {
      signal: opts.signal,
      onEvent: opts.onEvent,
      threads,
      clock: opts.clock,
      resume: resume ?? undefined,
      // written on the writer thread, in this order, while the next epoch trains
      onEpochEnd: (state, record) => {
        const ops: WriteOp[] = [
          { op: 'append', dir, record },
          { op: 'replace', dir, file: RUN_FILES.weights, bytes: weightsBytes(model, state.params, meta) },
        ];
        // a checkpoint only at a whole epoch: the random streams restart there
        if (state.step % stepsPerEpoch(data.train.n, cfg.batch) === 0) ops.push({ op: 'replace', dir, file: RUN_FILES.checkpoint, bytes: checkpointBytes(model, state, record.epoch) });
        writer.write(ops, () => {
          epochsDone++;
          opts.onEpochEnd?.(record);
        });
      },
    });
    const t = performance.now();
    await writer.close();
    writeWeights(dir, model, outcome.state.params, meta);
    writeOnnxModel(dir, model, outcome.state.params, meta);
    const s = summary(outcome.status, outcome);
    writeSummary(dir, s);
    opts.clock?.lap('writes', t);
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
      dataset_sha256: data.sha256,
      ...(s.diverged_at_step !== undefined ? { diverged_at_step: s.diverged_at_step } : {}),
    };
  } catch (err) {
    await writer.close().catch(() => undefined);
    // nothing worth keeping yet: leave no half-made run behind
    if (fresh && epochsDone === 0) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
