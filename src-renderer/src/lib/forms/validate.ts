// Client-side checks of form fields: the same ranges and wording as the contract's schemas
// (src-main/api/train-config.ts, contract.ts), which the renderer cannot run because it imports
// only types. test/renderer/forms/validate.test.ts holds both to the same table of values.
import type { GridKey } from '../../../../src-main/shared/contract';

interface NumberRule {
  integer?: boolean;
  min: number;
  /** true: value must be > min; otherwise ≥ min */
  above?: boolean;
  max?: number;
}

export const GATES = ['bilinear', 'sqs', 'swiglu', 'geglu', 'reglu', 'relu-mlp'] as const;
export const PROVIDERS = ['cpu', 'cuda', 'webgpu'] as const;

/** As TRAIN_RULES in train-config.ts. */
export const RULES = {
  'sqs.c': { min: 0 },
  'sqs.lambda': { min: 0, above: true },
  'sqs.p': { min: 1 },
  d: { integer: true, min: 1 },
  h: { integer: true, min: 1 },
  layers: { integer: true, min: 1, max: 4 },
  epochs: { integer: true, min: 1 },
  batch: { integer: true, min: 1 },
  lr: { min: 0, above: true },
  wd: { min: 0 },
  noise: { min: 0 },
  warmup: { integer: true, min: 0 },
  seed: { integer: true, min: 0, max: 2 ** 31 - 1 },
} as const satisfies Record<string, NumberRule>;
export type NumericKey = keyof typeof RULES;

export const CONCURRENCY: NumberRule = { integer: true, min: 1, max: 64 };
export const MAX_SWEEP_RUNS = 10_000;
export const GRID_KEYS = ['dataset', 'gate', 'sqs.c', 'sqs.lambda', 'sqs.p', 'd', 'h', 'layers', 'epochs', 'batch', 'lr', 'wd', 'noise', 'warmup', 'seed', 'ep'] as const satisfies readonly GridKey[];

/** A field's verdict: the value to send, or why there is none. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };
const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T>(error: string): Checked<T> => ({ ok: false, error });

export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  if (rule.max !== undefined) return `${kind} from ${rule.min} to ${rule.max}`;
  return `${kind} ${rule.above ? '>' : '>='} ${rule.min}`;
}

/** A number typed into a field: "1e-3" → 0.001; "" → required; "abc" → not a number. */
export function checkNumber(rule: NumberRule, text: string): Checked<number> {
  const must = `must be ${describeRule(rule)}`;
  const t = text.trim();
  if (t === '') return bad(`required: ${must}`);
  const x = Number(t);
  if (!Number.isFinite(x)) return bad(`${JSON.stringify(text)} is not a number: ${must}`);
  if (rule.integer && !Number.isInteger(x)) return bad(`${x} is not an integer: ${must}`);
  const low = rule.above ? x <= rule.min : x < rule.min;
  if (low || (rule.max !== undefined && x > rule.max)) return bad(`${x} is out of range: ${must}`);
  return ok(x);
}

export function checkChoice<T extends string>(values: readonly T[], text: string): Checked<T> {
  return values.includes(text as T) ? ok(text as T) : bad(`${JSON.stringify(text)} is not one of ${values.join(', ')}`);
}

const DATASETS = 'digits, fashion-mnist, idx:<dir>';
export function checkDataset(spec: string): Checked<string> {
  const fine = spec === 'digits' || spec === 'fashion-mnist' || (spec.startsWith('idx:') && spec.slice(4).trim() !== '');
  return fine ? ok(spec) : bad(`${JSON.stringify(spec)} is not one of ${DATASETS}`);
}

/** Text of 1 to `max` characters without control characters (names, tags); '' means "not given". */
export function checkText(text: string, max: number): Checked<string> {
  if (text.trim() === '' || [...text].length > max) return bad(`must be 1 to ${max} characters`);
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) return bad('must not contain control characters');
  return ok(text);
}

export function checkTag(tag: string): Checked<string> {
  const c = checkText(tag, 64);
  if (c.ok && tag.trim() !== tag) return bad('must not start or end with spaces');
  return c;
}

/** "paper, seed-study" → ['paper', 'seed-study']; the first bad tag is the error. */
export function checkTags(text: string): Checked<string[]> {
  const tags = text.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (tags.length > 32) return bad('at most 32 tags');
  for (const t of tags) {
    const c = checkTag(t);
    if (!c.ok) return bad(`${JSON.stringify(t)}: ${c.error}`);
  }
  return ok([...new Set(tags)]);
}

export function checkAbsolutePath(text: string): Checked<string> {
  if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(text)) return bad('must be an absolute folder path');
  if (text.includes('\0')) return bad('must not contain NUL');
  return ok(text);
}

/** One grid key's value, typed as text: numbers for numeric keys, names for the others. */
export function checkGridValue(key: GridKey, text: string): Checked<string | number> {
  if (key === 'gate') return checkChoice(GATES, text);
  if (key === 'ep') return checkChoice(PROVIDERS, text);
  if (key === 'dataset') return checkDataset(text);
  return checkNumber(RULES[key], text);
}

/** "0, 1, 2" or "0 1 2" → the values of one grid axis; the first bad value is the error. */
export function checkGridValues(key: GridKey, text: string): Checked<(string | number)[]> {
  const parts = text.split(key === 'dataset' ? /,/ : /[,\s]+/).map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return bad('must list at least one value');
  if (parts.length > 1000) return bad('at most 1000 values');
  const values: (string | number)[] = [];
  for (const p of parts) {
    const c = checkGridValue(key, p);
    if (!c.ok) return bad(`${key}: ${c.error}`);
    if (!values.includes(c.value)) values.push(c.value);
  }
  return ok(values);
}

/** How many runs a grid creates, or why it is refused (as sweep.start would). */
export function checkGridSize(axes: readonly { key: GridKey; count: number }[]): Checked<number> {
  if (axes.length === 0) return bad('must list at least one axis');
  if (new Set(axes.map((a) => a.key)).size !== axes.length) return bad('each key may appear once');
  const n = axes.reduce((p, a) => p * a.count, 1);
  if (n > MAX_SWEEP_RUNS) return bad(`${n} combinations: a sweep has at most ${MAX_SWEEP_RUNS} runs`);
  return ok(n);
}
