// Follows the workspace's runs on Slurm and ingests what their tasks leave in their run folders:
// each pass asks squeue once for every task (sacct, where accounting is enabled, for tasks it no
// longer lists), records new evaluations from metrics.jsonl, and settles a run whose task ended
// from its task.json and run.json. Every step is idempotent, so a workbench opened again after
// hours ingests what finished meanwhile, and two passes never record anything twice.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readMetrics, readSummary, RUN_FILES } from '../engine/train/run-files';
import type { AnyMetricRecord } from '../engine/train/metric-record';
import { recordArtifacts } from '../store/artifacts';
import { recordMetrics, type RunStatus } from '../store/runs';
import { activeSlurmRuns, finishSlurmRun, noteSlurmState, type SlurmRun } from '../store/slurm-runs';
import type { Workspace } from '../store/workspace';
import { slurmSeconds, type SlurmExecutor } from '../common/executor';
import type { ApiEvent } from '../common/contract';
import { accountedStates, queuedTasks, type QueuedTask } from './slurm';
import { readTaskStatus, TASK_FILES } from './slurm-task';

/** Squeue states of a task that waits, and of one that has a node. */
const WAITING = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESV_DEL_HOLD', 'SPECIAL_EXIT']);
const ON_NODE = new Set(['RUNNING', 'COMPLETING', 'CONFIGURING', 'SUSPENDED', 'STOPPED', 'RESIZING', 'SIGNALING', 'STAGE_OUT']);

export interface SlurmWatchOptions {
  workspace: () => Workspace;
  emit: (e: ApiEvent) => void;
  /** between passes; default 2 s */
  intervalMs?: number;
}

export class SlurmWatch {
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> = Promise.resolve();
  /** runs whose end this process waits for (idle), as submitted or resumed here */
  private awaited = new Set<number>();

  constructor(private readonly opts: SlurmWatchOptions) {}

  private get interval(): number {
    return this.opts.intervalMs ?? 2000;
  }

  /** Polls in the background while the workspace has runs on Slurm. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll().catch(() => {}), this.interval);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.awaited.clear();
  }

  /** Runs this process waits for in idle(). */
  track(ids: readonly number[]): void {
    ids.forEach((id) => this.awaited.add(id));
    this.start();
  }

  busy(): boolean {
    return this.awaited.size > 0;
  }

  /** Resolves once every run tracked here has ended (or been deleted). */
  async idle(): Promise<void> {
    while (this.awaited.size > 0) {
      await this.poll();
      if (this.awaited.size > 0) await new Promise((r) => setTimeout(r, this.interval));
    }
  }

  /** One pass over every active Slurm run of the workspace; passes never overlap. */
  poll(): Promise<void> {
    this.pass = this.pass.then(() => this.once()).catch(() => {});
    return this.pass;
  }

  private async once(): Promise<void> {
    const ws = this.opts.workspace();
    const active = activeSlurmRuns(ws);
    const ids = new Set(active.map((r) => r.id));
    for (const id of this.awaited) if (!ids.has(id)) this.awaited.delete(id);
    if (active.length === 0) return;
    let queue: Map<string, QueuedTask>;
    try {
      queue = await queuedTasks();
    } catch {
      // the controller does not answer: ingest the metrics, settle nothing
      for (const run of active) this.ingestMetrics(ws, run);
      return;
    }
    const gone = active.filter((r) => !queue.has(r.slurm_job));
    const accounted = await accountedStates(gone.map((r) => r.slurm_job));
    for (const run of active) {
      this.ingestMetrics(ws, run);
      const q = queue.get(run.slurm_job);
      if (q && (WAITING.has(q.state) || ON_NODE.has(q.state))) {
        // a new pending reason is news too: the runs table shows it
        const now = noteSlurmState(ws, run, q.state, q.reason, q.node, ON_NODE.has(q.state));
        if (now) this.opts.emit({ type: 'status', runId: run.id, status: now, error: null });
        continue;
      }
      const end = settle(ws, run, q?.state ?? accounted.get(run.slurm_job) ?? null);
      this.awaited.delete(run.id);
      this.opts.emit({ type: 'status', runId: run.id, status: end.status, error: end.error });
    }
  }

