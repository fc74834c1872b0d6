// What reading a language-model run needs, loaded once: its config, tokenizer and weights (checked
// by loadLmRun), and — only when a reading compares against the model — its validation windows
// (the run's own tokenizer over the validation split, through the token cache) with the real
// activations at every position. Prompts are run through the same readout.
import { join } from 'node:path';
import { unsupported } from '../nn/families';
import type { EpName } from '../onnx/session';
import type { TokenArray } from '../text/token-cache';
import { prepareText } from '../train/lm-data';
import type { LmConfig, RunConfig } from '../train/lm-config';
import { loadLmRun } from '../train/lm-generate';
import { lmModelFor, type LmModel } from '../train/lm-trainer';
import { MAX_VAL_WINDOWS, validationWindows } from '../train/lm-windows';
import { RUN_FILES } from '../train/run-files';
import type { Tokenizer } from '../text/tokenizer';
import { captureActivations, type LmActivations } from './lm-activations';
import { AnalysisError } from './interaction';
import { lmToken, resolveDirection, type ResolvedDirection } from './lm-directions';
import { tokenDirection } from './lm-interaction';
import type { LmToken } from './lm-atlas-types';

export interface LmRead {
  dir: string;
  config: LmConfig;
  model: LmModel;
  params: ReadonlyMap<string, Float32Array>;
  tokenizer: Tokenizer;
}

/** The validation positions and the model's activations there; position p reads token valid[p]. */
export interface LmValidation {
  /** the whole validation split (windows are consecutive from its start) */
  valid: TokenArray;
  rows: number;
  acts: LmActivations;
}

/** Why a config's MLPs cannot be read (not a language model; no gate product), or null. */
export function lmUnreadable(config: RunConfig): string | null {
  if ((config as { family?: unknown }).family !== 'lm') return 'it is a classifier, not a language model (its features are in the atlas)';
  return unsupported(config, 'readFeatures');
}

/** A run folder's language model, refused in one line when its MLPs cannot be read. */
export function loadLmRead(dir: string, config: RunConfig): LmRead {
  const why = lmUnreadable(config);
  if (why) throw new AnalysisError(`${dir}: ${why}`);
  const run = loadLmRun(dir, config);
  return { dir, config: run.config, model: lmModelFor(run.config), params: run.params, tokenizer: run.tokenizer };
}

/** Validation positions a config's run is read over (its validation windows × ctx), from the token count it recorded. */
export function validationPositions(config: LmConfig & { valid_tokens?: number }): number {
  const n = config.valid_tokens;
  if (typeof n !== 'number') return 0;
  return Math.max(0, Math.min(MAX_VAL_WINDOWS, Math.floor((n - 1) / config.ctx))) * config.ctx;
}

export async function loadLmValidation(run: LmRead, cacheDir: string, opts: { ep?: EpName; threads?: number } = {}): Promise<LmValidation> {
  // the run's own tokenizer, whatever the config's source said
  const text = await prepareText({ ...run.config, tokenizer: join(run.dir, RUN_FILES.tokenizer) }, cacheDir);
  const windows = validationWindows(text.valid, run.config.ctx);
  const acts = await captureActivations(run.model, run.params, windows.ids, windows.rows, opts);
  return { valid: text.valid, rows: windows.rows, acts };
}

/** A prompt's tokens (its last ctx when longer) and the activations of the sequence right-padded to ctx. */
export async function promptActivations(run: LmRead, prompt: string, opts: { ep?: EpName; threads?: number } = {}): Promise<{ tokens: LmToken[]; acts: LmActivations }> {
  const ctx = run.config.ctx;
  const ids = [...(await run.tokenizer.encode(prompt))].slice(-ctx);
  if (ids.length === 0) throw new AnalysisError(`the prompt '${prompt.slice(0, 60)}' holds no tokens`);
  const row = new BigInt64Array(ctx).fill(BigInt(Math.max(0, run.tokenizer.eotId)));
  ids.forEach((id, i) => (row[i] = BigInt(id)));
  const acts = await captureActivations(run.model, run.params, row, 1, opts);
  return { tokens: ids.map((id) => lmToken(run.tokenizer, id)), acts };
}

/** The direction `spec` names, for this run. */
export function directionOf(run: LmRead, spec: string): Promise<ResolvedDirection> {
  return resolveDirection(spec, { tokenizer: run.tokenizer, dModel: run.model.dims.dModel, tokenVector: (id) => tokenDirection(run.params, run.model.dims, id) });
}
