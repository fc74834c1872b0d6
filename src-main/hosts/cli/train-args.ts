// Flags of `sqs-workbench train`. The config's flags come from the field table
// (common/train-fields.ts): their names, checks, messages, help and defaults are the ones the
// api and the forms use. Only the flags about where the run goes are defined here.

import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, describeField, fieldFromText, TRAIN_FIELDS, type ConfigPath, type TrainField } from '../../common/train-fields';
import { DEFAULT_LM_CONFIG, LM_FIELDS } from '../../common/lm-fields';
import { configValue } from '../../common/run-fields';
import { isLmConfig, lmShapeProblem, type RunConfig } from '../../common/lm-fields';
import { Name, Tag, verdict } from '../../common/rules';
import type { z } from '../../common/zod';
import { folderFlag, refuseRepeats, UsageError } from './usage';



export type Family = 'classifier' | 'lm';
export const FAMILY_NAMES: readonly Family[] = ['classifier', 'lm'];

export interface TrainCliOptions {
  config: RunConfig;
  out: string | null;
  json: boolean;
  workspace: string | null;
  name: string | null;
  tags: string[];
}

type Target = TrainCliOptions;

interface FlagDef {
  name: string;
  short?: string;
  /** placeholder of the value in the help; absent for boolean flags */
  arg?: string;
  help: string;
  /** allowed values and the default, as shown in the help */
  extra?: string;
  /** checks the raw string and stores it; throws UsageError */
  store: (raw: string, into: Target) => void;
  /** may be given several times */
  repeatable?: boolean;
}

function bad(flag: string, why: string): never {
  throw new UsageError(`--${flag}: ${why}`);
}

const quote = (s: string): string => `'${s.replace(/[\r\n]/g, ' ')}'`;

function checkedFlag(flag: string, rule: z.ZodType<string>, raw: string): string {
  const v = verdict(rule, raw);
  return v.ok ? v.value : bad(flag, v.error);
}

const FIELDS: Record<Family, readonly TrainField<string>[]> = { classifier: TRAIN_FIELDS, lm: LM_FIELDS };
const DEFAULTS: Record<Family, RunConfig> = { classifier: DEFAULT_CONFIG, lm: DEFAULT_LM_CONFIG };

/** `train` flag name → config path, for every flag that sets a classifier's config field: `sqs-c` → `sqs.c`. */
export const FLAG_PATHS: Readonly<Record<string, ConfigPath>> = Object.fromEntries(TRAIN_FIELDS.map((f) => [f.flag, f.path]));

/** The flags that set a family's config fields, by name. */
export function flagPaths(family: Family): Readonly<Record<string, string>> {
  return Object.fromEntries(FIELDS[family].map((f) => [f.flag, f.path]));
}

/**
 * One config flag's value from its text, as `train` parses it: ('sqs-c', '0.1') → {path: 'sqs.c',
 * value: 0.1}. A bad value or an unknown flag is a UsageError in the words of `train`.
 */
export function parseConfigFlag(flag: string, raw: string, family: Family = 'classifier'): { path: string; value: string | number } {
  const field = FIELDS[family].find((f) => f.flag === flag);
  if (!field) throw new UsageError(`unknown flag '--${flag}'${family === 'lm' ? ' for a language model' : ''} (see --help)`);
  const v = fieldFromText(field, raw);
  return v.ok ? { path: field.path, value: v.value } : bad(flag, v.error);
}

function withConfigValue(config: RunConfig, path: string, value: string | number): RunConfig {
  const [a, b] = path.split('.');
  const c = config as unknown as Record<string, unknown>;
  return { ...config, [a]: b === undefined ? value : { ...(c[a] as object), [b]: value } } as RunConfig;
}

function configFlag(f: TrainField<string>, family: Family): FlagDef {
  const dflt = configValue(DEFAULTS[family], f.path);
  return {
    name: f.flag,
    arg: f.kind === 'number' ? (f.range.integer ? 'N' : 'X') : f.kind === 'file' ? 'FILE' : 'NAME',
    help: f.help,
    extra: `${describeField(f)}; default ${dflt === '' ? 'none' : dflt}`,
    store(raw, into) {
      into.config = withConfigValue(into.config, f.path, parseConfigFlag(f.flag, raw, family).value);
    },
  };
}

const FAMILY_FLAG: FlagDef = {
  name: 'family',
  arg: 'NAME',
  help: 'the kind of model: a GLU image classifier, or a language model with GLU MLPs (its own flags: --family lm --help)',
  extra: `one of ${FAMILY_NAMES.join(', ')}; default classifier`,
  store() {},
};

const flagsOf = (family: Family): readonly FlagDef[] => [FAMILY_FLAG, ...FIELDS[family].map((f) => configFlag(f, family)), ...PLACEMENT_FLAGS];

