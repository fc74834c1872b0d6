// The executor's rules, as the api, the command line and the New sweep form apply them.
import { describe, expect, it } from 'vitest';
import { ExecutorSchema, slurmSeconds } from '../../src-main/common/executor';
import { formatIssues } from '../../src-main/common/rules';
import { batchScript, parsePartitions, parseQueue } from '../../src-main/jobs/slurm';
import { splitExecutorArgs } from '../../src-main/hosts/cli/executor-args';

const problem = (input: unknown) => {
  const r = ExecutorSchema.safeParse(input);
  return r.success ? null : formatIssues(r.error);
};

describe('the executor', () => {
  it('takes Slurm time limits in every form sbatch takes, and counts their seconds', () => {
    const cases: [string, number][] = [['90', 5400], ['5:30', 330], ['02:00:00', 7200], ['1-0', 86_400], ['1-2:3', 93_780], ['2-03:04:05', 183_845]];
    for (const [t, s] of cases) {
      expect(problem({ kind: 'slurm', time: t }), t).toBeNull();
      expect(slurmSeconds(t), t).toBe(s);
    }
    for (const t of ['1:2:3:4', '10:60:00', 'two hours', '-5', '']) expect(problem({ kind: 'slurm', time: t }), t).toMatch(/is not a Slurm time limit: write HH:MM:SS/);
  });

  it('refuses a bad partition, memory, count or sbatch option, naming the field', () => {
    expect(problem({ kind: 'slurm', partition: 'gpu;rm -rf' })).toBe("partition: 'gpu;rm -rf' is not a partition name (letters, digits, _ . -)");
    expect(problem({ kind: 'slurm', mem: '16 GB' })).toBe("mem: '16 GB' is not an amount of memory (e.g. 4000, 16G)");
    expect(problem({ kind: 'slurm', cpusPerTask: 0 })).toMatch(/^cpusPerTask: 0 is out of range/);
    expect(problem({ kind: 'slurm', sbatchArgs: ['--account=lab', 'rm'] })).toBe("sbatchArgs.1: 'rm' is not an sbatch option of the form --name or --name=value");
    expect(problem({ kind: 'pbs' })).toMatch(/'pbs' is not one of local, slurm/);
    expect(problem({ kind: 'local', partition: 'x' })).toMatch(/partition/);
  });

  it('reads flags on the command line into the same object, and refuses them in the same words', () => {
    expect(splitExecutorArgs(['--epochs', '2', '--executor', 'slurm', '--partition=debug', '--max-parallel', '3', '--sbatch-arg=--qos=short', '--sbatch-arg', '--account=lab'])).toEqual({
      executor: { kind: 'slurm', partition: 'debug', maxParallel: 3, sbatchArgs: ['--qos=short', '--account=lab'] },
      rest: ['--epochs', '2'],
    });
    expect(splitExecutorArgs(['--epochs', '2'])).toEqual({ executor: null, rest: ['--epochs', '2'] });
    expect(() => splitExecutorArgs(['--executor', 'slurm', '--time', '1h'])).toThrow("--time: '1h' is not a Slurm time limit");
    expect(() => splitExecutorArgs(['--partition', 'gpu'])).toThrow('--partition: needs --executor slurm');
  });
});

describe('what Slurm prints', () => {
  it('sinfo partitions, the default starred', () => {
    expect(parsePartitions('debug*|up|1|0/2/0/2|infinite\ngpu|up|4|8/24/0/32|2-00:00:00\n')).toEqual([
      { name: 'debug', default: true, state: 'up', nodes: 1, cpus: 2, timeLimit: 'infinite' },
      { name: 'gpu', default: false, state: 'up', nodes: 4, cpus: 32, timeLimit: '2-00:00:00' },
    ]);
  });

  it('squeue array tasks with their state, reason and node', () => {
    const q = parseQueue('7|1|PENDING|JobArrayTaskLimit|\n7|0|RUNNING|None|node3\n8|N/A|PENDING|Priority|\n');
    expect([...q.values()]).toEqual([
      { job: '7_1', state: 'PENDING', reason: 'JobArrayTaskLimit', node: null },
      { job: '7_0', state: 'RUNNING', reason: null, node: 'node3' },
    ]);
  });

  it('a batch script that trains the i-th folder in task i, with the options as #SBATCH lines', () => {
    const s = batchScript({ command: ['/usr/bin/node', "/opt/it's/bin/sqs-workbench.mjs"], dirs: ['/ws/runs/1', '/ws/runs/2'], name: 'sweep gate×seed', logDir: '/ws/slurm', executor: { kind: 'slurm', time: '1:00:00', gpusPerTask: 1 } });
    expect(s).toContain('#SBATCH --output=/ws/slurm/%A_%a.log\n#SBATCH --time=1:00:00\n#SBATCH --cpus-per-task=1\n#SBATCH --gpus-per-task=1\n');
    expect(s).toContain("dirs=('/ws/runs/1' '/ws/runs/2')\ndir=${dirs[$SLURM_ARRAY_TASK_ID]}\nexec '/usr/bin/node' '/opt/it'\\''s/bin/sqs-workbench.mjs' run-task \"$dir\"");
  });
});