  /** Records the evaluations of the run's metrics.jsonl; those past what the workspace had are announced. */
  private ingestMetrics(ws: Workspace, run: SlurmRun): AnyMetricRecord[] {
    const records = readMetrics<AnyMetricRecord>(ws.runDir(run.id), Number.POSITIVE_INFINITY);
    recordMetrics(ws, run.id, records);
    for (const record of records) if (record.step > run.steps_done) this.opts.emit({ type: 'metrics', runId: run.id, record });
    return records;
  }
}

/** Clears what a previous task of the run left about its own end, before the run is submitted again. */
export function clearTaskStatus(dir: string): void {
  rmSync(join(dir, TASK_FILES.status), { force: true });
}

/**
 * Settles a run whose task Slurm no longer runs, from what the task wrote (task.json, run.json)
 * and the final Slurm state where one is known: the workspace then holds its every evaluation,
 * its files and its end, and a run that did not complete is resumable.
 */
export function settle(ws: Workspace, run: SlurmRun, slurmState: string | null): { status: RunStatus; error: string | null } {
  const dir = ws.runDir(run.id);
  const raw = readTaskStatus(dir);
  const task = raw && raw.slurm_job === run.slurm_job && raw.ended_at !== null ? raw : null;
  const resume = `'sqs-workbench resume ${run.id}' continues it from its last checkpoint`;
  let status: RunStatus;
  let error: string | null = null;
  let state: string;
  if (run.status === 'cancelled') {
    [status, state] = ['cancelled', 'CANCELLED'];
  } else if (task?.state === 'completed' || task?.state === 'diverged') {
    [status, state] = [task.state, slurmState ?? 'COMPLETED'];
  } else if (task?.state === 'failed') {
    [status, state, error] = ['failed', slurmState ?? 'FAILED', `${task.error}; ${resume}`];
  } else if (task?.state === 'interrupted') {
    const limit = run.executor_options ? (JSON.parse(run.executor_options) as SlurmExecutor).time : undefined;
    const timedOut = slurmState === 'TIMEOUT' || (slurmState === null && limit !== undefined && task.ended_at! - task.started_at >= slurmSeconds(limit) - 15);
    if (timedOut) [status, state, error] = ['interrupted', 'TIMEOUT', `stopped at its time limit (${limit ?? 'the partition\u2019s'}); ${resume}`];
    else [status, state, error] = ['cancelled', slurmState ?? 'CANCELLED', `stopped by Slurm (${task.signal ?? 'a signal'}: scancel or preemption outside the workbench); ${resume}`];
  } else {
    state = slurmState && slurmState !== 'COMPLETED' ? slurmState : 'FAILED';
    const log = join(ws.dir, 'slurm', `${run.slurm_job}.log`);
    const why = !existsSync(dir)
      ? `its run folder ${dir} is missing`
      : raw === null || raw.slurm_job !== run.slurm_job
        ? `the task never wrote ${TASK_FILES.status}: its node may not see or write the run folder (the workspace must be on a filesystem shared by the login and compute nodes); its Slurm log: ${log}`
        : `the task stopped without recording its end (killed, out of memory, its node failed or its time limit passed); its log: ${join(dir, TASK_FILES.log)}`;
    [status, error] = ['failed', `Slurm ${state}: ${why}; ${resume}`];
  }
  const summary = readSummary(dir);
  ws.db.transaction(() => {
    // a resumed run's evaluations past its checkpoint were trained again; a killed one's run.json still says running
    if (summary && summary.status !== 'running') ws.db.prepare(`DELETE FROM metrics WHERE run_id = ? AND step > ?`).run(run.id, summary.steps);
    const sha = datasetSha(dir);
    if (sha) ws.db.prepare(`UPDATE runs SET dataset_sha256 = ? WHERE id = ?`).run(sha, run.id);
    if (existsSync(dir)) recordArtifacts(ws, run.id, dir);
    finishSlurmRun(ws, run.id, run.slurm_job, status, error, state);
  }).immediate();
  return { status, error };
}

function datasetSha(dir: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(dir, RUN_FILES.config), 'utf8')) as { dataset_sha256?: string }).dataset_sha256 ?? null;
  } catch {
    return null;
  }
}
