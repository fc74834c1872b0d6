// One language-model run from a validated config to a complete run folder: the corpus and
// tokenizer are read and checked before the folder exists, so bad input leaves nothing behind.
// The folder holds config.json, tokenizer.json, metrics.jsonl, samples.jsonl,
// weights.safetensors, checkpoint.safetensors, model.onnx and run.json (docs/language-models.md).
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file';
import { prepareText, type PreparedText } from './lm-data';
import { checkLmMemory } from './lm-memory';
import type { LmConfig } from './lm-config';
import { buildLmInference } from './lm-graphs';
import { lmModelFor, trainLm, type LmModel, type LmTrainEvent, type LmTrainOutcome } from './lm-trainer';
import type { LmMetricRecord } from './metric-record';
import type { PhaseClock } from './phases';
import { appendMetric, readCheckpoint, runThreads, readMetrics, rewriteMetrics, RUN_FILES, writeCheckpoint, writeSummary, writeWeights } from './run-files';
import { summaryBase, type RunSummary } from './run-summary';
import { appendFileSync, readFileSync } from 'node:fs';
import { readSamples } from './lm-samples';
import { continuation } from './lm-generate';
import type { Params } from '../nn/classifier';

export interface LmRunResult {
  family: 'lm';
  run_dir: string;
  status: LmTrainOutcome['status'];
  train_loss: number | null;
  val_loss: number | null;
  val_ppl: number | null;
  tokens: number;
  tokens_per_s: number | null;
  steps: number;
  seconds: number;
  execution_provider: string;
  diverged_at_step?: number;
  dataset_sha256: string;
}

export interface LmRunOptions {
  signal?: AbortSignal;
  onEvent?: (e: LmTrainEvent) => void;
  onEpochEnd?: (record: LmMetricRecord) => void;
  threads?: number;
  /** where tokenised corpora and trained tokenizers are cached between runs */
  cacheDir: string;
  /** where the wall time goes (benchmarks) */
  clock?: PhaseClock;
}

/** The prompt each evaluation's sample continues. */
export const SAMPLE_PROMPT = 'once upon a time';

export async function runLmTraining(cfg: LmConfig, outDir: string, opts: LmRunOptions): Promise<LmRunResult> {
  const t = performance.now();
  const { dir, text } = await prepareLmFolder(cfg, outDir, opts.cacheDir);
  opts.clock?.lap('data', t);
  return execute(cfg, text, dir, null, opts, true);
}

/**
 * Writes a new run folder's config and tokenizer, trained by nothing yet: resumeLmTraining then
 * trains it from its start exactly as runLmTraining would (a run trained on another machine).
 */
export async function prepareLmFolder(cfg: LmConfig, outDir: string, cacheDir: string): Promise<{ dir: string; text: PreparedText }> {
  checkLmMemory(cfg);
  const text = await prepareText(cfg, cacheDir);
  const dir = resolve(outDir);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new LmRunError(`run folder ${dir} already exists and is not empty`);
  mkdirSync(dir, { recursive: true });
  try {
    writeLmConfig(dir, cfg, text);
    writeFileAtomic(join(dir, RUN_FILES.tokenizer), text.tokenizerJson);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, text };
}

/** Continues a run folder from its last checkpoint (its last evaluation), byte-identical to an uninterrupted run. */
export async function resumeLmTraining(dir: string, cfg: LmConfig, opts: LmRunOptions): Promise<LmRunResult> {
  // the run's own tokenizer, whatever the config's source said
  const text = await prepareText({ ...cfg, tokenizer: join(dir, RUN_FILES.tokenizer) }, opts.cacheDir);
  const model = lmModelFor(cfg);
  const checkpoint = readCheckpoint(dir, model);
  const recorded = JSON.parse(readFileSync(join(dir, RUN_FILES.config), 'utf8')).dataset_sha256;
  if (recorded && recorded !== text.sha256) {
    throw new LmRunError(`the text of '${cfg.dataset}' has changed since run ${dir} started (sha256 ${text.sha256.slice(0, 12)}… instead of ${String(recorded).slice(0, 12)}…); it cannot be resumed exactly`);
  }
  const upTo = checkpoint?.state.step ?? 0;
  const metrics = checkpoint ? readMetrics<LmMetricRecord>(dir, upTo) : [];
  rewriteMetrics(dir, metrics);
  // samples drawn after the checkpoint are drawn again
  writeFileAtomic(join(dir, RUN_FILES.samples), readSamples(dir).filter((x) => x.step <= upTo).map((x) => JSON.stringify(x) + '\n').join(''));
  return execute(cfg, text, dir, checkpoint ? { state: checkpoint.state, metrics } : null, opts, false);
}

export class LmRunError extends Error {
  override name = 'LmRunError';
}

