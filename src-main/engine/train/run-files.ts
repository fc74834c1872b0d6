// What a run leaves in its folder: config.json, metrics.jsonl (one record per evaluation),
// weights.safetensors, model.onnx and run.json (status and final figures). Every file but the
// append-only metrics is replaced atomically, so a crash never leaves a half-written one.
import { appendFileSync, closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../data/dataset';
import type { Params } from '../nn/classifier';
import { writeSafetensorsAtomic } from '../util/safetensors';
import type { TrainConfig } from './config';
import { buildInference } from './graphs';
import type { MetricRecord, Model, TrainStatus } from './trainer';

export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  weights: 'weights.safetensors',
  model: 'model.onnx',
  status: 'run.json',
} as const;

export interface RunSummary {
  status: TrainStatus | 'running';
  epochs_completed: number;
  steps: number;
  seconds: number;
  execution_provider: string;
  train_loss: number | null;
  test_loss: number | null;
  test_accuracy: number | null;
  diverged_at_step?: number;
}

export function writeConfig(dir: string, cfg: TrainConfig, data: Dataset): void {
  const record = { ...cfg, dataset_sha256: data.sha256, dataset_source: data.source, d_in: data.inputDim, classes: data.classes };
  writeAtomic(join(dir, RUN_FILES.config), JSON.stringify(record, null, 2) + '\n');
}

export function appendMetric(dir: string, record: MetricRecord): void {
  appendFileSync(join(dir, RUN_FILES.metrics), JSON.stringify(record) + '\n');
}

export function writeSummary(dir: string, summary: RunSummary): void {
  writeAtomic(join(dir, RUN_FILES.status), JSON.stringify(summary, null, 2) + '\n');
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

export function writeWeights(dir: string, model: Model, params: Params, metadata: Record<string, string>): void {
  writeSafetensorsAtomic(
    join(dir, RUN_FILES.weights),
    model.specs.map((s) => ({ name: s.name, shape: [...s.shape], data: params.get(s.name)! })),
    metadata,
  );
}

/** The inference model `x` [N, d_in] → `logits` [N, C] with the weights baked in. */
export function writeOnnxModel(dir: string, model: Model, params: Params, metadata: Record<string, string>): void {
  writeAtomic(join(dir, RUN_FILES.model), buildInference(model.gate, model.dims, model.specs, { weights: params, metadata }));
}

function writeAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
