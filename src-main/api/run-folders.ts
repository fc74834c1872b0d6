// Standalone run folders, outside any workspace: training into a folder (`train --out`), analysing,
// comparing and exporting a folder, and the paper's comparison trained into folders. In-process
// calls for the command line only (never served over IPC or HTTP, which stay inside their
// workspace); they fail with the contract's errors, mapped in errors.ts like the service's.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeRun, DEFAULT_ANALYZE, writeAnalysis, type AnalysisSummary } from '../engine/analysis/analyze';
import { compareAtlases } from '../engine/analysis/atlas-compare';
import { analysisPaths } from '../engine/analysis/atlas-source';
import type { AtlasComparison } from '../engine/analysis/atlas-types';
import { REFERENCE_CONFIG, reproduce, type ReproduceOptions, type ReproduceResult } from '../engine/analysis/reproduce';
import type { TrainConfig } from '../engine/train/config';
import { runStamp, runTraining, type RunResult } from '../engine/train/run';
import { DEFAULT_ATLAS_COUNT, exportRunAtlas, type RunAtlasOptions, type RunAtlasResult } from '../export/atlas-run';
import { DEFAULT_DPI, MAX_DPI, MIN_DPI } from '../export/png';
import { reportTraining } from '../jobs/train-events';
import { ApiError, type ApiEvent } from '../shared/contract';
import { mapped } from './errors';

export interface FolderTrainOptions {
  signal?: AbortSignal;
  /** the training as the contract's events (runId 0: the run is in no workspace) */
  onEvent?: (e: ApiEvent) => void;
}

export function trainFolder(config: TrainConfig, outDir: string, o: FolderTrainOptions = {}): Promise<RunResult> {
  const onEvent = o.onEvent ? reportTraining(0, o.onEvent) : undefined;
  return mapped(() => runTraining(config, outDir, { signal: o.signal, onEvent }));
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
    const runDir = resolve(dir);
    const analysis = await analyzeRun(runDir, { ...DEFAULT_ANALYZE, topK: o.topK ?? DEFAULT_ANALYZE.topK, layer: o.layer ?? 0, maskVectors: o.masks ?? 0 });
    writeAnalysis(runDir, analysis);
    return analysis.summary;
  });
}

/** The summary a run folder's analysis saved. */
export function readAnalysisSummary(dir: string): Promise<AnalysisSummary> {
  return mapped(() => {
    const file = analysisPaths(resolve(dir)).summary;
    if (!existsSync(file)) throw new ApiError('conflict', `${file}: missing, the run has not been analysed`);
    return JSON.parse(readFileSync(file, 'utf8')) as AnalysisSummary;
  });
}

/** Two run folders' eigenvectors matched per class, by rank and by assignment. */
export function compareFolders(dirA: string, dirB: string, count: number): Promise<AtlasComparison> {
  return mapped(() => compareAtlases(resolve(dirA), resolve(dirB), count));
}

/** A run folder's atlas into a new folder (analysing the run first when it has no analysis). */
export function exportFolderAtlas(o: RunAtlasOptions): Promise<RunAtlasResult> {
  return mapped(() => exportRunAtlas(o));
}

export { DEFAULT_ATLAS_COUNT, DEFAULT_DPI, MAX_DPI, MIN_DPI, REFERENCE_CONFIG, type AnalysisSummary, type ReproduceResult, type RunResult };

/** runs/<date>-<time>-reproduce-<dataset>: where `reproduce` trains when no --out is given. */
export const defaultReproduceDir = (dataset: string): string => `runs/${runStamp()}-reproduce-${dataset.replace(/[^\w-]/g, '_')}`;

/** Every gate for every seed trained into `outDir`, analysed and compared. */
export function reproduceInFolders(o: Omit<ReproduceOptions, 'run'> & FolderTrainOptions): Promise<ReproduceResult> {
  const onEvent = o.onEvent ? reportTraining(0, o.onEvent) : undefined;
  return mapped(() => reproduce({ ...o, run: { signal: o.signal, onEvent } }));
}

/** Where a run folder keeps its analysis: for messages. */
export const analysisDir = (runDir: string): string => join(resolve(runDir), 'analysis');
