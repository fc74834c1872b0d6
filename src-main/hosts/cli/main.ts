// The `sqs-workbench` command line.
import { DatasetError } from '../../engine/data/dataset';
import { ExecutionProviderError } from '../../engine/onnx/session';
import { RunDirError } from '../../engine/train/run';
import { RunFileError } from '../../engine/train/run-reader';
import { AnalysisError } from '../../engine/spectra/interaction';
import { analyzeCommand, compareFeaturesCommand } from './analyze-command';
import { benchCommand } from './bench-command';
import { reproduceCommand } from './reproduce-command';
import { trainCommand } from './train-command';
import { cancelCommand, resumeCommand, sweepCommand } from './sweep-command';
import { UsageError } from './train-args';

const HELP = `sqs-workbench: train and read gated linear units

usage:
  sqs-workbench train [flags]        train a GLU classifier (see: sqs-workbench train --help)
  sqs-workbench sweep --grid gate=bilinear,sqs --grid seed=0,1,2 [train flags] [--concurrency N] [--json]
  sqs-workbench resume <run>|--all   continue interrupted runs from their last checkpoint
  sqs-workbench cancel <run>         cancel a queued or running run
  sqs-workbench analyze <run_dir>    read a run's features from its weights (see: analyze --help)
  sqs-workbench compare-features <run_a> <run_b> [--top-k 32] [--json]
                                     match two runs' input-space eigenvectors by rank and by assignment
  sqs-workbench reproduce <dataset>  train, analyse and compare every gate over seeds (see: reproduce --help)
  sqs-workbench bench train [--json] time the training step against plain MatMuls of the same FLOPs
  sqs-workbench --help
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  train: trainCommand,
  analyze: analyzeCommand,
  'compare-features': compareFeaturesCommand,
  reproduce: reproduceCommand,
  sweep: sweepCommand,
  resume: resumeCommand,
  cancel: async (argv) => cancelCommand(argv),
  bench: benchCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`unknown command '${command}'; commands: ${Object.keys(COMMANDS).join(', ')} (see --help)\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof DatasetError || err instanceof ExecutionProviderError || err instanceof RunDirError || err instanceof RunFileError || err instanceof AnalysisError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
