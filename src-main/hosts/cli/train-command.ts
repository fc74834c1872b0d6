// `sqs-workbench train`: flags in, a run out (in the workspace, or a standalone folder with
// --out); a progress bar for people, one JSON object for programs.
// Exit codes: 0 completed, 1 error, 2 bad flags, 3 diverged, 130 interrupted.
import { runJob } from '../../jobs/train-job';
import { runTraining, type RunResult } from '../../engine/train/run';
import { createRun } from '../../store/runs';
import { resolveWorkspaceDir } from '../../api/workspace-dir';
import { Workspace } from '../../store/workspace';
import { progressPrinter } from './progress';
import { parseTrainArgs, type TrainCliOptions } from './train-args';

export async function trainCommand(argv: string[]): Promise<number> {
  const parsed = parseTrainArgs(argv);
  if ('help' in parsed) {
    process.stdout.write(parsed.help);
    return 0;
  }
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const onEvent = !parsed.json || process.stderr.isTTY ? progressPrinter(process.stderr) : undefined;
    const result = parsed.out !== null ? await runTraining(parsed.config, parsed.out, { signal: abort.signal, onEvent }) : await trainInWorkspace(parsed, abort.signal, onEvent);
    return report(result, parsed.json);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function trainInWorkspace(o: TrainCliOptions, signal: AbortSignal, onEvent: ReturnType<typeof progressPrinter> | undefined): Promise<RunResult & { run_id: number }> {
  const ws = Workspace.open(resolveWorkspaceDir(o.workspace));
  try {
    const id = createRun(ws, { name: o.name ?? undefined, config: o.config, tags: o.tags });
    return await runJob(ws, id, { signal, onEvent });
  } finally {
    ws.close();
  }
}

/** Prints the result and returns the exit code. */
export function report(result: RunResult & { run_id?: number }, json: boolean): number {
  if (json) {
    const { run_dir, test_accuracy, test_loss, train_loss, epochs, steps, seconds, execution_provider, status, diverged_at_step, run_id } = result;
    const record = {
      run_dir,
      ...(run_id !== undefined ? { run_id } : {}),
      test_accuracy,
      test_loss,
      train_loss,
      epochs,
      steps,
      seconds,
      execution_provider,
      status,
      ...(diverged_at_step !== undefined ? { diverged_at_step } : {}),
    };
    process.stdout.write(JSON.stringify(record) + '\n');
  } else {
    const acc = result.test_accuracy === null ? 'n/a' : `${(100 * result.test_accuracy).toFixed(2)}%`;
    const where = result.run_id !== undefined ? `run ${result.run_id} in ${result.run_dir}` : `run in ${result.run_dir}`;
    process.stdout.write(`${result.status}: test accuracy ${acc} after ${result.epochs} epochs (${result.steps} steps, ${result.seconds.toFixed(1)} s); ${where}\n`);
  }
  if (result.status === 'diverged') {
    process.stderr.write(`training diverged at step ${result.diverged_at_step}: the loss or an update was not finite; the last good weights are in ${result.run_dir}\n`);
    return 3;
  }
  if (result.status === 'interrupted') {
    process.stderr.write(`interrupted after ${result.steps} steps; what was trained is in ${result.run_dir}\n`);
    return 130;
  }
  return 0;
}
