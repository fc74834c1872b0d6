// The flags that choose where runs train, shared by `train` and `sweep`: --executor slurm and the
// Slurm options. They are not config flags (the field tables'): they become the contract's
// `executor`, checked by its schema (common/executor.ts) in the same words as the api's.
import { ExecutorSchema, type Executor } from '../../common/executor';
import { formatIssues } from '../../common/rules';
import { UsageError } from './usage';

/** flag → the executor's key, and whether it takes a number */
const FLAGS = {
  executor: { key: 'kind', number: false },
  partition: { key: 'partition', number: false },
  time: { key: 'time', number: false },
  'cpus-per-task': { key: 'cpusPerTask', number: true },
  mem: { key: 'mem', number: false },
  'gpus-per-task': { key: 'gpusPerTask', number: true },
  'sbatch-arg': { key: 'sbatchArgs', number: false },
  'max-parallel': { key: 'maxParallel', number: true },
} as const;

export const EXECUTOR_HELP = `where the runs train:
  --executor local|slurm    local (default): here; slurm: one Slurm job array, a task per run (docs/slurm.md)
  --partition P             the Slurm partition (default: the cluster's default)
  --time HH:MM:SS           each task's time limit (also MM, MM:SS, D-HH:MM:SS)
  --cpus-per-task N         default 1
  --mem M                   memory per task: megabytes, or with K, M, G, T (16G)
  --gpus-per-task N         any GPU trains on the CUDA execution provider (--ep cuda)
  --sbatch-arg ARG          one more sbatch option, e.g. --sbatch-arg=--account=lab (repeatable)
  --max-parallel K          at most K tasks of the array at once (--array=…%K)
`;

/** Takes the executor flags out of `argv`; the executor is null when none was given (train here). */
export function splitExecutorArgs(argv: readonly string[]): { executor: Executor | null; rest: string[] } {
  const found: Record<string, unknown> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const name = flag.replace(/^--/, '') as keyof typeof FLAGS;
    if (!flag.startsWith('--') || !Object.hasOwn(FLAGS, name)) {
      rest.push(argv[i]);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name}: missing value`);
    const { key, number } = FLAGS[name];
    if (key === 'sbatchArgs') found.sbatchArgs = [...((found.sbatchArgs as string[]) ?? []), value];
    else if (key in found) throw new UsageError(`--${name}: given more than once`);
    else found[key] = number && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  if (Object.keys(found).length === 0) return { executor: null, rest };
  if (found.kind === undefined) throw new UsageError(`--${Object.keys(FLAGS).find((f) => FLAGS[f as keyof typeof FLAGS].key === Object.keys(found)[0])}: needs --executor slurm`);
  if (found.kind === 'local' && Object.keys(found).length > 1) throw new UsageError('--executor local: the Slurm flags (--partition, --time, …) need --executor slurm');
  const r = ExecutorSchema.safeParse(found);
  if (!r.success) throw new UsageError(formatIssues(r.error).replace(/^kind: /, '--executor: ').replace(/^(\w+): /, (_m, k: string) => `--${flagOf(k)}: `));
  return { executor: r.data.kind === 'local' ? null : r.data, rest };
}

const flagOf = (key: string) => Object.entries(FLAGS).find(([, v]) => v.key === key)?.[0] ?? key;
