// The `sqs-workbench` command line.
import { DatasetError } from '../../engine/data/dataset';
import { ExecutionProviderError } from '../../engine/onnx/session';
import { RunDirError } from '../../engine/train/run';
import { benchCommand } from './bench-command';
import { trainCommand } from './train-command';
import { UsageError } from './train-args';

const HELP = `sqs-workbench: train and read gated linear units

usage:
  sqs-workbench train [flags]        train a GLU classifier (see: sqs-workbench train --help)
  sqs-workbench bench train [--json] time the training step against plain MatMuls of the same FLOPs
  sqs-workbench --help
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  train: trainCommand,
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
    if (err instanceof DatasetError || err instanceof ExecutionProviderError || err instanceof RunDirError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
