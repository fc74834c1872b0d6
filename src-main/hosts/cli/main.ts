// The `sqs-workbench` command line: a thin parser over the api service (workspace commands) and
// the run-folder calls (standalone folders). Every failure reaches the user as one line, with the
// exit code its error code means.
import { ApiError, type ApiErrorCode } from '../../common/api-error';
import { UsageError } from './usage';

const HELP = `sqs-workbench: train and read gated linear units

usage:
  sqs-workbench train [flags]        train a GLU classifier (see: sqs-workbench train --help)
  sqs-workbench train --family lm [flags]   train a language model with GLU MLPs (see: train --family lm --help)
  sqs-workbench generate <run> --prompt TEXT [--max-tokens 100] [--temperature 1] [--top-k 0] [--seed 0] [--json]
                                     sample text from a language-model run (see: generate --help)
  sqs-workbench sweep --grid gate=bilinear,sqs --grid seed=0,1,2 [train flags] [--concurrency N] [--json]
  sqs-workbench resume <run>|--all   continue interrupted runs from their last checkpoint
  sqs-workbench cancel <run>         cancel a queued or running run
  sqs-workbench runs list|show|diff|tag|untag|note|rename|delete|export-metrics …   (see: runs --help)
  sqs-workbench analyze <run_dir>    read a run's features from its weights (see: analyze --help)
  sqs-workbench compare-features <run_a> <run_b> [--top-k 32] [--json]
                                     match two runs' input-space eigenvectors by rank and by assignment
  sqs-workbench reproduce <dataset>  train, analyse and compare every gate over seeds (see: reproduce --help)
  sqs-workbench reproduce <dataset> --data-efficiency --report DIR   the same on nested data subsets, as a report
  sqs-workbench import-model <weights.safetensors> [--map PRESET|mapping.json] [--config config.json]
                                     a run from weights trained elsewhere (see: import-model --help)
  sqs-workbench export atlas <run_dir|run_id> --format svg|png|pdf|html --out DIR [--classes 0,3,7] [--top-k 6] [--dpi 300]
                                     vector figures or one self-contained HTML atlas (see: export --help)
  sqs-workbench serve [--port 0] [--workspace DIR]   serve the workbench and its API on 127.0.0.1
  sqs-workbench bench train [--json] time the training step against plain MatMuls of the same FLOPs
  sqs-workbench bench lm [--json]    the same for a language model's step, with tokens/s and peak memory
  sqs-workbench bench e2e [--json]   whole reference runs by phase against their steps' plain Gemms
  sqs-workbench bench sweep [--json] 8 short runs one and two at a time, as runs per minute
  sqs-workbench --help
`;

type Command = (argv: string[]) => Promise<number>;

/** Each command's module, loaded when it runs: --help and a mistyped command load none of them. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  train: async () => (await import('./train-command')).trainCommand,
  analyze: async () => (await import('./analyze-command')).analyzeCommand,
  'compare-features': async () => (await import('./analyze-command')).compareFeaturesCommand,
  reproduce: async () => (await import('./reproduce-command')).reproduceCommand,
  'import-model': async () => (await import('./import-model-command')).importModelCommand,
  runs: async () => (await import('./runs-command')).runsCommand,
  sweep: async () => (await import('./sweep-command')).sweepCommand,
  resume: async () => (await import('./sweep-command')).resumeCommand,
  cancel: async () => (await import('./sweep-command')).cancelCommand,
  export: async () => (await import('./export-command')).exportCommand,
  serve: async () => (await import('./serve-command')).serveCommand,
  bench: async () => (await import('./bench-command')).benchCommand,
  generate: async () => (await import('./generate-command')).generateCommand,
  'run-task': async () => (await import('./run-task-command')).runTaskCommand,
};

/** Exit codes: 2 for a bad command line or a request refused as malformed, 1 for every other failure. */
const EXIT: Record<ApiErrorCode, number> = { bad_request: 2, not_found: 1, conflict: 1, unavailable: 1, internal: 1 };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    process.stderr.write(`unknown command '${command}'; commands: ${Object.keys(COMMANDS).join(', ')} (see --help)\n`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (!(err instanceof ApiError) || err.code === 'internal') throw err;
    process.stderr.write(`${err.message}\n`);
    return EXIT[err.code];
  }
}
