// Reading a language-model run's MLPs from the command line: a run folder (or a workspace run's
// folder) analysed in-process and its analysis saved beside it, or read back. Like run-folders.ts,
// for the command line only, failing with the contract's errors.
import { join, resolve } from 'node:path';
import { isLmConfig } from '../engine/train/lm-config';
import { RUN_FILES } from '../engine/train/run-files';
import { parseJsonText } from '../engine/util/json-text';
import { readRegularFile } from '../engine/util/regular-file';
import { MAX_CONFIG_BYTES } from '../engine/train/run-reader';
import type { LmAnalysisSummary } from '../engine/analysis/lm-analyze';
import type { RunConfig } from '../engine/train/lm-config';
import { mapped } from './errors';

export type { LmAnalysisSummary, RunConfig };

/** Whether a run folder holds a language model (its config.json says family 'lm'); anything unreadable is left to the classifier's reader to refuse. */
export function isLmFolder(dir: string): boolean {
  try {
    // a regular file of a config's size only: a FIFO or a device must not block the reader
    const parsed = parseJsonText(readRegularFile(join(resolve(dir), RUN_FILES.config), MAX_CONFIG_BYTES, "a run's config.json").toString('utf8'));
    return parsed.ok && isLmConfig(parsed.value as object);
  } catch {
    return false;
  }
}

export interface LmFolderAnalyzeOptions {
  layer?: number;
  tokens?: readonly string[];
  topK: number;
  /** the workspace the run belongs to, whose cache holds its tokenised corpus; none: the user cache */
  workspaceDir?: string;
}

/** The config of a run folder, whichever family it is. */
export function folderConfig(dir: string): Promise<RunConfig> {
  return mapped(async () => {
    const { readRunConfig } = await import('../engine/train/run');
    const { checkTrainConfig } = await import('../common/train-config');
    return readRunConfig(resolve(dir), checkTrainConfig);
  });
}

/** Reads a language-model run folder's MLPs and writes analysis/lm-spectra.safetensors and analysis/lm-summary.json. */
export function analyzeLmFolder(dir: string, config: RunConfig, o: LmFolderAnalyzeOptions): Promise<LmAnalysisSummary> {
  return mapped(async () => {
    const { analyzeLmRun } = await import('../engine/analysis/lm-analyze');
    const { defaultCacheDir } = await import('../engine/util/app-files');
    const { cacheDirOf } = await import('../jobs/train-job');
    const cacheDir = o.workspaceDir !== undefined ? cacheDirOf({ dir: o.workspaceDir }) : defaultCacheDir();
    return analyzeLmRun(resolve(dir), config, { layer: o.layer, tokens: o.tokens, topK: o.topK, cacheDir });
  });
}

/** A run folder's saved language-model analysis, refused when older than its weights. */
export function readLmFolderAnalysis(dir: string): Promise<LmAnalysisSummary> {
  return mapped(async () => (await import('../engine/analysis/lm-analyze')).readLmAnalysis(resolve(dir)));
}
