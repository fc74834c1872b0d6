// The `sqs-workbench` command line.
import { DatasetError } from '../../engine/data/dataset';
import { ExecutionProviderError } from '../../engine/onnx/session';
import { RunDirError } from '../../engine/train/run';
import { RunFileError } from '../../engine/train/run-reader';
import { AnalysisError } from '../../engine/analysis/interaction';
import { RunNotFoundError } from '../../store/runs';
import { QueryError } from '../../store/query';
import { RunEditError } from '../../store/run-edits';
import { WorkspaceError } from '../../store/workspace';
import { JobError } from '../../jobs/train-job';
import { analyzeCommand, compareFeaturesCommand } from './analyze-command';
import { benchCommand } from './bench-command';
import { reproduceCommand } from './reproduce-command';
import { runsCommand } from './runs-command';
import { serveCommand } from './serve-command';
import { exportCommand } from './export-command';
import { trainCommand } from './train-command';
import { cancelCommand, resumeCommand, sweepCommand } from './sweep-command';
import { UsageError } from './train-args';

const HELP = `sqs-workbench: train and read gated linear units

usage:
  sqs-workbench train [flags]        train a GLU classifier (see: sqs-workbench train --help)
  sqs-workbench sweep --grid gate=bilinear,sqs --grid seed=0,1,2 [train flags] [--concurrency N] [--json]
  sqs-workbench resume <run>|--all   continue interrupted runs from their last checkpoint
  sqs-workbench cancel <run>         cancel a queued or running run
  sqs-workbench runs list|show|diff|tag|untag|note|rename|delete|export-metrics …   (see: runs --help)
  sqs-workbench analyze <run_dir>    read a run's features from its weights (see: analyze --help)
  sqs-workbench compare-features <run_a> <run_b> [--top-k 32] [--json]
                                     match two runs' input-space eigenvectors by rank and by assignment
  sqs-workbench reproduce <dataset>  train, analyse and compare every gate over seeds (see: reproduce --help)
  sqs-workbench export atlas <run_dir|run_id> --format svg|png|pdf|html --out DIR [--classes 0,3,7] [--top-k 6] [--dpi 300]
                                     vector figures or one self-contained HTML atlas (see: export --help)
  sqs-workbench serve [--port 0] [--workspace DIR]   serve the workbench and its API on 127.0.0.1
  sqs-workbench bench train [--json] time the training step against plain MatMuls of the same FLOPs
  sqs-workbench --help
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  train: trainCommand,
  analyze: analyzeCommand,
  'compare-features': compareFeaturesCommand,
  reproduce: reproduceCommand,
  runs: runsCommand,
  sweep: sweepCommand,
  resume: resumeCommand,
  cancel: async (argv) => cancelCommand(argv),
  export: exportCommand,
  serve: serveCommand,
  bench: benchCommand,
};

/** Errors that reach the user as their one-line message, with the exit code each means. */
const ERRORS: [abstract new (...args: never[]) => Error, number][] = [
  [UsageError, 2],
  [QueryError, 2],
  [DatasetError, 1],
  [ExecutionProviderError, 1],
  [RunDirError, 1],
  [RunFileError, 1],
  [AnalysisError, 1],
  [RunNotFoundError, 1],
  [WorkspaceError, 1],
  [JobError, 1],
  [RunEditError, 1],
];

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
    const known = ERRORS.find(([type]) => err instanceof type);
    if (!known) throw err;
    process.stderr.write(`${(err as Error).message}\n`);
    return known[1];
  }
}
