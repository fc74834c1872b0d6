// Where a run trains: here, in this process's worker threads (local), or on a Slurm cluster as one
// task of a job array (slurm). Not part of a run's config (its results do not depend on it), so
// not in the field tables: the contract's train.start and sweep.start take it beside the config,
// and the command line's --executor flags build it. Checked here once, in the same words for the
// api, the command line and the New sweep form. Node-free: the renderer bundles it.
import { z } from './zod';
import { choice, quote, ruledNumber } from './rules';

export const EXECUTOR_KINDS = ['local', 'slurm'] as const;
export type ExecutorKind = (typeof EXECUTOR_KINDS)[number];

/** A partition's name as sinfo prints it. */
const Partition = z.string({ error: 'must be a partition name' }).regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: (i) => `${quote(i.input)} is not a partition name (letters, digits, _ . -)` });

/**
 * A time limit in one of Slurm's forms: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS;
 * minutes and seconds below 60.
 */
export const SLURM_TIME = /^(?:(\d{1,4})-(\d{1,2})(?::([0-5]?\d)(?::([0-5]?\d))?)?|(\d{1,2}):([0-5]?\d):([0-5]?\d)|(\d{1,6})(?::([0-5]?\d))?)$/;
const SlurmTime = z.string({ error: 'must be a time limit' }).regex(SLURM_TIME, { error: (i) => `${quote(i.input)} is not a Slurm time limit: write HH:MM:SS, MM, MM:SS or D-HH:MM:SS` });

/** Seconds in a Slurm time limit (one SLURM_TIME matches). */
export function slurmSeconds(time: string): number {
  const m = SLURM_TIME.exec(time);
  if (!m) throw new Error(`not a Slurm time limit: ${time}`);
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  if (m[1] !== undefined) return ((n(m[1]) * 24 + n(m[2])) * 60 + n(m[3])) * 60 + n(m[4]);
  if (m[5] !== undefined) return (n(m[5]) * 60 + n(m[6])) * 60 + n(m[7]);
  return n(m[8]) * 60 + n(m[9]);
}

/** Memory per node as sbatch --mem takes it: a number of megabytes, or one with K, M, G or T. */
const Memory = z.string({ error: 'must be an amount of memory' }).regex(/^[1-9]\d{0,8}[KMGT]?$/, { error: (i) => `${quote(i.input)} is not an amount of memory (e.g. 4000, 16G)` });

/** One more sbatch option, passed as it is: --account=lab, --qos=short, --constraint=a100. */
const SbatchArg = z.string({ error: 'must be an sbatch option' }).regex(/^--[a-z][a-z-]*(=[^\r\n\u0000]{1,500})?$/, { error: (i) => `${quote(i.input)} is not an sbatch option of the form --name or --name=value` });

export const SlurmExecutorSchema = z.strictObject({
  kind: z.literal('slurm'),
  /** default: the cluster's default partition */
  partition: Partition.optional(),
  /** each task's time limit; default: the partition's */
  time: SlurmTime.optional(),
  cpusPerTask: ruledNumber({ integer: true, min: 1, max: 1024 }).optional(),
  mem: Memory.optional(),
  /** GPUs per task; any GPU trains on the CUDA execution provider */
  gpusPerTask: ruledNumber({ integer: true, min: 0, max: 64 }).optional(),
  sbatchArgs: z.array(SbatchArg).max(32, { error: 'at most 32 sbatch options' }).optional(),
  /** at most this many of the array's tasks run at once (sbatch --array=…%K) */
  maxParallel: ruledNumber({ integer: true, min: 1, max: 10_000 }).optional(),
});
export type SlurmExecutor = z.output<typeof SlurmExecutorSchema>;

export const ExecutorSchema = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('local') }), SlurmExecutorSchema], {
  error: (i) => `kind: ${quote((i.input as { kind?: unknown } | undefined)?.kind)} is not one of ${EXECUTOR_KINDS.join(', ')}`,
});
export type Executor = z.output<typeof ExecutorSchema>;
export const ExecutorKindSchema = choice(EXECUTOR_KINDS);

/** What the workspace records of each run's executor (runs.executor): 'local', or the Slurm options as JSON. */
export const LOCAL: Executor = { kind: 'local' };

/** Slurm job states as squeue and sacct print them, and the run status each one means. */
export const SLURM_STATES = ['PENDING', 'RUNNING', 'COMPLETING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'SUSPENDED', 'REQUEUED', 'CONFIGURING', 'RESIZING', 'STOPPED'] as const;

/** What the workbench knows of Slurm on this machine (system.slurm), shown in Settings and New sweep. */
export interface SlurmInfo {
  /** sbatch is on the PATH and the controller answers */
  available: boolean;
  /** why not, when not */
  reason: string | null;
  version: string | null;
  cluster: string | null;
  partitions: { name: string; default: boolean; state: string; nodes: number; cpus: number; timeLimit: string }[];
  /** sacct answers (accounting enabled); without it, a run's own status file says how it ended */
  accounting: boolean;
}
