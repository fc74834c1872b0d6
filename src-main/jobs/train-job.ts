// One training job against the workspace: the run's row follows the engine's progress (running,
// metrics per evaluation, final status), and a cancel written by another process is noticed
// within half a second.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resumeTraining, runTraining, type AnyRunResult } from '../engine/train/run';
import type { LmTrainEvent } from '../engine/train/lm-trainer';
import type { TrainEvent } from '../engine/train/trainer';
import { recordArtifacts } from '../store/artifacts';
import { finishRun, getRun, markRunning, recordMetrics, RESUMABLE, RESUMABLE_SQL, type RunStatus } from '../store/runs';
import { foreignFolder } from '../store/runs-folder';
import type { Workspace } from '../store/workspace';
import { checkTrainConfig } from '../common/train-config';

export interface JobOptions {
  /** intra-op threads for a run that starts here (a resumed run keeps its own) */
  threads?: number;
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent | LmTrainEvent) => void;
}

export type JobResult = AnyRunResult & {
  run_id: number;
  final_status: RunStatus;
};

/** A workspace's cache of tokenised corpora and trained tokenizers, shared by its language-model runs. */
export const cacheDirOf = (ws: Pick<Workspace, 'dir'>): string => join(ws.dir, 'cache');

export async function runJob(ws: Workspace, id: number, opts: JobOptions = {}): Promise<JobResult> {
  const run = getRun(ws, id);
  if (!RESUMABLE.includes(run.status)) throw new JobError(`run ${id} is ${run.status}; only ${RESUMABLE.join(', ')} runs can be trained`);
  if (run.executor === 'slurm') throw new JobError(`run ${id} trains on Slurm (job ${run.slurm_job}); 'sqs-workbench resume ${id}' submits it again`);
  const dir = ws.runDir(id);
  const foreign = foreignFolder(ws, run);
  if (foreign) throw new JobError(foreign);
  const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
  const abort = new AbortController();
  const stop = () => abort.abort();
  opts.signal?.addEventListener('abort', stop);
  let cancelled = false;
  let checked = 0;
  // claim the run atomically: two processes resuming it at once must not both train it
  const claim = ws.db.prepare(`UPDATE runs SET status = 'running' WHERE id = ? AND ${RESUMABLE_SQL}`);
  if (claim.run(id).changes === 0) throw new JobError(`run ${id} was taken by another process`);
  markRunning(ws, id);
  const statusOf = ws.db.prepare(`SELECT status FROM runs WHERE id = ?`).pluck();
  try {
    const runOpts = {
      threads: opts.threads,
      signal: abort.signal,
      onEvent: (e: TrainEvent | LmTrainEvent) => {
        opts.onEvent?.(e);
        if (e.type === 'step' && performance.now() - checked > 500) {
          checked = performance.now();
          if (statusOf.get(id) === 'cancelled') {
            cancelled = true;
            abort.abort();
          }
        }
      },
      onEpochEnd: (record: Parameters<typeof recordMetrics>[2][number]) => recordMetrics(ws, id, [record]),
      cacheDir: cacheDirOf(ws),
    };
    const result = fresh ? await runTraining(run.config, dir, runOpts) : await resumeTraining(dir, checkTrainConfig, runOpts);
    ws.db.prepare(`UPDATE runs SET dataset_sha256 = ? WHERE id = ?`).run(result.dataset_sha256, id);
    // metrics the resumed run recorded before its checkpoint may be replaced: drop any past it
    ws.db.prepare(`DELETE FROM metrics WHERE run_id = ? AND step > ?`).run(id, result.steps);
    recordArtifacts(ws, id, dir);
    const final: RunStatus = cancelled ? 'cancelled' : result.status;
    finishRun(ws, id, final);
    return { ...result, run_id: id, final_status: final };
  } catch (err) {
    const why = ws.problem(err); // a full disk or a damaged database, said in one line
    try {
      finishRun(ws, id, 'failed', (why as Error).message);
    } catch {
      // the workspace cannot record it either (the same full disk): the caller reports it
    }
    throw why;
  } finally {
    opts.signal?.removeEventListener('abort', stop);
  }
}

export class JobError extends Error {
  override name = 'JobError';
}
