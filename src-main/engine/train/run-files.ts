// What a run leaves in its folder: config.json, metrics.jsonl (one record per evaluation),
// weights.safetensors, model.onnx and run.json (status and final figures). Every file but the
// append-only metrics is replaced atomically, so a crash never leaves a half-written one.
import { appendFileSync, existsSync, statSync, truncateSync } from 'node:fs';
import { writeError, writeFileAtomic } from '../util/atomic-file';
import { entryExists, readRegularFile, UnreadableFileError } from '../util/regular-file';
import { join } from 'node:path';
import { defaultThreads } from '../onnx/session';
import type { Dataset } from '../data/dataset';
import type { Params } from '../nn/classifier';
import { encodeSafetensors, firstNonFinite, readSafetensors } from '../util/safetensors';
import type { OptimState } from './step-session';
import type { TrainConfig } from './config';
import { buildInference } from './graphs';
import type { Model } from './trainer';
import type { AnyMetricRecord, MetricRecord } from './metric-record';
import type { RunSummary } from './run-summary';

export type { RunSummary } from './run-summary';

/** A run folder's file that cannot be read as what it should be; the message names the file. */
export class RunFileError extends Error {
  override name = 'RunFileError';
}

/** Refuses a tensor holding NaN or ±Infinity, naming the file, the tensor and the first such entry. */
export function requireFinite(path: string, name: string, data: Float32Array | Float64Array): void {
  const at = firstNonFinite(data);
  if (at >= 0) throw new RunFileError(`${path}: tensor '${name}' holds ${data[at]} at index ${at}; weights must be finite numbers`);
}

export const RUN_FILES = {
  config: 'config.json',
  /** a language model's tokenizer (Hugging Face tokenizer.json) */
  tokenizer: 'tokenizer.json',
  /** a language model's text sampled at each evaluation, one JSON object per line */
  samples: 'samples.jsonl',
  metrics: 'metrics.jsonl',
  weights: 'weights.safetensors',
  model: 'model.onnx',
  status: 'run.json',
  checkpoint: 'checkpoint.safetensors',
} as const;

export function writeConfig(dir: string, cfg: TrainConfig, data: Dataset): void {
  const record = { ...cfg, dataset_sha256: data.sha256, dataset_source: data.source, d_in: data.inputDim, classes: data.classes };
  writeFileAtomic(join(dir, RUN_FILES.config), JSON.stringify(record, null, 2) + '\n');
}

/** Appends one line; a failure (a full disk) cuts the file back to its whole lines and names it. */
export function appendMetric(dir: string, record: AnyMetricRecord): void {
  const path = join(dir, RUN_FILES.metrics);
  const before = existsSync(path) ? statSync(path).size : 0;
  try {
    appendFileSync(path, JSON.stringify(record) + '\n');
  } catch (e) {
    try {
      truncateSync(path, before);
    } catch {
      // it was never created: nothing to cut back
    }
    throw writeError(e, path);
  }
}

export function writeSummary(dir: string, summary: RunSummary): void {
  writeFileAtomic(join(dir, RUN_FILES.status), JSON.stringify(summary, null, 2) + '\n');
}

/** A run.json is a few hundred bytes. */
const MAX_SUMMARY_BYTES = 1 << 20;
/** metrics.jsonl: one line of a few hundred bytes per evaluation, for at most 100,000 epochs. */
const MAX_METRICS_BYTES = 256 << 20;

/** The run.json of a run folder, or null when it is missing or unreadable (a run not started yet). */
export function readSummary(dir: string): RunSummary | null {
  try {
    const s = JSON.parse(readRegularFile(join(dir, RUN_FILES.status), MAX_SUMMARY_BYTES).toString('utf8')) as RunSummary;
    return s !== null && typeof s === 'object' && typeof s.status === 'string' ? s : null;
  } catch {
    return null;
  }
}

/**
 * The intra-op threads a run in `dir` trains with: those it started with (run.json), so that a
 * resumed run ends with the bytes an uninterrupted one would; else those asked for, else all cores.
 */
export function runThreads(dir: string, requested: number | undefined): number {
  return readSummary(dir)?.threads ?? requested ?? defaultThreads();
}

/** The gate, its parameters and the shapes, as the weights file's `__metadata__`. */
export function weightsMetadata(model: Model, cfg: TrainConfig, data: Dataset): Record<string, string> {
  const { dims } = model;
  return {
    format: 'sqs-workbench.glu-classifier.v1',
    ...model.gate.describe(),
    d_in: String(dims.dIn),
    d: String(dims.d),
    h: String(dims.h),
    classes: String(dims.classes),
    layers: String(dims.layers),
    image_shape: data.imageShape.join('x'),
    dataset: cfg.dataset,
    seed: String(cfg.seed),
  };
}