const PLACEMENT_FLAGS: readonly FlagDef[] = [
  {
    name: 'out',
    arg: 'DIR',
    help: 'write a standalone run folder instead of recording the run in the workspace',
    extra: 'DIR must not exist or be empty; not with --workspace, --name or --tag',
    store(raw, into) {
      into.out = folderFlag('out', raw)!;
    },
  },
  {
    name: 'workspace',
    arg: 'DIR',
    help: 'the workspace that records the run',
    extra: 'default $SQS_WORKBENCH_HOME, else the user-data folder; not with --out',
    store(raw, into) {
      into.workspace = folderFlag('workspace', raw)!;
    },
  },
  {
    name: 'name',
    arg: 'NAME',
    help: "the run's name in the workspace (default <gate>-s<seed>-<id>)",
    store(raw, into) {
      into.name = checkedFlag('name', Name, raw);
    },
  },
  {
    name: 'tag',
    arg: 'TAG',
    help: 'tag the run in the workspace (repeatable)',
    repeatable: true,
    store(raw, into) {
      into.tags.push(checkedFlag('tag', Tag, raw));
    },
  },
  {
    name: 'json',
    help: 'print exactly one JSON object with the result on stdout',
    store(_raw, into) {
      into.json = true;
    },
  },
  { name: 'help', short: 'h', help: 'show this help', store() {} },
];

function helpText(family: Family): string {
  const flags = flagsOf(family);
  const left = (f: FlagDef): string => `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.arg ? ` ${f.arg}` : ''}`;
  const width = Math.max(...flags.map((f) => left(f).length)) + 2;
  const lines = flags.flatMap((f) => {
    const first = `  ${left(f).padEnd(width)}${f.help}`;
    return f.extra ? [first, `${' '.repeat(width + 2)}${f.extra}`] : [first];
  });
  return [
    `Usage: sqs-workbench train ${family === 'lm' ? '--family lm ' : ''}[flags]`,
    '',
    family === 'lm'
      ? 'Train one language model (a decoder-only transformer with GLU MLPs) and record it as a run in the workspace.'
      : 'Train one GLU classifier and record it as a run in the workspace (--family lm: a language model).',
    'Without --out the run goes into the workspace: --workspace DIR, else $SQS_WORKBENCH_HOME, else',
    'the user-data folder (on Linux $XDG_DATA_HOME/sqs-workbench, by default ~/.local/share/sqs-workbench).',
    'Numbers are plain decimals (1e-3 is fine); write --flag=-1 or --flag -1 for negatives.',
    '',
    'Flags:',
    ...lines,
    '',
  ].join('\n');
}

export const TRAIN_HELP: string = helpText('classifier');
export const LM_TRAIN_HELP: string = helpText('lm');

// parseArgs in strict mode refuses `--wd -1` as ambiguous; a negative number after a flag
// that takes a value is meant as its value, so join the two (the range check then applies).
function joinNegativeValues(argv: string[], flags: readonly FlagDef[]): string[] {
  const takesValue = new Set(flags.filter((f) => f.arg).map((f) => `--${f.name}`));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return out.concat(argv.slice(i));
    const next = argv[i + 1];
    if (takesValue.has(a) && next !== undefined && /^-([\d.]|inf|nan)/i.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function usageFromParseArgs(e: unknown, family: Family): UsageError {
  const err = e as { code?: string; message?: string };
  const msg = String(err.message ?? e);
  const named = /'([^']*)'/.exec(msg)?.[1] ?? '';
  const flag = named.split(' ')[0];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(family === 'lm' ? `unknown flag ${quote(flag)} for a language model (see --family lm --help)` : `unknown flag ${quote(flag)} (see --help)`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument ${quote(named)}: train takes only flags (see --help)`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(msg)) return new UsageError(`${flag}: takes no value`);
      return new UsageError(`${flag}: missing value`);
    default:
      return new UsageError(msg.split('\n')[0]);
  }
}

/** The family named by --family (the flags that follow depend on it), or a UsageError. */
function familyOf(argv: readonly string[]): Family {
  let family: string = 'classifier';
  argv.forEach((a, i) => {
    if (a === '--family') family = argv[i + 1] ?? '';
    else if (a.startsWith('--family=')) family = a.slice('--family='.length);
  });
  if (!(FAMILY_NAMES as readonly string[]).includes(family)) throw new UsageError(`--family: '${family}' is not one of ${FAMILY_NAMES.join(', ')}`);
  return family as Family;
}

export function parseTrainArgs(argv: string[]): TrainCliOptions | { help: string } {
  const family = familyOf(argv);
  const TRAIN_FLAGS = flagsOf(family);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const f of TRAIN_FLAGS) options[f.name] = { type: f.arg ? 'string' : 'boolean', ...(f.short ? { short: f.short } : {}) };

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, TRAIN_FLAGS), options, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    throw usageFromParseArgs(e, family);
  }
  const given = (parsed.tokens ?? []).filter((t) => t.kind === 'option');
  // A repeated flag is almost always a mistake in a sweep script: refuse rather than guess.
  refuseRepeats(given, (name) => TRAIN_FLAGS.find((f) => f.name === name)?.repeatable === true);
  if (given.some((t) => t.name === 'help')) return { help: family === 'lm' ? LM_TRAIN_HELP : TRAIN_HELP };

  const into: Target = { config: structuredClone(DEFAULTS[family]), out: null, json: false, workspace: null, name: null, tags: [] };
  for (const t of given) TRAIN_FLAGS.find((f) => f.name === t.name)!.store(t.value ?? '', into);
  if (isLmConfig(into.config)) {
    const why = lmShapeProblem(into.config);
    if (why) throw new UsageError(why);
  }
  if (into.out !== null && (into.workspace !== null || into.name !== null || into.tags.length > 0)) {
    throw new UsageError('--out writes a standalone run folder; --workspace, --name and --tag need the workspace (drop --out)');
  }
  return into;
}
