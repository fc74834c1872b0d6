// What every command's flag parsing shares: the error for a bad command line (exit code 2), and
// node:util parseArgs with our wording for its refusals.
import { parseArgs } from 'node:util';

import { numberFromText, quote } from '../../common/rules';

/** A bad command line: the CLI prints the (single-line) message and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/**
 * parseArgs, strict, with positionals; a refusal becomes a UsageError that names `command`, and a
 * flag given twice is refused unless its spec says `multiple` (parseArgs alone keeps the last).
 */
export function parseFlags(command: string, argv: string[], options: FlagSpec, usage?: string): { values: FlagValues; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs<{ options: FlagSpec; strict: true; allowPositionals: true; tokens: true }>>;
  try {
    parsed = parseArgs({ args: joinDashValues(argv, options), options, strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    throw new UsageError(`${command}: ${parseArgsProblem(e)}${usage ? ` (usage: ${usage})` : ' (see --help)'}`);
  }
  refuseRepeats(parsed.tokens, (name) => options[name]?.multiple === true);
  return { values: parsed.values as FlagValues, positionals: parsed.positionals };
}

/** The one rule of every command: a flag that is not repeatable is given at most once. */
export function refuseRepeats(tokens: readonly { kind: string; name?: string }[], repeatable: (name: string) => boolean): void {
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === undefined) continue;
    if (seen.has(t.name) && !repeatable(t.name)) throw new UsageError(`--${t.name}: given more than once`);
    seen.add(t.name);
  }
}

/** A flag's one value when a command collects it by hand beside other flags; a repeat is refused as parseFlags refuses it. */
export function singleValue(flag: string, values: readonly string[] | undefined): string | undefined {
  if (values !== undefined) refuseRepeats(values.map(() => ({ kind: 'option', name: flag })), () => false);
  return values?.[0];
}

/** `--sort -test_accuracy`: a flag that takes a value takes the next word, dash or not. */
function joinDashValues(argv: string[], options: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return out.concat(argv.slice(i));
    const next = argv[i + 1];
    if (a.startsWith('--') && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-[^-]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function parseArgsProblem(e: unknown): string {
  const { code, message } = e as { code?: string; message: string };
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag '${flag}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return /does not take an argument/.test(message) ? `${flag} takes no value` : `${flag}: missing value`;
  return message.split('\n')[0];
}

const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

/** A run id: a positive integer. */
export function runIdArg(s: string): number {
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < 1) throw new UsageError(`'${printable(s)}' is not a run id (a positive integer)`);
  return Number(s);
}

/** An integer flag within [min, max], or `fallback` when absent; checked by the shared number rule. */
export function integerFlag<T extends number | undefined>(flag: string, raw: unknown, fallback: T, min: number, max?: number): number | T {
  if (raw === undefined) return fallback;
  const v = numberFromText({ integer: true, min, ...(max !== undefined ? { max } : {}) }, String(raw));
  if (!v.ok) throw new UsageError(`--${flag}: ${v.error}`);
  return v.value;
}

/** A folder flag: non-empty. */
export function folderFlag(flag: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (String(raw).trim() === '') throw new UsageError(`--${flag}: ${quote(String(raw))} is empty: must be a directory path`);
  return String(raw);
}
