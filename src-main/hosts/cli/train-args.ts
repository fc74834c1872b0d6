// Flags of `sqs-workbench train`. One table defines every flag: the parser, its checks and
// the help text are all generated from it, so they cannot drift apart.

import { parseArgs } from 'node:util';
import {
  DEFAULT_CONFIG,
  EXECUTION_PROVIDERS,
  GATE_NAMES,
  type ExecutionProvider,
  type GateName,
  type TrainConfig,
} from '../../engine/train/config';
import { Name, Tag, verdict } from '../../shared/rules';
import type { z } from '../../shared/zod';

/** A bad command line: the CLI prints the (single-line) message and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface TrainCliOptions {
  config: TrainConfig;
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
  /** the default as shown in the help; absent when there is nothing to show */
  shown?: string;
  /** allowed values, as shown in the help and in errors */
  range?: string;
  /** checks the raw string and stores it; throws UsageError */
  store: (raw: string, into: Target) => void;
  /** may be given several times */
  repeatable?: boolean;
}

function bad(flag: string, why: string): never {
  throw new UsageError(`--${flag}: ${why}`);
}

function checkedFlag(flag: string, rule: z.ZodType<string>, raw: string): string {
  const v = verdict(rule, raw);
  return v.ok ? v.value : bad(flag, v.error);
}

const quote = (s: string): string => `'${s.replace(/[\r\n]/g, ' ')}'`;

// Plain decimal numbers only: Number() would also take '', '0x10', 'Infinity' and ' 1 '.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

interface NumberRule {
  integer?: boolean;
  min: number;
  /** true: value must be > min; otherwise ≥ min */
  above?: boolean;
  max?: number;
}

function describe(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  if (rule.max !== undefined) return `${kind} from ${rule.min} to ${rule.max}`;
  return `${kind} ${rule.above ? '>' : '>='} ${rule.min}`;
}

function numberFlag(
  name: string,
  arg: string,
  help: string,
  rule: NumberRule,
  get: (c: TrainConfig) => number,
  set: (c: TrainConfig, v: number) => void,
): FlagDef {
  const range = describe(rule);
  return {
    name,
    arg,
    help,
    shown: String(get(DEFAULT_CONFIG)),
    range,
    store(raw, into) {
      if (!DECIMAL.test(raw)) bad(name, `${quote(raw)} is not a number: must be ${range}`);
      const v = Number(raw);
      if (!Number.isFinite(v)) bad(name, `${raw} is out of range: must be ${range}`);
      if (rule.integer && !Number.isSafeInteger(v)) bad(name, `${raw} is not an integer: must be ${range}`);
      const low = rule.above ? v <= rule.min : v < rule.min;
      if (low || (rule.max !== undefined && v > rule.max)) bad(name, `${raw} is out of range: must be ${range}`);
      set(into.config, v);
    },
  };
}

function choiceFlag<T extends string>(
  name: string,
  help: string,
  choices: readonly T[],
  get: (c: TrainConfig) => T,
  set: (c: TrainConfig, v: T) => void,
): FlagDef {
  const range = choices.join(', ');
  return {
    name,
    arg: 'NAME',
    help,
    shown: get(DEFAULT_CONFIG),
    range: `one of ${range}`,
    store(raw, into) {
      if (!(choices as readonly string[]).includes(raw)) bad(name, `${quote(raw)} is not one of ${range}`);
      set(into.config, raw as T);
    },
  };
}

const DATASETS = 'digits, fashion-mnist, idx:<dir>';

