// The workspace's record of runs trained on a Slurm cluster: the executor and job each was
// submitted with, its Slurm state as last seen, and the end the workbench ingested. Only the
// process that owns the workspace writes these (the tasks write their run folders alone).
import { hostName, type Workspace } from './workspace';
import type { RunStatus } from './runs';
import type { SlurmExecutor } from '../common/executor';

export interface SlurmRun {
  id: number;
  status: RunStatus;
  slurm_job: string;
  slurm_state: string | null;
  slurm_reason: string | null;
  executor_options: string | null;
  started_at: number | null;
  ended_at: number | null;
  steps_done: number;
}

const now = () => Date.now() / 1000;

/** Records the job each run was submitted as (task i of the array is runIds[i]); they wait as queued, owned by no local process. */
export function markSubmitted(ws: Workspace, runIds: readonly number[], arrayJob: string, executor: SlurmExecutor): void {
  const set = ws.db.prepare(
    `UPDATE runs SET executor = 'slurm', executor_options = ?, slurm_job = ?, slurm_state = 'PENDING', slurm_reason = NULL, status = 'queued', pid = NULL, host = ?, ended_at = NULL, error = NULL WHERE id = ?`,
  );
  ws.db.transaction(() => runIds.forEach((id, i) => set.run(JSON.stringify(executor), `${arrayJob}_${i}`, hostName(), id))).immediate();
}

/** Runs whose Slurm task has not been seen to end: queued, running, or cancelled while running and not stopped yet. */
export function activeSlurmRuns(ws: Workspace): SlurmRun[] {
  return ws.db
    .prepare(
      `SELECT id, status, slurm_job, slurm_state, slurm_reason, executor_options, started_at, ended_at, steps_done FROM runs
       WHERE executor = 'slurm' AND slurm_job IS NOT NULL AND (status IN ('queued', 'running') OR (status = 'cancelled' AND ended_at IS NULL)) ORDER BY id`,
    )
    .all() as SlurmRun[];
}

/**
 * The Slurm state of a task still queued or running; a task that started makes its run running.
 * Returns the run's status when it or the Slurm state or reason changed (null: nothing new).
 */
export function noteSlurmState(ws: Workspace, run: SlurmRun, state: string, reason: string | null, node: string | null, running: boolean): RunStatus | null {
  const seen = state !== run.slurm_state || reason !== run.slurm_reason;
  if (seen) ws.db.prepare(`UPDATE runs SET slurm_state = ?, slurm_reason = ? WHERE id = ? AND slurm_job = ?`).run(state, reason, run.id, run.slurm_job);
  const started = running && run.status === 'queued' && ws.db.prepare(`UPDATE runs SET status = 'running', started_at = coalesce(started_at, ?), host = coalesce(?, host) WHERE id = ? AND status = 'queued' AND slurm_job = ?`).run(now(), node, run.id, run.slurm_job).changes > 0;
  return started ? 'running' : seen ? run.status : null;
}

/** The end of a run's task `job`, as ingested; nothing changes if the run was submitted again meanwhile. */
export function finishSlurmRun(ws: Workspace, id: number, job: string, status: RunStatus, error: string | null, state: string): void {
  ws.db.prepare(`UPDATE runs SET status = ?, error = ?, slurm_state = ?, slurm_reason = NULL, ended_at = ?, pid = NULL WHERE id = ? AND slurm_job = ?`).run(status, error, state, now(), id, job);
}

/** The Slurm options a run was submitted with (null: it trains locally). */
export function slurmExecutorOf(ws: Workspace, id: number): SlurmExecutor | null {
  const row = ws.db.prepare(`SELECT executor, executor_options FROM runs WHERE id = ?`).get(id) as { executor: string; executor_options: string | null } | undefined;
  return row?.executor === 'slurm' && row.executor_options ? (JSON.parse(row.executor_options) as SlurmExecutor) : null;
}

export function slurmJobOf(ws: Workspace, id: number): string | null {
  return (ws.db.prepare(`SELECT slurm_job FROM runs WHERE id = ? AND executor = 'slurm'`).pluck().get(id) as string | null | undefined) ?? null;
}
