// The reference configuration every new run and sweep starts from: DEFAULT_CONFIG in the engine,
// mirrored because the renderer imports only types (test/renderer/forms/validate.test.ts checks).
import type { TrainConfig } from '../../../../src-main/shared/contract';

/** Without the execution provider, which the settings choose. */
export const REFERENCE: Omit<TrainConfig, 'ep'> = {
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
};

