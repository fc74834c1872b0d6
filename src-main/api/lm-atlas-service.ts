// The lm.* calls of the contract: reading a language-model run's MLPs from its weights per output
// direction. A run's weights, tokenizer and validation activations are kept for the last few runs
// read (the activations are computed on first need, once) and dropped when its files change; a
// run's spectra are kept per (layer, direction), so that clicking through features, explanations
// and comparisons never recomputes an eigendecomposition.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisError } from '../engine/analysis/interaction';
import { searchTokens, type ResolvedDirection } from '../engine/analysis/lm-directions';
import { requireLayer, type SortedEigen } from '../engine/analysis/lm-interaction';
import { comparisonOf, explanationOf, featureOf, spectrumOf, type LmSpectrumData } from '../engine/analysis/lm-reading';
import { directionOf, lmUnreadable, loadLmRead, loadLmValidation, promptActivations, validationPositions, type LmRead, type LmValidation } from '../engine/analysis/lm-source';
import { isLmConfig, type LmConfig } from '../engine/train/lm-config';
import { gateInfo } from '../engine/nn/gates';
import { RUN_FILES } from '../engine/train/run-files';
import { MAX_CONFIG_BYTES } from '../engine/train/run-reader';
import { parseJsonText } from '../engine/util/json-text';
import { readRegularFile } from '../engine/util/regular-file';
import { cacheDirOf } from '../jobs/train-job';
import { getRun, type RunRow } from '../store/runs';
import type { Workspace } from '../store/workspace';
import { mapped } from './errors';
import { ApiError, type ApiOutput, type ApiParsed, type LmDirection, type Method } from '../common/contract';

type LmMethod = Extract<Method, `lm.${string}`>;
export type LmHandlers = { [M in LmMethod]: (input: ApiParsed<M>) => ApiOutput<M> | Promise<ApiOutput<M>> };

export interface LmAtlasServiceOptions {
  workspace: () => Workspace;
}

export const LM_DEFAULTS = { tokens: 20, topTokens: 12, contexts: 8, explain: 8, compare: 8 } as const;
/** runs whose weights and activations are kept (a d_model 128 run's activations are a few tens of MiB) */
const KEEP_RUNS = 2;
/** spectra kept per run: each holds its projections at every validation position */
const KEEP_SPECTRA = 8;

interface Entry {
  key: string;
  read: LmRead;
  validation: Promise<LmValidation> | null;
  spectra: Map<string, LmSpectrumData>;
}

