// The typed configuration of one training run: what the CLI, the workspace and the UI all
// validate into before anything is trained or written. The fields' ranges, labels and flags are
// in common/train-fields.ts; the gates and their parameters in nn/gates.ts.
import { defaultGateSettings, GATE_NAMES, type GateName, type GateSettings, type SqsParams } from '../nn/gates';
import type { SubsetBudget } from '../data/subset-budget';

export { GATE_NAMES, type GateName, type SqsParams };

export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'webgpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** The gate's parameters sit under the gate's name (config.sqs.c), for every gate that has some. */
export interface TrainConfig extends GateSettings {
  /** `digits`, `fashion-mnist` or `idx:<dir>` */
  dataset: string;
  gate: GateName;
  /** embedding width */
  d: number;
  /** GLU (hidden) width */
  h: number;
  /** number of GLU layers, 1–4 */
  layers: number;
  epochs: number;
  batch: number;
  lr: number;
  /** decoupled (AdamW) weight decay */
  wd: number;
  /** std of the Gaussian noise added to each training input */
  noise: number;
  /** linear warm-up steps before the cosine schedule */
  warmup: number;
  seed: number;
  ep: ExecutionProvider;
  /** percent of the training split trained on: a nested subset, the same for every gate and seed (data/subset.ts) */
  train_percent: number;
  /** below 100 %: 'steps' trains as many optimiser steps as on the whole split, 'epochs' as many passes over the subset */
  subset_budget: SubsetBudget;
}

export const DEFAULT_CONFIG: TrainConfig = {
  dataset: 'digits',
  gate: 'bilinear',
  ...defaultGateSettings(),
  d: 256,
  h: 256,
  layers: 1,
  epochs: 20,
  batch: 2048,
  lr: 1e-3,
  wd: 0.1,
  noise: 0.4,
  warmup: 0,
  seed: 0,
  ep: 'cpu',
  train_percent: 100,
  subset_budget: 'steps',
};

/** Fields added after runs were first stored: a stored config without one meant this value. */
export const LATER_DEFAULTS: Partial<TrainConfig> = { train_percent: 100, subset_budget: 'steps' };

/** The literature's setting for comparing gates (`reproduce`): laid over any config, flags aside. */
export const REFERENCE_CONFIG: Partial<TrainConfig> = { d: 256, h: 256, batch: 2048, lr: 1e-3, wd: 0.1, noise: 1.0, epochs: 20 };
