// Every field of a training configuration once: its config path, its CLI flag, its label and
// help, and its rule. The zod schema (train-config.ts), the `train` flags with their checks and
// --help, the renderer's form and the sweep grid's keys are all made from this table, and typed
// text (a flag's value, a form field) becomes a value by one function, `fieldFromText`, so the
// command line and the UI give the same verdict in the same words. Defaults are DEFAULT_CONFIG's.
// Node-free: the renderer imports it.
import { DATASET_SPEC_FORMS, parseDatasetSpec } from '../engine/data/spec';
import { SUBSET_BUDGETS } from '../engine/data/subset-budget';
import { parseTextSpec, TEXT_SPEC_FORMS } from '../engine/text/spec';
import { GATES, GATE_NAMES, type GateName } from '../engine/nn/gates';
import { DEFAULT_CONFIG, EXECUTION_PROVIDERS, type TrainConfig } from '../engine/train/config';
import { choice, describeRange, numberFromText, ruledNumber, verdict, type Checked, type NumberRange } from './rules';
import { z } from './zod';

export { DEFAULT_CONFIG, type TrainConfig };

/** A leaf of a TrainConfig: `lr`, or a gate's parameter `sqs.c`. */
export type ConfigPath = { [K in keyof TrainConfig & string]: TrainConfig[K] extends string | number ? K : `${K}.${keyof TrainConfig[K] & string}` }[keyof TrainConfig & string];

interface Common<P extends string> {
  path: P;
  /** the `train` flag, without dashes: the path with '-' for '.' (sqs-c) */
  flag: string;
  label: string;
  /** one line, as --help shows it */
  help: string;
  /** data: what to train on; model: the architecture; training: the optimisation; system: where it runs */
  group: 'data' | 'model' | 'training' | 'system';
  /** a gate's parameter: it matters only for that gate */
  gate?: GateName;
}
export type NumberField<P extends string = ConfigPath> = Common<P> & { kind: 'number'; range: NumberRange };
export type ChoiceField<P extends string = ConfigPath> = Common<P> & { kind: 'choice'; choices: readonly [string, ...string[]]; choiceLabels: Readonly<Record<string, string>> };
/** a classifier's data: digits, fashion-mnist, idx:<dir> */
export type DatasetField<P extends string = ConfigPath> = Common<P> & { kind: 'dataset' };
/** a language model's text: stories, tinystories, text:<file|dir> */
export type CorpusField<P extends string = ConfigPath> = Common<P> & { kind: 'corpus' };
/** a file path, or empty for none */
export type FileField<P extends string = ConfigPath> = Common<P> & { kind: 'file' };
export type TrainField<P extends string = ConfigPath> = NumberField<P> | ChoiceField<P> | DatasetField<P> | CorpusField<P> | FileField<P>;

/** a path's flag: '.' and '_' become '-' (sqs.c → sqs-c, d_model → d-model) */
export const flagOf = (path: string): string => path.replace(/[._]/g, '-');

export function number<P extends string>(path: P, label: string, help: string, range: NumberRange, group: Common<P>['group'] = 'training'): NumberField<P> {
  return { kind: 'number', path, flag: flagOf(path), label, help, range, group };
}

// Hard limits where a size can never make sense; whether a config fits this machine's memory is
// the engine's estimate (engine/train/memory.ts), checked before a run is created.
const WIDTH: NumberRange = { integer: true, min: 1, max: 65_536 };
const EPOCHS: NumberRange = { integer: true, min: 1, max: 100_000 };
const BATCH: NumberRange = { integer: true, min: 1, max: 2 ** 20 };

/** The gate choice and each gate's parameters, from the gate registry: every family's models have a gate. */
export function gateFields<P extends string>(): TrainField<P>[] {
  return [
    {
      kind: 'choice',
      path: 'gate' as P,
      flag: 'gate',
      label: 'gate',
      help: 'gate applied to the W branch (relu-mlp: plain MLP baseline)',
      group: 'model',
      choices: GATE_NAMES,
      choiceLabels: Object.fromEntries(GATES.map((g) => [g.name, g.label])),
    },
    ...GATES.flatMap((g) =>
      g.params.map((p): NumberField<P> => ({ kind: 'number', path: `${g.name}.${p.key}` as P, flag: `${g.name}-${p.key}`, label: `${g.label} ${p.label}`, help: p.help, range: p.range, group: 'model', gate: g.name })),
    ),
  ];
}

/** The execution provider, a field of every family's config. */
export function epField<P extends string>(): ChoiceField<P> {
  return { kind: 'choice', path: 'ep' as P, flag: 'ep', label: 'execution provider', help: 'ONNX Runtime execution provider', group: 'system', choices: EXECUTION_PROVIDERS, choiceLabels: {} };
}

