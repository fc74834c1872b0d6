// The service's side of the Slurm executor: what is checked before any run is created (sbatch
// here, the partition known, a GPU's execution provider), submission, cancel and resume through
// scancel and sbatch, and the watch that ingests the tasks' run folders into the workspace.
import { SlurmError, cancelTasks, detectSlurm } from '../jobs/slurm';
import { submitRuns } from '../jobs/slurm-submit';
import { SlurmWatch } from '../jobs/slurm-watch';
import { finishRun, type RunRow } from '../store/runs';
import { activeSlurmRuns, slurmExecutorOf } from '../store/slurm-runs';
import type { Workspace } from '../store/workspace';
import { ApiError, type ApiEvent } from '../common/contract';
import type { SlurmExecutor, SlurmInfo } from '../common/executor';
import type { RunConfig } from '../engine/train/lm-config';

export interface SlurmService {
  watch: SlurmWatch;
  /** Refuses, before anything is created, an executor this machine cannot submit to. */
  check(method: string, x: SlurmExecutor): Promise<void>;
  /** The config a run trains with on the cluster: the CUDA execution provider when it has GPUs. */
  configFor<C extends RunConfig>(c: C, x: SlurmExecutor): C;
  /** Submits created runs as one job array; a submission sbatch refuses leaves them failed, saying why. */
  submit(ids: readonly number[], x: SlurmExecutor, name: string): Promise<string>;
  /** scancel; the watch records the end. A pending task is gone at once. */
  cancel(run: RunRow): Promise<void>;
  /** Submits a stopped run again; its task continues from the last checkpoint. */
  resume(run: RunRow): Promise<string>;
  info(): Promise<SlurmInfo>;
  /** Opens (or switches to) a workspace: ingests what finished while no workbench watched it. */
  opened(): void;
}

export function createSlurmService(o: { workspace: () => Workspace; emit: (e: ApiEvent) => void }): SlurmService {
  const watch = new SlurmWatch({ workspace: o.workspace, emit: o.emit, intervalMs: Number(process.env.SQS_SLURM_POLL_MS) || 2000 });
  const unavailable = (e: unknown) => (e instanceof SlurmError ? new ApiError('unavailable', e.message) : e);

  async function check(method: string, x: SlurmExecutor): Promise<void> {
    const info = await detectSlurm();
    if (!info.available) throw new ApiError('unavailable', `${method}: executor slurm: ${info.reason}`);
    const names = info.partitions.map((p) => p.name);
    if (x.partition !== undefined && !names.includes(x.partition)) throw new ApiError('bad_request', `${method}: executor.partition: '${x.partition}' is not a partition of this cluster; partitions: ${names.join(', ')}`);
  }

  async function submit(ids: readonly number[], x: SlurmExecutor, name: string): Promise<string> {
    const ws = o.workspace();
    try {
      const job = await submitRuns(ws, ids, x, name);
      watch.track(ids);
      return job;
    } catch (e) {
      const why = (unavailable(ws.problem(e)) as Error).message;
      for (const id of ids) finishRun(ws, id, 'failed', `not submitted to Slurm: ${why}`);
      for (const id of ids) o.emit({ type: 'status', runId: id, status: 'failed', error: why });
      throw unavailable(ws.problem(e));
    }
  }

  return {
    watch,
    check,
    configFor: (c, x) => (x.gpusPerTask ? { ...c, ep: 'cuda' } : c),
    submit,
    async cancel(run) {
      if (!run.slurm_job) return;
      try {
        await cancelTasks([run.slurm_job]);
      } catch (e) {
        throw unavailable(e);
      }
      watch.start();
    },
    async resume(run) {
      const x = slurmExecutorOf(o.workspace(), run.id);
      if (!x) throw new ApiError('internal', `run ${run.id} has no Slurm options recorded`);
      if (run.status === 'cancelled' && run.ended_at === null) throw new ApiError('conflict', `run ${run.id} is still stopping after its cancel; resume it once it has stopped`);
      await check('runs.resume', x);
      // queued again only once submitted (markSubmitted), so that no pass of the watch settles the old job in between
      return submit([run.id], x, run.name);
    },
    info: detectSlurm,
    opened() {
      if (activeSlurmRuns(o.workspace()).length === 0) return;
      watch.start();
      void watch.poll();
    },
  };
}