export function createLmAtlasService(opts: LmAtlasServiceOptions): { handlers: LmHandlers; close(): void } {
  const entries = new Map<string, Entry>(); // by run folder

  /** The run's row and config, refused in one line when it is not a readable language model. */
  function readable(id: number): { run: RunRow; config: LmConfig; dir: string } {
    const run = getRun(opts.workspace(), id);
    if (!isLmConfig(run.config)) throw new ApiError('bad_request', `run ${id} is a classifier, not a language model; its features are in the atlas (atlas.get)`);
    const why = lmUnreadable(run.config);
    if (why) throw new ApiError('bad_request', `run ${id} cannot be read: ${why}`);
    return { run, config: run.config, dir: opts.workspace().runDir(id) };
  }

  function entryOf(id: number, layer?: number): Entry {
    const { config, dir } = readable(id);
    if (layer !== undefined) requireLayer(layer, { layers: config.layers });
    const key = [RUN_FILES.weights, RUN_FILES.tokenizer, RUN_FILES.config]
      .map((f) => {
        const st = statSync(join(dir, f), { throwIfNoEntry: false });
        return st ? `${st.mtimeMs}:${st.size}` : '-';
      })
      .join('|');
    const hit = entries.get(dir);
    entries.delete(dir); // most recently used last
    if (hit && hit.key === key) {
      entries.set(dir, hit);
      return hit;
    }
    const entry: Entry = { key, read: loadLmRead(dir, config), validation: null, spectra: new Map() };
    entries.set(dir, entry);
    while (entries.size > KEEP_RUNS) entries.delete(entries.keys().next().value!);
    return entry;
  }

  function validation(entry: Entry): Promise<LmValidation> {
    if (!entry.validation) {
      entry.validation = loadLmValidation(entry.read, cacheDirOf(opts.workspace()));
      entry.validation.catch(() => (entry.validation = null)); // tried again next time
    }
    return entry.validation;
  }

  async function spectrumData(id: number, layer: number, spec: string, resolved?: ResolvedDirection): Promise<{ entry: Entry; data: LmSpectrumData; val: LmValidation }> {
    const entry = entryOf(id, layer);
    const val = await validation(entry);
    const name = `${layer}\u0000${spec}`;
    let data = entry.spectra.get(name);
    if (!data) {
      data = spectrumOf(entry.read, val.acts, layer, resolved ?? (await directionOf(entry.read, spec)), id);
      entry.spectra.set(name, data);
      while (entry.spectra.size > KEEP_SPECTRA) entry.spectra.delete(entry.spectra.keys().next().value!);
    } else {
      entry.spectra.delete(name);
      entry.spectra.set(name, data);
    }
    return { entry, data, val };
  }

  const handlers: LmHandlers = {
    'lm.info': ({ id }) =>
      mapped(() => {
        const run = getRun(opts.workspace(), id);
        if (!isLmConfig(run.config)) throw new ApiError('bad_request', `run ${id} is a classifier, not a language model; its features are in the atlas (atlas.get)`);
        // the sizes the run recorded beside its config (config.json), which the workspace's row does not keep
        const c = { ...run.config, ...recordedSizes(opts.workspace().runDir(id)) };
        return {
          runId: id,
          runName: run.name,
          gate: c.gate,
          layers: c.layers,
          dModel: c.d_model,
          vocab: c.vocab,
          tokenizerSize: c.tokenizer_vocab ?? c.vocab,
          exact: gateInfo(c.gate).exact,
          unreadable: lmUnreadable(c),
          positions: validationPositions(c),
        };
      }),
    'lm.tokens': ({ id, query, limit }) =>
      mapped(() => {
        const { read } = entryOf(id);
        return { matches: searchTokens(read.tokenizer, read.tokenizer.vocabSize, query, limit ?? LM_DEFAULTS.tokens) };
      }),
    'lm.spectrum': ({ id, layer, direction }) => mapped(async () => (await spectrumData(id, layer, direction)).data.spectrum),
    'lm.feature': ({ id, layer, direction, rank, tokens, contexts }) =>
      mapped(async () => {
        const { entry, data, val } = await spectrumData(id, layer, direction);
        return featureOf(entry.read, val.valid, data, rank, { tokens: tokens ?? LM_DEFAULTS.topTokens, contexts: contexts ?? LM_DEFAULTS.contexts, runId: id });
      }),
    'lm.explain': ({ id, prompt, direction, count }) =>
      mapped(async () => {
        const entry = entryOf(id);
        const resolved = await directionOf(entry.read, direction);
        const layers = entry.read.model.dims.layers;
        const eigen: SortedEigen[] = [];
        for (let l = 0; l < layers; l++) eigen.push((await spectrumData(id, l, direction, resolved)).data.eigen);
        const { tokens, acts } = await promptActivations(entry.read, prompt);
        return { runId: id, direction: resolved.direction, tokens, layers: explanationOf(acts, tokens, resolved.u, (l) => eigen[l], count ?? LM_DEFAULTS.explain) };
      }),
    'lm.compare': ({ a, b, layer, direction, count }) =>
      mapped(async () => {
        const ra = readable(a);
        const rb = readable(b);
        if (ra.config.d_model !== rb.config.d_model) throw new AnalysisError(`runs ${a} and ${b} have different widths (d_model ${ra.config.d_model} and ${rb.config.d_model}); their residual streams cannot be compared`);
        const da = await forRun(a, directionOf(entryOf(a, layer).read, direction));
        const db = await forRun(b, directionOf(entryOf(b, layer).read, direction));
        const disagree = tokensOf(da.direction).join(' ') !== tokensOf(db.direction).join(' ');
        if (disagree) throw new AnalysisError(`'${direction}' is ${tokensOf(da.direction).join(' − ')} for run ${a} but ${tokensOf(db.direction).join(' − ')} for run ${b}: their tokenizers disagree on it`);
        const sa = await spectrumData(a, layer, direction, da);
        const sb = await spectrumData(b, layer, direction, db);
        return comparisonOf(sa.data.eigen, sb.data.eigen, { a, b, layer, direction: da.direction, count: count ?? LM_DEFAULTS.compare });
      }),
  };

  return { handlers, close: () => entries.clear() };
}

/** The tokenizer's size and the validation split's length, as training recorded them in config.json; none when unreadable. */
function recordedSizes(dir: string): { tokenizer_vocab?: number; valid_tokens?: number } {
  try {
    const parsed = parseJsonText(readRegularFile(join(dir, RUN_FILES.config), MAX_CONFIG_BYTES, "a run's config.json").toString('utf8'));
    const raw = parsed.ok ? (parsed.value as Record<string, unknown>) : {};
    const count = (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : undefined);
    return { tokenizer_vocab: count(raw?.tokenizer_vocab), valid_tokens: count(raw?.valid_tokens) };
  } catch {
    return {};
  }
}

/** A comparison's refusal says which of the two runs it is about. */
async function forRun<T>(id: number, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof AnalysisError) throw new AnalysisError(`run ${id}: ${e.message}`);
    throw e;
  }
}

/** The vocabulary tokens a direction is made of, as their tokenizer spells them. */
function tokensOf(d: LmDirection): string[] {
  return d.kind === 'token' ? [d.token.token] : d.kind === 'difference' ? [d.plus.token, d.minus.token] : [];
}