export const TRAIN_FIELDS: readonly TrainField[] = [
  { kind: 'dataset', path: 'dataset', flag: 'dataset', label: 'dataset', help: 'training data: bundled MNIST digits, Fashion-MNIST, or IDX files in <dir>', group: 'data' },
  ...gateFields<ConfigPath>(),
  number('d', 'd', 'embedding width', WIDTH, 'model'),
  number('h', 'h', 'GLU (hidden) width', WIDTH, 'model'),
  number('layers', 'layers', 'number of GLU layers', { integer: true, min: 1, max: 4 }, 'model'),
  number('epochs', 'epochs', 'passes over the training set', EPOCHS),
  number('batch', 'batch', 'mini-batch size', BATCH),
  number('lr', 'learning rate', 'peak learning rate (cosine schedule)', { min: 0, above: true }),
  number('wd', 'weight decay', 'AdamW decoupled weight decay', { min: 0 }),
  number('noise', 'input noise', 'std of Gaussian noise added to training inputs', { min: 0 }),
  number('warmup', 'warm-up steps', 'linear warm-up steps before the cosine schedule', { integer: true, min: 0 }),
  number('seed', 'seed', 'seed fixing init, shuffles and noise', { integer: true, min: 0, max: 2 ** 31 - 1 }),
  epField<ConfigPath>(),
  number('train_percent', 'training data (%)', 'percent of the training set used: nested random subsets, the same for every gate and seed', { min: 0, above: true, max: 100 }, 'data'),
  {
    kind: 'choice',
    path: 'subset_budget',
    flag: 'subset-budget',
    label: 'subset budget',
    help: 'below 100 %: steps (as many optimiser steps as on the whole set) or epochs (as many passes over the subset)',
    group: 'data',
    choices: SUBSET_BUDGETS,
    choiceLabels: { steps: 'equal steps', epochs: 'equal epochs' },
  },
];

const BY_PATH = new Map(TRAIN_FIELDS.map((f) => [f.path, f]));
const BY_FLAG = new Map(TRAIN_FIELDS.map((f) => [f.flag, f]));

export function fieldAt(path: ConfigPath): TrainField {
  return BY_PATH.get(path)!;
}

/** The field a `train` flag sets (`sqs-c` → sqs.c), or undefined. */
export function fieldOfFlag(flag: string): TrainField | undefined {
  return BY_FLAG.get(flag);
}

/** The value at `path` in a config. */
export function valueAt(config: TrainConfig, path: ConfigPath): string | number {
  const [a, b] = path.split('.');
  const top = (config as unknown as Record<string, unknown>)[a];
  return (b === undefined ? top : (top as Record<string, unknown>)[b]) as string | number;
}

/** A config with `value` at `path`; `config` itself is not changed. */
export function withValueAt(config: TrainConfig, path: ConfigPath, value: string | number): TrainConfig {
  const [a, b] = path.split('.');
  const c = config as unknown as Record<string, unknown>;
  return { ...config, [a]: b === undefined ? value : { ...(c[a] as object), [b]: value } } as TrainConfig;
}

/** "a number > 0", "one of cpu, cuda, webgpu" */
export function describeField(f: TrainField<string>): string {
  switch (f.kind) {
    case 'number':
      return describeRange(f.range);
    case 'choice':
      return `one of ${f.choices.join(', ')}`;
    case 'dataset':
      return `one of ${DATASET_SPEC_FORMS.join(', ')}`;
    case 'corpus':
      return `one of ${TEXT_SPEC_FORMS.join(', ')}`;
    case 'file':
      return 'a file path, or empty for none';
  }
}

/** `digits`, `fashion-mnist` or `idx:<dir>`, by the engine's one reader; whether the data is there is checked when training starts. */
export const DatasetSpecSchema = z.string({ error: `must be one of ${DATASET_SPEC_FORMS.join(', ')}` }).superRefine((s, ctx) => {
  const r = parseDatasetSpec(s);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
});

/** `stories`, `tinystories` or `text:<file|dir>`, by the engine's one reader. */
export const TextSpecSchema = z.string({ error: `must be one of ${TEXT_SPEC_FORMS.join(', ')}` }).superRefine((s, ctx) => {
  const r = parseTextSpec(s);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
});

const FilePathSchema = z.string({ error: 'must be a file path (or empty)' }).refine((s) => !CONTROL.test(s), { error: 'must not contain control characters' });
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const SCHEMAS = new WeakMap<TrainField<string>, z.ZodType<string | number, string | number>>();

/** The schema a field's value (as JSON) must satisfy. */
export function schemaOf(f: TrainField<string>): z.ZodType<string | number, string | number> {
  let s = SCHEMAS.get(f);
  if (!s) {
    s = f.kind === 'number' ? ruledNumber(f.range) : f.kind === 'choice' ? choice(f.choices) : f.kind === 'dataset' ? DatasetSpecSchema : f.kind === 'corpus' ? TextSpecSchema : FilePathSchema;
    SCHEMAS.set(f, s);
  }
  return s;
}

/** The schema of a classifier config's field. */
export function fieldSchema(path: ConfigPath): z.ZodType<string | number, string | number> {
  return schemaOf(fieldAt(path));
}

/**
 * A field's value from typed text, or why it has none: the one verdict of the `train` flags and
 * the forms. Numbers are plain decimals ('1e-3' yes; '0x10', 'Infinity', ' 1 ' no).
 */
export function fieldFromText(f: TrainField<string>, text: string): Checked<string | number> {
  return f.kind === 'number' ? numberFromText(f.range, text) : verdict(schemaOf(f), text);
}
