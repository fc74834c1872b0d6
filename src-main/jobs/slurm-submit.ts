// Submitting runs of the workspace to Slurm: each run's folder gets its config (the compute node
// trains it from there, from its start or its last checkpoint), then one job array trains them
// all, task i the i-th run, and the job is recorded with the runs.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { prepareRunFolder } from '../engine/train/run';
import { APP_ROOT } from '../engine/util/app-files';
import { getRun } from '../store/runs';
import { markSubmitted } from '../store/slurm-runs';
import type { Workspace } from '../store/workspace';
import type { SlurmExecutor } from '../common/executor';
import { submitArray } from './slurm';
import { clearTaskStatus } from './slurm-watch';
import { cacheDirOf } from './train-job';

/** How a compute node runs this very installation's command line (on the filesystem it shares with the login node). */
export const taskCommand = (): string[] => [process.execPath, join(APP_ROOT, 'bin', 'sqs-workbench.mjs')];

/** Writes each run's folder (a run resumed keeps its own) and submits them as one job array; returns its job id. */
export async function submitRuns(ws: Workspace, runIds: readonly number[], executor: SlurmExecutor, name: string): Promise<string> {
  const dirs = [];
  for (const id of runIds) {
    const dir = ws.runDir(id);
    if (existsSync(dir) && readdirSync(dir).length > 0) clearTaskStatus(dir);
    else await prepareRunFolder(getRun(ws, id).config, dir, { cacheDir: cacheDirOf(ws) });
    dirs.push(dir);
  }
  const job = await submitArray({ command: taskCommand(), dirs, name, logDir: join(ws.dir, 'slurm'), executor });
  markSubmitted(ws, runIds, job, executor);
  return job;
}
