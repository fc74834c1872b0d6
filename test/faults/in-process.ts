// The real command line, run in this process (`main(argv)` with stdout and stderr captured), for
// sweeps of many malformed inputs where a process per case would take minutes. An error that
// escapes `main` is what Node would print for it: its stack on stderr, exit code 1.
import { main } from '../../src-main/hosts/cli/main';
import type { CliResult } from '../helpers/cli';

export async function cli(argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    stderr += `${e instanceof Error ? e.stack : String(e)}\n`;
    code = 1;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return { code, signal: null, stdout, stderr };
}

/** `s` as a literal inside a RegExp (file paths in expected messages). */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
