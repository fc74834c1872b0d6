// Text from a trained language-model run: its own tokenizer and latest weights, sampled as each
// evaluation's sample is (lm-sample.ts). Used by `generate` and the run page.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors } from '../util/safetensors';
import { Tokenizer } from '../text/tokenizer';
import { isLmConfig, type LmConfig, type RunConfig } from './lm-config';
import { LmEvaluator } from './lm-step-session';
import { lmModelFor } from './lm-trainer';
import { sampleTokens } from './lm-sample';
import { requireFinite, RUN_FILES, RunFileError } from './run-files';
import type { Params } from '../nn/classifier';

export interface GenerateOptions {
  maxTokens: number;
  temperature: number;
  topK: number;
  seed: number;
  threads?: number;
}

export interface Generated {
  /** the prompt as the tokenizer reads it back (lower-cased) */
  prompt: string;
  text: string;
  /** tokens drawn */
  tokens: number;
  seed: number;
}

/** A run folder's language model, read and checked: its config, tokenizer and weights. */
export function loadLmRun(dir: string, config: RunConfig): { config: LmConfig; tokenizer: Tokenizer; params: Params } {
  if (!isLmConfig(config)) throw new RunFileError(`${dir} holds a classifier, not a language model: there is no text to generate`);
  const tokPath = join(dir, RUN_FILES.tokenizer);
  if (!existsSync(tokPath)) throw new RunFileError(`${tokPath}: missing (a language-model run keeps its tokenizer)`);
  const tokenizer = Tokenizer.fromFile(tokPath);
  const weightsPath = join(dir, RUN_FILES.weights);
  if (!existsSync(weightsPath)) throw new RunFileError(`${weightsPath}: missing (the run has not finished its first evaluation)`);
  const { tensors } = readSafetensors(weightsPath);
  const params: Params = new Map();
  for (const s of lmModelFor(config).specs) {
    const t = tensors.get(s.name);
    if (!t || t.dtype !== 'F32' || t.shape.join() !== s.shape.join()) throw new RunFileError(`${weightsPath}: tensor '${s.name}' is missing or not F32 [${s.shape}]`);
    requireFinite(weightsPath, s.name, t.data as Float32Array);
    params.set(s.name, t.data as Float32Array);
  }
  return { config, tokenizer, params };
}

export async function generateText(dir: string, config: RunConfig, prompt: string, o: GenerateOptions): Promise<Generated> {
  const run = loadLmRun(dir, config);
  const ids = [...(await run.tokenizer.encode(prompt))];
  if (ids.length === 0) throw new RunFileError(`the prompt '${prompt}' holds no tokens`);
  const { gate, dims, specs } = lmModelFor(run.config);
  const evaluator = await LmEvaluator.create(gate, dims, specs, { ep: run.config.ep, threads: o.threads });
  try {
    const drawn = await sampleTokens(evaluator, run.params, ids, { ...o, ctx: run.config.ctx, stopAt: run.tokenizer.eotId });
    const shown = drawn.at(-1) === run.tokenizer.eotId ? drawn.slice(0, -1) : drawn;
    return { ...(await continuation(run.tokenizer, ids, shown)), tokens: drawn.length, seed: o.seed };
  } finally {
    await evaluator.release();
  }
}

/**
 * The prompt and its continuation as text. Decoded together and then split, so that the space
 * between them (which the decoder drops at the start of a text) is kept with the continuation.
 */
export async function continuation(tokenizer: Tokenizer, prompt: readonly number[], drawn: readonly number[]): Promise<{ prompt: string; text: string }> {
  const head = await tokenizer.decode(prompt);
  const whole = await tokenizer.decode([...prompt, ...drawn]);
  return { prompt: head, text: whole.startsWith(head) ? whole.slice(head.length) : await tokenizer.decode(drawn) };
}
