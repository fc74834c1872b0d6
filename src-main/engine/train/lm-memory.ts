// How much memory a language model's training needs, estimated before anything is created, so
// that a config this machine cannot hold is refused in one line. Parameters with their gradients
// and AdamW moments (in and out of each step), and a step's activations: per token and layer the
// d_model-wide values (norms, q, k, v, attention output, residuals), the d_hidden-wide ones (the
// two branches, the gate, the product) and each head's row of scores, and per token the logits
// over the vocabulary with their softmax and gradient. Calibrated against `bench lm`'s peak
// resident memory (2 layers, d 256, h 1024, ctx 256, batch 16, V 4096: 1.17 GiB measured).
import { totalmem } from 'node:os';
import { makeGate } from '../nn/gates';
import { lmParamSpecs } from '../nn/lm';
import { byteSize } from '../util/regular-file';
import type { LmConfig } from './lm-config';
import { memoryBudget, MemoryLimitError } from './memory';

const PROCESS_BYTES = 320 * 2 ** 20;
const F32 = 4;

export function estimateLmMemory(cfg: LmConfig): number {
  const gate = makeGate(cfg.gate, cfg);
  const dims = { vocab: cfg.vocab, dModel: cfg.d_model, heads: cfg.heads, dHidden: cfg.d_hidden, layers: cfg.layers, ctx: cfg.ctx };
  const params = lmParamSpecs(dims, gate).reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
  const tokens = cfg.batch * cfg.ctx;
  const perToken = cfg.layers * (16 * cfg.d_model + 8 * cfg.d_hidden + 3 * cfg.heads * cfg.ctx) + 4 * cfg.vocab;
  return PROCESS_BYTES + 8 * F32 * params + F32 * tokens * perToken;
}

/** Refuses `cfg` when its estimate exceeds what a run may use here, naming what to lower. */
export function checkLmMemory(cfg: LmConfig, machineBytes = totalmem()): number {
  const need = estimateLmMemory(cfg);
  const budget = memoryBudget(machineBytes);
  if (need <= budget) return need;
  throw new MemoryLimitError(
    `this language model needs about ${byteSize(need)} of memory to train, more than the ${byteSize(budget)} a run may use on this machine ` +
      `(three quarters of its ${byteSize(machineBytes)}); lower --batch (${cfg.batch}), --ctx (${cfg.ctx}), --vocab (${cfg.vocab}) or the widths`,
  );
}