function writeLmConfig(dir: string, cfg: LmConfig, text: PreparedText): void {
  const record = { ...cfg, dataset_sha256: text.sha256, dataset_source: text.source, tokenizer_sha256: text.tokenizer.sha256, tokenizer_vocab: text.tokenizer.vocabSize, train_tokens: text.train.length, valid_tokens: text.valid.length };
  writeFileAtomic(join(dir, RUN_FILES.config), JSON.stringify(record, null, 2) + '\n');
}

/** The gate, its parameters and the shapes, as the weights file's `__metadata__`. */
export function lmWeightsMetadata(model: LmModel, cfg: LmConfig): Record<string, string> {
  const { dims } = model;
  return {
    format: 'sqs-workbench.glu-lm.v1',
    ...model.gate.describe(),
    vocab: String(dims.vocab),
    d_model: String(dims.dModel),
    heads: String(dims.heads),
    d_hidden: String(dims.dHidden),
    layers: String(dims.layers),
    ctx: String(dims.ctx),
    dataset: cfg.dataset,
    seed: String(cfg.seed),
  };
}

async function execute(cfg: LmConfig, text: PreparedText, dir: string, resume: { state: import('./step-session').OptimState; metrics: LmMetricRecord[] } | null, opts: LmRunOptions, fresh: boolean): Promise<LmRunResult> {
  const started = performance.now();
  const model = lmModelFor(cfg);
  const meta = lmWeightsMetadata(model, cfg);
  const prompt = await text.tokenizer.encode(SAMPLE_PROMPT);
  const threads = runThreads(dir, opts.threads);
  const summary = (status: RunSummary['status'], o?: LmTrainOutcome): RunSummary => {
    const last = o?.metrics.at(-1);
    const seconds = (performance.now() - started) / 1000 + (resume?.metrics.at(-1)?.seconds ?? 0);
    return {
      ...summaryBase(status, o, seconds, cfg.ep, threads),
      train_loss: last?.train_loss ?? null,
      test_loss: last?.val_loss ?? null,
      test_accuracy: null,
      val_ppl: last?.val_ppl ?? null,
      tokens: (o?.steps ?? 0) * cfg.batch * cfg.ctx,
      tokens_per_s: last?.tokens_per_s ?? null,
    };
  };
  let evaluations = resume?.metrics.length ?? 0;
  try {
    writeSummary(dir, summary('running'));
    const outcome = await trainLm(cfg, text, {
      signal: opts.signal,
      onEvent: opts.onEvent,
      threads,
      clock: opts.clock,
      samplePrompt: [...prompt],
      sampleStop: text.tokenizer.eotId,
      resume: resume ?? undefined,
      onEvaluated: async (state, record, sample) => {
        appendMetric(dir, record);
        const story = sample.at(-1) === text.tokenizer.eotId ? sample.slice(0, -1) : sample;
        const words = await continuation(text.tokenizer, [...prompt], story);
        appendFileSync(join(dir, RUN_FILES.samples), JSON.stringify({ step: record.step, prompt: words.prompt, text: words.text }) + '\n');
        writeWeights(dir, model, state.params, meta);
        // a checkpoint only at a scheduled evaluation: a resumed run then replays the same evaluations
        if (record.step % cfg.eval_every === 0 || record.step === cfg.steps) writeCheckpoint(dir, model, state, record.epoch);
        evaluations++;
        opts.onEpochEnd?.(record);
      },
    });
    const t = performance.now();
    writeWeights(dir, model, outcome.state.params, meta);
    writeLmOnnxModel(dir, model, outcome.state.params, meta);
    const s = summary(outcome.status, outcome);
    writeSummary(dir, s);
    opts.clock?.lap('writes', t);
    const last = outcome.metrics.at(-1);
    return {
      family: 'lm',
      run_dir: dir,
      status: outcome.status,
      train_loss: last?.train_loss ?? null,
      val_loss: last?.val_loss ?? null,
      val_ppl: last?.val_ppl ?? null,
      tokens: outcome.steps * cfg.batch * cfg.ctx,
      tokens_per_s: last?.tokens_per_s ?? null,
      steps: outcome.steps,
      seconds: s.seconds,
      execution_provider: cfg.ep,
      dataset_sha256: text.sha256,
      ...(outcome.divergedAtStep !== undefined ? { diverged_at_step: outcome.divergedAtStep } : {}),
    };
  } catch (err) {
    if (fresh && evaluations === 0) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The inference model `input_ids` [N, ctx] int64 → `logits` [N, ctx, V] with the weights baked in. */
export function writeLmOnnxModel(dir: string, model: LmModel, params: Params, metadata: Record<string, string>): void {
  writeFileAtomic(join(dir, RUN_FILES.model), buildLmInference(model.gate, model.dims, model.specs, { weights: params, metadata }));
}
