// The real command line in this process: `main(argv)` with stdout and stderr captured, for fault
// sweeps where a process per case would be too slow. A defect that escapes main (what the bin
// would print as a stack trace) comes back as code null with the stack on stderr, so that
// expectOneLine refuses it.
import { main } from '../../src-main/hosts/cli/main';
import type { CliResult } from '../helpers/cli';

export async function runMain(argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const capture = (append: (s: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture((s) => (stdout += s));
  process.stderr.write = capture((s) => (stderr += s));
  try {
    const code = await main(argv);
    return { code, signal: null, stdout, stderr };
  } catch (e) {
    return { code: null, signal: null, stdout, stderr: stderr + (e instanceof Error ? (e.stack ?? e.message) : String(e)) };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** `s` as a literal inside a RegExp (file paths in expected messages). */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
