// How much memory a training config needs, estimated before anything is created, so that a
// config this machine cannot hold is refused in one line rather than run until memory is gone.
// A run trains (parameters, AdamW moments, a batch's activations, the dataset) and is then read
// (every class's d×d interaction matrix and eigenvectors in float64): the larger of the two counts.
// Calibrated against peak resident memory measured on the CLI; it errs on the generous side.
import { totalmem } from 'node:os';
import type { DatasetShape } from '../data/dataset';
import { datasetShape } from '../data/load';
import { paramSpecs } from '../nn/classifier';
import { makeGate } from '../nn/gates';
import { byteSize } from '../util/regular-file';
import type { TrainConfig } from './config';
import { BATCH_BUFFERS, EVAL_ROWS } from './pipeline-sizes';

/** Node, ONNX Runtime and the app's code before any tensor. */
const PROCESS_BYTES = 320 * 2 ** 20;
const F32 = 4;
const F64 = 8;

export interface MemoryEstimate {
  /** bytes while training: parameters, gradients and AdamW moments (in and out of each step), activations, data */
  training: number;
  /** bytes while reading features: the interaction matrices, their eigenvectors and the solver's work */
  analysis: number;
  /** the larger of the two */
  total: number;
}

export function estimateMemory(cfg: Pick<TrainConfig, 'gate' | 'd' | 'h' | 'layers' | 'batch'> & Partial<TrainConfig>, shape: DatasetShape): MemoryEstimate {
  const { inputDim: dIn, classes: C } = shape;
  const { d, h, layers } = cfg;
  const gate = makeGate(cfg.gate, cfg as TrainConfig);
  const params = paramSpecs({ dIn, d, h, classes: C, layers }, gate).reduce((s, p) => s + p.shape[0] * p.shape[1], 0);
  const batch = Math.min(cfg.batch, shape.train);
  // parameters, gradients and both moments, fed to the step and returned by it: eight copies
  const weights = 8 * F32 * params;
  // forward values and their gradients per example: the input, each layer's z, W z, V z, σ and product, the logits
  const perExample = dIn + layers * (3 * d + 12 * h) + 6 * C;
  const activations = F32 * (batch * perExample + Math.min(EVAL_ROWS, shape.test) * (dIn + layers * (d + 4 * h) + C));
  // pixels as float32 plus the file's bytes while they are read
  const data = (F32 + 1) * (shape.train + shape.test) * dIn;
  // the batch thread's: its shared copy of the training pixels, and the batches in flight
  const batches = F32 * (shape.train * dIn + BATCH_BUFFERS * batch * (dIn + C));
  const training = PROCESS_BYTES + weights + activations + data + batches;
  // C matrices and C spectra in float64, their float32 copy and its file bytes, and the solver's work
  const analysis = PROCESS_BYTES + d * d * ((2 * F64 + 2 * F32) * C + 4 * F64) + 2 * F32 * params + data;
  return { training, analysis, total: Math.max(training, analysis) };
}

/** What one run may use: three quarters of the machine's memory, the rest left to everything else. */
export function memoryBudget(machineBytes = totalmem()): number {
  return Math.floor(0.75 * machineBytes);
}

/** A config whose estimated memory exceeds what this machine can give a run. */
export class MemoryLimitError extends Error {
  override name = 'MemoryLimitError';
}

/** Refuses `cfg` when its estimate exceeds the budget, with the estimate, the machine's memory and what to lower. */
export function checkMemory(cfg: TrainConfig, shape: DatasetShape, machineBytes = totalmem()): MemoryEstimate {
  const e = estimateMemory(cfg, shape);
  const budget = memoryBudget(machineBytes);
  if (e.total <= budget) return e;
  const reading = e.analysis >= e.training;
  throw new MemoryLimitError(
    `this config needs about ${byteSize(e.total)} of memory (training ${byteSize(e.training)}, reading its features ${byteSize(e.analysis)}), ` +
      `more than the ${byteSize(budget)} a run may use on this machine (three quarters of its ${byteSize(machineBytes)}); ` +
      (reading ? `lower d (${cfg.d}): reading features takes d×d matrices per class` : `lower batch (${cfg.batch}), d (${cfg.d}) or h (${cfg.h})`),
  );
}

/** checkMemory for each config, the dataset's sizes read once per dataset from its headers. */
export function checkConfigsFit(configs: readonly TrainConfig[], shapeOf: (dataset: string) => DatasetShape = datasetShape): void {
  const shapes = new Map<string, DatasetShape>();
  for (const cfg of configs) {
    if (!shapes.has(cfg.dataset)) shapes.set(cfg.dataset, shapeOf(cfg.dataset));
    checkMemory(cfg, shapes.get(cfg.dataset)!);
  }
}
