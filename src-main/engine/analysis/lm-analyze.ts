// A language-model run's MLPs read for a list of output tokens at every layer (or one) and saved
// beside the run: analysis/lm-spectra.safetensors (per layer and token, every eigenvalue and the
// top-k eigenvectors) and analysis/lm-summary.json (per layer and token, the top-k eigenvalues, the
// faithfulness and the first eigenvector's top tokens), both carrying the weights' sha256 so that
// an analysis older than the weights is refused when read back (docs/language-models.md).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file';
import { readRegularFile, MAX_READ_BYTES } from '../util/regular-file';
import { readSafetensors, writeSafetensorsAtomic, type NamedTensor } from '../util/safetensors';
import { parseJsonText } from '../util/json-text';
import type { RunConfig } from '../train/lm-config';
import { gateInfo } from '../nn/gates';
import { RUN_FILES, RunFileError } from '../train/run-files';
import type { LmFaithfulness, LmTokenProjection } from './lm-atlas-types';
import { requireLayer } from './lm-interaction';
import { spectrumOf, topTokensOf } from './lm-reading';
import { directionOf, loadLmRead, loadLmValidation, type LmRead, type LmValidation } from './lm-source';

export const LM_ANALYSIS_FORMAT = 'sqs-workbench.lm-analysis.v1';
export const LM_ANALYSIS_FILES = { spectra: 'analysis/lm-spectra.safetensors', summary: 'analysis/lm-summary.json' } as const;
/** Output tokens read when none are named: the most frequent word tokens (▁…) of the validation positions. */
export const LM_DEFAULT_TOKEN_COUNT = 8;
/** Tokens listed for the first eigenvector's positive side. */
const TOP_TOKENS = 10;

export interface LmAnalysisToken {
  token: string;
  id: number;
  /** the top-k eigenvalues, by |λ| descending */
  eigenvalues: number[];
  faithfulness: LmFaithfulness;
  /** the first eigenvector's positive side, through the direct path (normalised embeddings) */
  top_tokens: LmTokenProjection[];
}

export interface LmAnalysisSummary {
  format: typeof LM_ANALYSIS_FORMAT;
  run_dir: string;
  weights_sha256: string;
  gate: string;
  exact: boolean;
  d_model: number;
  top_k: number;
  /** validation positions the faithfulness is measured over */
  positions: number;
  /** how the tokens were chosen: 'given', or the default (most frequent word tokens of the validation positions) */
  tokens_from: 'given' | 'frequent';
  seconds: number;
  layers: { layer: number; tokens: LmAnalysisToken[] }[];
}

export interface LmAnalyzeOptions {
  /** one layer; every layer when absent */
  layer?: number;
  /** tokens as typed; the most frequent word tokens when absent */
  tokens?: readonly string[];
  topK: number;
  cacheDir: string;
}

export function weightsSha256(dir: string): string {
  return createHash('sha256').update(readRegularFile(join(dir, RUN_FILES.weights), MAX_READ_BYTES, 'a weights file')).digest('hex');
}

/** The `count` most frequent tokens that start a word (▁…) over the validation positions; ties by id. */
export function frequentTokens(run: LmRead, val: LmValidation, count: number): number[] {
  const counts = new Map<number, number>();
  for (let p = 0; p < val.acts.positions; p++) counts.set(val.valid[p], (counts.get(val.valid[p]) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([id]) => (run.tokenizer.idToToken(id) ?? '').startsWith('▁'))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, count)
    .map(([id]) => id);
}