const TRAIN_FLAGS: readonly FlagDef[] = [
  {
    name: 'dataset',
    arg: 'NAME',
    help: 'training data: bundled MNIST digits, Fashion-MNIST, or IDX files in <dir>',
    shown: DEFAULT_CONFIG.dataset,
    range: `one of ${DATASETS}`,
    store(raw, into) {
      const ok = raw === 'digits' || raw === 'fashion-mnist' || (raw.startsWith('idx:') && raw.slice(4).trim() !== '');
      if (!ok) bad('dataset', `${quote(raw)} is not one of ${DATASETS}`);
      into.config.dataset = raw;
    },
  },
  choiceFlag<GateName>('gate', 'gate applied to the W branch (relu-mlp: plain MLP baseline)', GATE_NAMES, (c) => c.gate, (c, v) => {
    c.gate = v;
  }),
  numberFlag('sqs-c', 'X', 'SQS shrink c', { min: 0 }, (c) => c.sqs.c, (c, v) => {
    c.sqs.c = v;
  }),
  numberFlag('sqs-lambda', 'X', 'SQS lambda (the gate saturates at +-1/lambda)', { min: 0, above: true }, (c) => c.sqs.lambda, (c, v) => {
    c.sqs.lambda = v;
  }),
  numberFlag('sqs-p', 'X', 'SQS power p', { min: 1 }, (c) => c.sqs.p, (c, v) => {
    c.sqs.p = v;
  }),
  numberFlag('d', 'N', 'embedding width', { integer: true, min: 1 }, (c) => c.d, (c, v) => {
    c.d = v;
  }),
  numberFlag('h', 'N', 'GLU (hidden) width', { integer: true, min: 1 }, (c) => c.h, (c, v) => {
    c.h = v;
  }),
  numberFlag('layers', 'N', 'number of GLU layers', { integer: true, min: 1, max: 4 }, (c) => c.layers, (c, v) => {
    c.layers = v;
  }),
  numberFlag('epochs', 'N', 'passes over the training set', { integer: true, min: 1 }, (c) => c.epochs, (c, v) => {
    c.epochs = v;
  }),
  numberFlag('batch', 'N', 'mini-batch size', { integer: true, min: 1 }, (c) => c.batch, (c, v) => {
    c.batch = v;
  }),
  numberFlag('lr', 'X', 'peak learning rate (cosine schedule)', { min: 0, above: true }, (c) => c.lr, (c, v) => {
    c.lr = v;
  }),
  numberFlag('wd', 'X', 'AdamW decoupled weight decay', { min: 0 }, (c) => c.wd, (c, v) => {
    c.wd = v;
  }),
  numberFlag('noise', 'X', 'std of Gaussian noise added to training inputs', { min: 0 }, (c) => c.noise, (c, v) => {
    c.noise = v;
  }),
  numberFlag('warmup', 'N', 'linear warm-up steps before the cosine schedule', { integer: true, min: 0 }, (c) => c.warmup, (c, v) => {
    c.warmup = v;
  }),
  numberFlag('seed', 'N', 'seed fixing init, shuffles and noise', { integer: true, min: 0, max: 2 ** 31 - 1 }, (c) => c.seed, (c, v) => {
    c.seed = v;
  }),
  choiceFlag<ExecutionProvider>('ep', 'ONNX Runtime execution provider', EXECUTION_PROVIDERS, (c) => c.ep, (c, v) => {
    c.ep = v;
  }),
  {
    name: 'out',
    arg: 'DIR',
    help: "folder for the run's files (must not exist or be empty)",
    shown: 'runs/<date>-<time>-<gate>-s<seed>',
    store(raw, into) {
      if (raw.trim() === '') bad('out', `${quote(raw)} is empty: must be a directory path`);
      into.out = raw;
    },
  },
  {
    name: 'workspace',
    arg: 'DIR',
    help: 'workspace that records the run (default: $SQS_WORKBENCH_HOME, else the user-data folder); not with --out',
    store(raw, into) {
      if (raw.trim() === '') bad('workspace', `${quote(raw)} is empty: must be a directory path`);
      into.workspace = raw;
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

function helpText(): string {
  const left = (f: FlagDef): string => `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.arg ? ` ${f.arg}` : ''}`;
  const width = Math.max(...TRAIN_FLAGS.map((f) => left(f).length)) + 2;
  const lines = TRAIN_FLAGS.flatMap((f) => {
    const extra = [f.range, f.shown !== undefined && `default ${f.shown}`].filter(Boolean).join('; ');
    const first = `  ${left(f).padEnd(width)}${f.help}`;
    return extra ? [first, `${' '.repeat(width + 2)}${extra}`] : [first];
  });
  return [
    'Usage: sqs-workbench train [flags]',
    '',
    'Train one GLU classifier and record it as a run in the workspace.',
    'Numbers are plain decimals (1e-3 is fine); write --flag=-1 or --flag -1 for negatives.',
    '',
    'Flags:',
    ...lines,
    '',
  ].join('\n');
}

export const TRAIN_HELP: string = helpText();

// parseArgs in strict mode refuses `--wd -1` as ambiguous; a negative number after a flag
// that takes a value is meant as its value, so join the two (the range check then applies).
function joinNegativeValues(argv: string[]): string[] {
  const takesValue = new Set(TRAIN_FLAGS.filter((f) => f.arg).map((f) => `--${f.name}`));
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

function usageFromParseArgs(e: unknown): UsageError {
  const err = e as { code?: string; message?: string };
  const msg = String(err.message ?? e);
  const named = /'([^']*)'/.exec(msg)?.[1] ?? '';
  const flag = named.split(' ')[0];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown flag ${quote(flag)} (see --help)`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument ${quote(named)}: train takes only flags (see --help)`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(msg)) return new UsageError(`${flag}: takes no value`);
      return new UsageError(`${flag}: missing value`);
    default:
      return new UsageError(msg.split('\n')[0]);
  }
}

export function parseTrainArgs(argv: string[]): TrainCliOptions | { help: string } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const f of TRAIN_FLAGS) options[f.name] = { type: f.arg ? 'string' : 'boolean', ...(f.short ? { short: f.short } : {}) };

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv), options, strict: true, allowPositionals: false, tokens: true });
  } catch (e) {
    throw usageFromParseArgs(e);
  }
  const given = (parsed.tokens ?? []).filter((t) => t.kind === 'option');
  if (given.some((t) => t.name === 'help')) return { help: TRAIN_HELP };

  const into: Target = { config: structuredClone(DEFAULT_CONFIG), out: null, json: false, workspace: null, name: null, tags: [] };
  const seen = new Set<string>();
  for (const t of given) {
    // A repeated flag is almost always a mistake in a sweep script: refuse rather than guess.
    const flag = TRAIN_FLAGS.find((f) => f.name === t.name)!;
    if (seen.has(t.name) && !flag.repeatable) throw new UsageError(`--${t.name}: given more than once`);
    seen.add(t.name);
    flag.store(t.value ?? '', into);
  }
  if (into.out !== null && (into.workspace !== null || into.name !== null || into.tags.length > 0)) {
    throw new UsageError('--out writes a standalone run folder; --workspace, --name and --tag need the workspace (drop --out)');
  }
  return into;
}
