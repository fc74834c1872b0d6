// The Slurm commands the workbench uses, each run once per call with its output parsed here:
// sinfo (what is there), sbatch (one job array per submission), squeue (states and pending
// reasons), sacct (how a job ended, where accounting is enabled) and scancel.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../engine/util/atomic-file';
import type { SlurmExecutor, SlurmInfo } from '../common/executor';

const run = promisify(execFile);

export class SlurmError extends Error {
  override name = 'SlurmError';
}

/** A Slurm command's output; its one-line complaint (or "not found") as a SlurmError. */
async function slurm(cmd: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { timeout: 60_000, maxBuffer: 64 << 20, env: process.env });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new SlurmError(`${cmd} is not on the PATH: Slurm is not installed here (run on a login node of the cluster)`);
    const said = (err.stderr ?? '').trim().split('\n').filter(Boolean).at(-1) ?? err.message;
    throw new SlurmError(`${cmd} failed: ${said.replace(/^\w+: error: /, '')}`);
  }
}

/** What sinfo and sacct say: the partitions, and whether accounting answers. */
export async function detectSlurm(): Promise<SlurmInfo> {
  const none = (reason: string): SlurmInfo => ({ available: false, reason, version: null, cluster: null, partitions: [], accounting: false });
  let version: string;
  try {
    version = (await slurm('sinfo', ['--version'])).trim().replace(/^slurm(-wlm)?\s*/, '');
    await slurm('sbatch', ['--version']);
  } catch (e) {
    return none((e as Error).message);
  }
  let partitions: SlurmInfo['partitions'];
  try {
    partitions = parsePartitions(await slurm('sinfo', ['-h', '-o', '%P|%a|%D|%C|%l']));
  } catch (e) {
    return { ...none((e as Error).message), version };
  }
  const accounting = await slurm('sacct', ['-n', '-X', '-S', 'now-1minutes', '-o', 'JobID']).then(
    () => true,
    () => false,
  );
  let cluster: string | null = null;
  try {
    cluster = /^ClusterName\s*=\s*(\S+)/m.exec(await slurm('scontrol', ['show', 'config']))?.[1] ?? null;
  } catch {
    // the cluster's name is only shown
  }
  return { available: true, reason: null, version, cluster, partitions, accounting };
}

/** sinfo -o '%P|%a|%D|%C|%l': `debug*|up|1|0/2/0/2|infinite`; the default partition carries a star. */
export function parsePartitions(out: string): SlurmInfo['partitions'] {
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [p, state, nodes, cpus, time] = l.split('|');
      return { name: p.replace(/\*$/, ''), default: p.endsWith('*'), state, nodes: Number(nodes), cpus: Number(cpus.split('/').at(-1)), timeLimit: time };
    });
}

/** The sbatch options of an executor, each as one argument. */
export function sbatchOptions(x: SlurmExecutor): string[] {
  return [
    ...(x.partition ? [`--partition=${x.partition}`] : []),
    ...(x.time ? [`--time=${x.time}`] : []),
    `--cpus-per-task=${x.cpusPerTask ?? 1}`,
    ...(x.mem ? [`--mem=${x.mem}`] : []),
    ...(x.gpusPerTask ? [`--gpus-per-task=${x.gpusPerTask}`] : []),
    ...(x.sbatchArgs ?? []),
  ];
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The batch script of one job array: task i trains run folder `dirs[i]` with the installed
 * command line, and its output goes to the workspace's slurm/ folder (the task also logs into its
 * run folder, when it can see it).
 */
export function batchScript(o: { command: readonly string[]; dirs: readonly string[]; name: string; logDir: string; executor: SlurmExecutor }): string {
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${o.name.replace(/[^\w.-]/g, '_').slice(0, 64)}`,
    `#SBATCH --output=${join(o.logDir, '%A_%a.log')}`,
    ...sbatchOptions(o.executor).map((a) => `#SBATCH ${a}`),
    '# one run folder per task of the array',
    `dirs=(${o.dirs.map(shq).join(' ')})`,
    'dir=${dirs[$SLURM_ARRAY_TASK_ID]}',
    `exec ${o.command.map(shq).join(' ')} run-task "$dir"`,
    '',
  ];
  return lines.join('\n');
}

/**
 * Submits one job array over `dirs` and returns its job id; the script is kept in `logDir` beside
 * the tasks' logs. Tasks are numbered 0…n-1 in the order of `dirs`.
 */
export async function submitArray(o: { command: readonly string[]; dirs: readonly string[]; name: string; logDir: string; executor: SlurmExecutor }): Promise<string> {
  mkdirSync(o.logDir, { recursive: true });
  const script = join(o.logDir, `submit-${Date.now()}-${process.pid}.sh`);
  writeFileAtomic(script, batchScript(o));
  const cap = o.executor.maxParallel ? `%${o.executor.maxParallel}` : '';
  const out = await slurm('sbatch', ['--parsable', `--array=0-${o.dirs.length - 1}${cap}`, script]);
  const id = /^(\d+)/.exec(out.trim())?.[1];
  if (!id) throw new SlurmError(`sbatch answered '${out.trim()}' instead of a job id`);
  return id;
}

export interface QueuedTask {
  /** `<array job id>_<task index>` */
  job: string;
  state: string;
  reason: string | null;
  node: string | null;
}

/**
 * This user's jobs as squeue lists them, finished ones included while the controller still
 * remembers them (MinJobAge), one line per array task.
 */
export async function queuedTasks(): Promise<Map<string, QueuedTask>> {
  return parseQueue(await slurm('squeue', ['-h', '-r', '-t', 'all', `--user=${userInfo().username}`, '-o', '%F|%K|%T|%r|%N']));
}

export function parseQueue(out: string): Map<string, QueuedTask> {
  const tasks = new Map<string, QueuedTask>();
  for (const line of out.split('\n')) {
    const [array, index, state, reason, node] = line.trim().split('|');
    if (!state || !/^\d+$/.test(index ?? '')) continue;
    const job = `${array}_${index}`;
    tasks.set(job, { job, state, reason: reason && reason !== 'None' && reason !== '(null)' ? reason : null, node: node || null });
  }
  return tasks;
}

/** How each of the given tasks ended as sacct records it (TIMEOUT, NODE_FAIL, …); empty without accounting. */
export async function accountedStates(jobs: readonly string[]): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  if (jobs.length === 0) return states;
  let out: string;
  try {
    out = await slurm('sacct', ['-n', '-P', '-X', '-o', 'JobID,State', '-j', [...new Set(jobs.map((j) => j.split('_')[0]))].join(',')]);
  } catch {
    return states; // accounting disabled: the run folder's status file says how it ended
  }
  for (const line of out.split('\n')) {
    const [job, state] = line.trim().split('|');
    if (job && state) states.set(job, state.split(' ')[0]); // "CANCELLED by 0"
  }
  return states;
}

export async function cancelTasks(jobs: readonly string[]): Promise<void> {
  if (jobs.length > 0) await slurm('scancel', [...jobs]);
}
