// `sqs-workbench run-task <run folder>`: what each task of a Slurm job array runs on its compute
// node (not listed in --help: the workbench writes it into the batch script). It trains the folder
// from its last checkpoint and writes only there; SIGTERM (scancel, the time limit) stops it at
// the next step with its checkpoint kept.
// Exit codes: 0 completed, 1 failed, 3 diverged, 130 interrupted.
import { trainTaskFolder } from '../../api/run-folders';
import { withStopSignal } from './connect';
import { UsageError } from './usage';

const EXIT = { completed: 0, failed: 1, diverged: 3, interrupted: 130, running: 1 } as const;

export async function runTaskCommand(argv: string[]): Promise<number> {
  if (argv.length !== 1 || argv[0].startsWith('-')) throw new UsageError('usage: sqs-workbench run-task <run folder>   (run by a Slurm task; see docs/slurm.md)');
  const status = await withStopSignal((signal) => trainTaskFolder(argv[0], { signal, log: (line) => process.stderr.write(line + '\n') }));
  if (status.error) process.stderr.write(`${status.error}\n`);
  return EXIT[status.state];
}
