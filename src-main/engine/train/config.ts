// The typed configuration of one training run: what the CLI, the workspace and the UI all
// validate into before anything is trained or written.

export const GATE_NAMES = ['bilinear', 'sqs', 'swiglu', 'geglu', 'reglu', 'relu-mlp'] as const;
export type GateName = (typeof GATE_NAMES)[number];

export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'webgpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** SQS(x) = sgn(x)·(|x|^p − c)/(1 + λ|x|^p); c ≥ 0, λ > 0, p ≥ 1. */
export interface SqsParams {
  c: number;
  lambda: number;
  p: number;
}

export interface TrainConfig {
  /** `digits`, `fashion-mnist` or `idx:<dir>` */
  dataset: string;
  gate: GateName;
  sqs: SqsParams;
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
}

export const DEFAULT_CONFIG: TrainConfig = {
  dataset: 'digits',
  gate: 'bilinear',
  sqs: { c: 0.01, lambda: 0.5, p: 1 },
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
};
