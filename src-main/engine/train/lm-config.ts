// The typed configuration of one language-model run (the `lm` model family): a small
// decoder-only transformer whose MLPs are GLUs with any gate of the registry. Its fields' ranges,
// labels and flags are in common/lm-fields.ts; the classifier's config is config.ts.
// Node-free: the contract and the renderer's forms read it.
import { defaultGateSettings, type GateName, type GateSettings } from '../nn/gates';
import type { ExecutionProvider, TrainConfig } from './config';

export const LR_SCHEDULES = ['cosine', 'linear'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

export interface LmConfig extends GateSettings {
  family: 'lm';
  /** `stories` (synthetic, shipped), `tinystories` ($SQS_DATA/tinystories) or `text:<file|dir>` */
  dataset: string;
  /** a tokenizer.json to use; empty: train a BPE of `vocab` tokens on the training split */
  tokenizer: string;
  /** vocabulary size: the model's embedding and unembedding rows */
  vocab: number;
  gate: GateName;
  layers: number;
  heads: number;
  d_model: number;
  /** the MLP's hidden width */
  d_hidden: number;
  /** context length in tokens */
  ctx: number;
  /** sequences per step */
  batch: number;
  steps: number;
  lr: number;
  wd: number;
  warmup: number;
  schedule: LrSchedule;
  /** global-norm gradient clipping threshold */
  clip: number;
  /** steps between evaluations (each also saves weights, a checkpoint and a sample) */
  eval_every: number;
  seed: number;
  ep: ExecutionProvider;
}

export const DEFAULT_LM_CONFIG: LmConfig = {
  family: 'lm',
  dataset: 'stories',
  tokenizer: '',
  vocab: 4096,
  gate: 'bilinear',
  ...defaultGateSettings(),
  layers: 2,
  heads: 4,
  d_model: 128,
  d_hidden: 512,
  ctx: 128,
  batch: 16,
  steps: 1000,
  lr: 1e-3,
  wd: 0.1,
  warmup: 100,
  schedule: 'cosine',
  clip: 1.0,
  eval_every: 100,
  seed: 0,
  ep: 'cpu',
};

/** Any run's config: a classifier's (no `family` key, as every config written before language models) or a language model's. */
export type RunConfig = TrainConfig | LmConfig;

export function isLmConfig(config: object): config is LmConfig {
  return (config as { family?: unknown }).family === 'lm';
}

/** Why a shape cannot be built (heads must divide d_model into even head widths), or null. */
export function lmShapeProblem(c: Pick<LmConfig, 'd_model' | 'heads'>): string | null {
  if (c.d_model % c.heads !== 0) return `--d-model ${c.d_model} is not divisible by --heads ${c.heads}`;
  if ((c.d_model / c.heads) % 2 !== 0) return `head width d_model/heads = ${c.d_model / c.heads} must be even for rotary embeddings`;
  return null;
}
