// Standalone run folders, outside any workspace: training into a folder (`train --out`), analysing,
// comparing and exporting a folder, and the paper's comparison trained into folders. In-process
// calls for the command line only (never served over IPC or HTTP, which stay inside their
// workspace); they fail with the contract's errors, mapped in errors.ts like the service's.
// Each call loads the engine and exporters it needs when it runs, so that a command's --help does not.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AnalysisSummary } from '../engine/analysis/analyze';
import type { AtlasComparison } from '../engine/analysis/atlas-types';
import type { ReproduceOptions, ReproduceResult } from '../engine/analysis/reproduce';
import type { RunConfig } from '../engine/train/lm-config';
import type { AnyRunResult, RunResult } from '../engine/train/run';
import type { LmRunResult } from '../engine/train/lm-run';
import type { RunAtlasOptions, RunAtlasResult } from '../export/atlas-run';
import { parseJsonText } from '../engine/util/json-text';
import { reportTraining } from '../jobs/train-events';
import { ApiError, type ApiEvent, type TrainConfig } from '../common/contract';
import type { TrainConfigPatch } from '../common/train-config';
import { mapped } from './errors';

export type { AnalysisSummary, AnyRunResult, LmRunResult, ReproduceResult, RunResult };
export { REFERENCE_CONFIG } from '../engine/train/config';

/** runs/<date>-<time>-reproduce-<dataset>, UTC: where `reproduce` trains when no --out is given. */
export function defaultReproduceDir(dataset: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `runs/${stamp}-reproduce-${dataset.replace(/[^\w-]/g, '_')}`;
}

export interface FolderTrainOptions {
  signal?: AbortSignal;
  /** the training as the contract's events (runId 0: the run is in no workspace) */
  onEvent?: (e: ApiEvent) => void;
}

export function trainFolder(config: RunConfig, outDir: string, o: FolderTrainOptions = {}): Promise<AnyRunResult> {
  const onEvent = o.onEvent ? reportTraining(0, o.onEvent) : undefined;
  return mapped(async () => {
    const { runTraining } = await import('../engine/train/run');
    return runTraining(config, outDir, { signal: o.signal, onEvent });
  });
}

export interface FolderAnalyzeOptions {
  topK?: number;
  layer?: number;
  /** top positive eigenvectors behind each class's adversarial mask; 0: none */
  masks?: number;
}

/** Analyses a run folder and saves the analysis in it (analysis/). */
export function analyzeFolder(dir: string, o: FolderAnalyzeOptions = {}): Promise<AnalysisSummary> {
  return mapped(async () => {
    const { analyzeRun, DEFAULT_ANALYZE, writeAnalysis } = await import('../engine/analysis/analyze');
    const runDir = resolve(dir);
    const analysis = await analyzeRun(runDir, { ...DEFAULT_ANALYZE, topK: o.topK ?? DEFAULT_ANALYZE.topK, layer: o.layer ?? 0, maskVectors: o.masks ?? 0 });
    writeAnalysis(runDir, analysis);
    return analysis.summary;
  });
}

/** The summary a run folder's analysis saved. */
export function readAnalysisSummary(dir: string): Promise<AnalysisSummary> {
  return mapped(async () => {
    const { analysisPaths } = await import('../engine/analysis/atlas-source');
    const file = analysisPaths(resolve(dir)).summary;
    if (!existsSync(file)) throw new ApiError('conflict', `${file}: missing, the run has not been analysed`);
    const parsed = parseJsonText(readFileSync(file, 'utf8'));
    if (!parsed.ok) throw new ApiError('conflict', `${file}: ${parsed.problem}; analyse the run again`);
    return parsed.value as AnalysisSummary;
  });
}

/** Two run folders' eigenvectors matched per class, by rank and by assignment. */
export function compareFolders(dirA: string, dirB: string, count: number): Promise<AtlasComparison> {
  return mapped(async () => {
    const { compareAtlases } = await import('../engine/analysis/atlas-compare');
    return compareAtlases(resolve(dirA), resolve(dirB), count);
  });
}

/** A run folder's atlas into a new folder (analysing the run first when it has no analysis). */
export function exportFolderAtlas(o: RunAtlasOptions): Promise<RunAtlasResult> {
  return mapped(async () => (await import('../export/atlas-run')).exportRunAtlas(o));
}

/** Every gate for every seed trained into `outDir`, analysed and compared. */
export function reproduceInFolders(o: Omit<ReproduceOptions, 'run'> & FolderTrainOptions): Promise<ReproduceResult> {
  const onEvent = o.onEvent ? reportTraining(0, o.onEvent) : undefined;
  return mapped(async () => (await import('../engine/analysis/reproduce')).reproduce({ ...o, run: { signal: o.signal, onEvent } }));
}

/** Text sampled from a language-model run folder's latest weights. */
export function generateInFolder(dir: string, prompt: string, o: { maxTokens: number; temperature: number; topK: number; seed: number }): Promise<{ prompt: string; text: string; tokens: number; seed: number }> {
  return mapped(async () => {
    const { generateText } = await import('../engine/train/lm-generate');
    const { readRunConfig } = await import('../engine/train/run');
    const { checkTrainConfig } = await import('../common/train-config');
    const runDir = resolve(dir);
    return generateText(runDir, readRunConfig(runDir, checkTrainConfig), prompt, o);
  });
}

/**
 * Trains one run folder of a workspace as a Slurm task on a compute node (`run-task`), without
 * opening the workspace's database: the workbench that owns it ingests the folder.
 */
export function trainTaskFolder(dir: string, o: { signal?: AbortSignal; log?: (line: string) => void } = {}): Promise<import('../jobs/slurm-task').TaskStatus> {
  return mapped(async () => (await import('../jobs/slurm-task')).runTask(dir, o));
}

/**
 * A run folder from weights trained in another framework: `map` is a preset's name or a
 * mapping.json's path, `config` our config's fields (gate, its parameters, dataset) as a patch.
 */
export function importModelFolder(o: { weights: string; map: string; config: TrainConfigPatch; outDir: string }): Promise<{ run_dir: string; test_accuracy: number; config: TrainConfig }> {
  return mapped(async () => {
    const { MAPPING_PRESETS, mappingFromJson } = await import('../engine/train/foreign-weights');
    const { importModel } = await import('../engine/train/import-model');
    const { DEFAULT_CONFIG } = await import('../engine/train/config');
    const { applyConfigPatch } = await import('../common/train-config');
    let mapping = MAPPING_PRESETS[o.map];
    if (!mapping) {
      if (!existsSync(o.map)) throw new ApiError('bad_request', `--map: '${o.map}' is neither a preset (${Object.keys(MAPPING_PRESETS).join(', ')}) nor a mapping file`);
      const parsed = parseJsonText(readFileSync(o.map, 'utf8'));
      if (!parsed.ok) throw new ApiError('bad_request', `${o.map}: ${parsed.problem}`);
      mapping = mappingFromJson(parsed.value, o.map);
    }
    return importModel(resolve(o.weights), mapping, applyConfigPatch(DEFAULT_CONFIG, o.config), o.outDir);
  });
}