/** The tensors of a model of any family: names and shapes, in weight-file order. */
export interface SpecList {
  readonly specs: readonly { readonly name: string; readonly shape: readonly number[] }[];
}

export function writeWeights(dir: string, model: SpecList, params: Params, metadata: Record<string, string>): void {
  writeFileAtomic(join(dir, RUN_FILES.weights), weightsBytes(model, params, metadata));
}

/** The bytes of weights.safetensors. */
export function weightsBytes(model: SpecList, params: Params, metadata: Record<string, string>): Uint8Array {
  return encodeSafetensors(
    model.specs.map((s) => ({ name: s.name, shape: [...s.shape], data: params.get(s.name)! })),
    metadata,
  );
}

/** The inference model `x` [N, d_in] → `logits` [N, C] with the weights baked in. */
export function writeOnnxModel(dir: string, model: Model, params: Params, metadata: Record<string, string>): void {
  writeFileAtomic(join(dir, RUN_FILES.model), buildInference(model.gate, model.dims, model.specs, { weights: params, metadata }));
}

/** Parameters and AdamW moments at the end of an epoch: everything needed to continue exactly. */
export function writeCheckpoint(dir: string, model: SpecList, state: OptimState, epoch: number): void {
  writeFileAtomic(join(dir, RUN_FILES.checkpoint), checkpointBytes(model, state, epoch));
}

/** The bytes of checkpoint.safetensors. */
export function checkpointBytes(model: SpecList, state: OptimState, epoch: number): Uint8Array {
  const tensors = model.specs.flatMap((s) => [
    { name: `param.${s.name}`, shape: [...s.shape], data: state.params.get(s.name)! },
    { name: `m.${s.name}`, shape: [...s.shape], data: state.m.get(s.name)! },
    { name: `v.${s.name}`, shape: [...s.shape], data: state.v.get(s.name)! },
  ]);
  return encodeSafetensors(tensors, { epoch: String(epoch), step: String(state.step) });
}

/**
 * The state saved at the end of the run's last whole epoch, or null when there is none. A file
 * that is not one (unreadable, another architecture, non-finite numbers) is a RunFileError naming it.
 */
export function readCheckpoint(dir: string, model: SpecList): { state: OptimState; epoch: number } | null {
  const path = join(dir, RUN_FILES.checkpoint);
  if (!entryExists(path)) return null;
  let decoded: ReturnType<typeof readSafetensors>;
  try {
    decoded = readSafetensors(path);
  } catch (e) {
    const message = (e as Error).message;
    throw new RunFileError(message.includes(path) ? message : `${path}: ${message}`);
  }
  const { tensors, metadata } = decoded;
  const epoch = Number(metadata.epoch);
  const step = Number(metadata.step);
  if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(step) || epoch < 0 || step < 0) throw new RunFileError(`${path}: metadata lacks a valid epoch and step`);
  const take = (name: string, shape: readonly number[]) => {
    const t = tensors.get(name);
    if (!t || t.dtype !== 'F32' || t.shape.join() !== shape.join()) throw new RunFileError(`${path}: tensor '${name}' is missing or not F32 [${shape}]`);
    requireFinite(path, name, t.data as Float32Array);
    return t.data as Float32Array;
  };
  const state: OptimState = { params: new Map(), m: new Map(), v: new Map(), step };
  for (const s of model.specs) {
    state.params.set(s.name, take(`param.${s.name}`, s.shape));
    state.m.set(s.name, take(`m.${s.name}`, s.shape));
    state.v.set(s.name, take(`v.${s.name}`, s.shape));
  }
  return { state, epoch };
}

/** The evaluations recorded up to and including `epoch` (a partial epoch after it is dropped). */
export function readMetrics<R extends AnyMetricRecord = MetricRecord>(dir: string, upToStep: number): R[] {
  const path = join(dir, RUN_FILES.metrics);
  if (!entryExists(path)) return [];
  let text: string;
  try {
    text = readRegularFile(path, MAX_METRICS_BYTES, "a run's metrics").toString('utf8');
  } catch (e) {
    throw e instanceof UnreadableFileError ? new RunFileError(e.message) : e;
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as R];
      } catch {
        return []; // a line cut short by a crash
      }
    })
    .filter((r) => r.step <= upToStep);
}

export function rewriteMetrics(dir: string, records: readonly AnyMetricRecord[]): void {
  writeFileAtomic(join(dir, RUN_FILES.metrics), records.map((r) => JSON.stringify(r) + '\n').join(''));
}
