// `train`'s flags as the tests read them: the options a command line gives, or the one-line
// usage error it is refused with.
import { expect } from 'vitest';
import { parseTrainArgs, type TrainCliOptions } from '../../src-main/hosts/cli/train-args';
import { UsageError } from '../../src-main/hosts/cli/usage';

export function parse(argv: string[]): TrainCliOptions {
  const r = parseTrainArgs(argv);
  if ('help' in r) throw new Error('unexpected help');
  return r;
}

export function usageError(argv: string[]): string {
  try {
    parseTrainArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`);
}
