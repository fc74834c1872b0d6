// One task of a Slurm job array, on a compute node: trains one run folder of the workspace and
// writes nothing else. SQLite is never opened here (it is unsafe over network filesystems): the
// task leaves its progress in the folder (metrics.jsonl, run.json, checkpoints, weights), its
// own status in task.json (written atomically) and a log in task.log, and the workbench that owns
// the workspace ingests them (slurm-watch.ts).
import { accessSync, appendFileSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { resumeTraining } from '../engine/train/run';
import { writeFileAtomic } from '../engine/util/atomic-file';
import { checkTrainConfig } from '../common/train-config';

export const TASK_FILES = { status: 'task.json', log: 'task.log' } as const;

/** What task.json says: the task's own view of how it went, beside the engine's run.json. */
export interface TaskStatus {
  state: 'running' | 'completed' | 'diverged' | 'interrupted' | 'failed';
  error: string | null;
  /** `<array job id>_<task index>` */
  slurm_job: string | null;
  host: string;
  pid: number;
  started_at: number;
  ended_at: number | null;
  /** the signal that stopped it (SIGTERM: scancel or the time limit) */
  signal: string | null;
  steps: number | null;
}

export class TaskError extends Error {
  override name = 'TaskError';
}

const now = () => Date.now() / 1000;

/** The job of this task as Slurm names it in its environment; null outside Slurm. */
export function slurmJobOfThisTask(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID ? `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}` : (env.SLURM_JOB_ID ?? null);
}

/** The task.json of a run folder, or null when it has none (or none that can be read). */
export function readTaskStatus(dir: string): TaskStatus | null {
  try {
    const s = JSON.parse(readFileSync(join(dir, TASK_FILES.status), 'utf8')) as TaskStatus;
    return typeof s === 'object' && s !== null && typeof s.state === 'string' ? s : null;
  } catch {
    return null;
  }
}

/**
 * Trains the run folder `runDir` from its last checkpoint (from its start when it has none), and
 * returns the task's final status. A folder this node cannot see or write fails at once, saying so.
 */
export async function runTask(runDir: string, o: { signal?: AbortSignal; log?: (line: string) => void } = {}): Promise<TaskStatus> {
  const dir = resolve(runDir);
  const host = hostname();
  const shared = 'the workspace must be on a filesystem that the login node and the compute nodes share';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new TaskError(`run folder ${dir} is not visible on ${host}: ${shared}`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new TaskError(`run folder ${dir} cannot be written on ${host}: ${shared}, writable by the job's user`);
  }
  const status: TaskStatus = { state: 'running', error: null, slurm_job: slurmJobOfThisTask(), host, pid: process.pid, started_at: now(), ended_at: null, signal: null, steps: null };
  const write = () => writeFileAtomic(join(dir, TASK_FILES.status), JSON.stringify(status, null, 2) + '\n');
  const log = (line: string) => {
    const stamped = `${new Date().toISOString()} ${line}`;
    o.log?.(stamped);
    try {
      appendFileSync(join(dir, TASK_FILES.log), stamped + '\n');
    } catch {
      // the log is for people; the status file says what matters
    }
  };
  try {
    write();
  } catch (e) {
    throw new TaskError(`run folder ${dir} cannot be written on ${host} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): ${shared}, writable by the job's user`);
  }
  log(`task ${status.slurm_job ?? '(outside Slurm)'} on ${host}, pid ${process.pid}: training ${dir}`);
  let stoppedBy: string | null = null;
  const abort = new AbortController();
  const stop = (sig: NodeJS.Signals) => {
    stoppedBy = sig;
    log(`${sig}: stopping at the next step (scancel or the time limit)`);
    abort.abort();
  };
  o.signal?.addEventListener('abort', () => stop('SIGTERM'));
  try {
    const result = await resumeTraining(dir, checkTrainConfig, {
      signal: abort.signal,
      // a language model's corpus cache is the workspace's (runs/<id> lies two levels below it)
      cacheDir: join(dirname(dirname(dir)), 'cache'),
      onEpochEnd: (r) => log(`step ${r.step}: train loss ${r.train_loss.toFixed(4)}`),
    });
    Object.assign(status, { state: result.status, steps: result.steps, signal: stoppedBy });
    log(`${result.status} after ${result.steps} steps`);
  } catch (e) {
    Object.assign(status, { state: 'failed', error: `${(e as Error).message} (on ${host})`, signal: stoppedBy });
    log(`failed: ${(e as Error).message}`);
  }
  status.ended_at = now();
  write();
  return status;
}