/** Reads the run and writes both files (each atomically, the summary last). */
export async function analyzeLmRun(dir: string, config: RunConfig, o: LmAnalyzeOptions): Promise<LmAnalysisSummary> {
  const started = performance.now();
  const sha = weightsSha256(dir);
  const run = loadLmRead(dir, config);
  const { dims } = run.model;
  if (o.layer !== undefined) requireLayer(o.layer, dims);
  const topK = Math.min(o.topK, dims.dModel);
  // resolve every token before the activations are computed: a typo is refused at once
  const given = o.tokens ? await Promise.all(o.tokens.map((t) => directionOf(run, t))) : null;
  const val = await loadLmValidation(run, o.cacheDir);
  const directions = given ?? (await Promise.all(frequentTokens(run, val, LM_DEFAULT_TOKEN_COUNT).map((id) => directionOf(run, run.tokenizer.idToToken(id)!))));
  const layers = o.layer !== undefined ? [o.layer] : Array.from({ length: dims.layers }, (_, l) => l);
  const tensors: NamedTensor[] = [];
  const summaryLayers = layers.map((layer) => ({
    layer,
    tokens: directions.map((dir): LmAnalysisToken => {
      const s = spectrumOf(run, val.acts, layer, dir, 0);
      const d = s.eigen.n;
      const id = dir.direction.kind === 'token' ? dir.direction.token.id : -1;
      const name = dir.direction.kind === 'token' ? dir.direction.token.token : dir.direction.spec;
      const key = dir.direction.kind === 'token' ? `token.${id}` : `direction.${encodeURIComponent(dir.direction.spec)}`;
      tensors.push(
        { name: `layer.${layer}.${key}.eigenvalues`, shape: [d], data: Float32Array.from(s.eigen.values) },
        { name: `layer.${layer}.${key}.eigenvectors`, shape: [topK, d], data: Float32Array.from(s.eigen.vectors.subarray(0, topK * d)) },
      );
      return {
        token: name,
        id,
        eigenvalues: Array.from(s.eigen.values.subarray(0, topK)),
        faithfulness: s.spectrum.faithfulness,
        top_tokens: topTokensOf(run, layer, s.eigen.vectors.subarray(0, d), TOP_TOKENS).positive,
      };
    }),
  }));
  const summary: LmAnalysisSummary = {
    format: LM_ANALYSIS_FORMAT,
    run_dir: dir,
    weights_sha256: sha,
    gate: run.config.gate,
    exact: gateInfo(run.config.gate).exact,
    d_model: dims.dModel,
    top_k: topK,
    positions: val.acts.positions,
    tokens_from: given ? 'given' : 'frequent',
    seconds: (performance.now() - started) / 1000,
    layers: summaryLayers,
  };
  mkdirSync(join(dir, 'analysis'), { recursive: true });
  writeSafetensorsAtomic(join(dir, LM_ANALYSIS_FILES.spectra), tensors, { format: LM_ANALYSIS_FORMAT, weights_sha256: sha, top_k: String(topK) });
  writeFileAtomic(join(dir, LM_ANALYSIS_FILES.summary), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}

/** The saved analysis of a run folder; refused when it is missing, damaged or older than the weights. */
export function readLmAnalysis(dir: string): LmAnalysisSummary {
  const file = join(dir, LM_ANALYSIS_FILES.summary);
  const spectra = join(dir, LM_ANALYSIS_FILES.spectra);
  if (!existsSync(file) || !existsSync(spectra)) throw new RunFileError(`${dir}: no language-model analysis (run 'sqs-workbench analyze ${dir}')`);
  const parsed = parseJsonText(readRegularFile(file, 256 * 2 ** 20, 'an analysis summary').toString('utf8'));
  if (!parsed.ok) throw new RunFileError(`${file}: ${parsed.problem}; analyse the run again`);
  const summary = parsed.value as LmAnalysisSummary;
  if (summary?.format !== LM_ANALYSIS_FORMAT) throw new RunFileError(`${file}: not a language-model analysis (${LM_ANALYSIS_FORMAT}); analyse the run again`);
  const sha = weightsSha256(dir);
  const saved = readSafetensors(spectra).metadata.weights_sha256;
  if (summary.weights_sha256 !== sha || saved !== sha) {
    throw new RunFileError(`${file}: the analysis is older than the weights (it read weights ${String(summary.weights_sha256).slice(0, 12)}…, the run now has ${sha.slice(0, 12)}…); analyse the run again`);
  }
  return summary;
}
