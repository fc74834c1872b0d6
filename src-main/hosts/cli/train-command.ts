// `sqs-workbench train`: flags in, a run folder out; a progress bar for people, one JSON object
// for programs. Exit codes: 0 completed, 1 error, 2 bad flags, 3 diverged, 130 interrupted.
import { runTraining, defaultRunDir } from '../../engine/train/run';
import { progressPrinter } from './progress';
import { parseTrainArgs } from './train-args';

export async function trainCommand(argv: string[]): Promise<number> {
  const parsed = parseTrainArgs(argv);
  if ('help' in parsed) {
    process.stdout.write(parsed.help);
    return 0;
  }
  const { config, json } = parsed;
  const out = parsed.out ?? defaultRunDir(config);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const showProgress = !json || process.stderr.isTTY;
    const result = await runTraining(config, out, {
      signal: abort.signal,
      onEvent: showProgress ? progressPrinter(process.stderr) : undefined,
    });
    if (json) {
      const { run_dir, test_accuracy, test_loss, train_loss, epochs, steps, seconds, execution_provider, status, diverged_at_step } = result;
      const record = { run_dir, test_accuracy, test_loss, train_loss, epochs, steps, seconds, execution_provider, status, ...(diverged_at_step !== undefined ? { diverged_at_step } : {}) };
      process.stdout.write(JSON.stringify(record) + '\n');
    } else {
      const acc = result.test_accuracy === null ? 'n/a' : `${(100 * result.test_accuracy).toFixed(2)}%`;
      process.stdout.write(`${result.status}: test accuracy ${acc} after ${result.epochs} epochs (${result.steps} steps, ${result.seconds.toFixed(1)} s); run in ${result.run_dir}\n`);
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
  } finally {
    process.off('SIGINT', onSigint);
  }
}
