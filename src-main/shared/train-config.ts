// TrainConfig as a zod schema, with the same ranges and wording as the `train` flags
// (hosts/cli/train-args.ts), so the UI and the command line refuse the same configs. The CLI
// could later validate its parsed config with `TrainConfigSchema` and keep only the parsing.
// No Node imports: the renderer bundles this file through the contract.
import { z } from './zod';
import { DATASET_SPEC_FORMS, parseDatasetSpec } from '../engine/data/spec';
import { EXECUTION_PROVIDERS, GATE_NAMES, type SqsParams, type TrainConfig } from '../engine/train/config';

interface NumberRule {
  integer?: boolean;
  min: number;
  /** true: value must be > min; otherwise ≥ min */
  above?: boolean;
  max?: number;
}

/** "an integer from 1 to 4", "a number > 0": the CLI's own wording (train-args.ts `describe`). */
export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  if (rule.max !== undefined) return `${kind} from ${rule.min} to ${rule.max}`;
  return `${kind} ${rule.above ? '>' : '>='} ${rule.min}`;
}

/** A finite number within `rule`; every failure reads "must be <range>". */
export function ruledNumber(rule: NumberRule): z.ZodNumber {
  const must = `must be ${describeRule(rule)}`;
  let s = z.number({ error: (iss) => (iss.input === undefined ? `required: ${must}` : `${JSON.stringify(iss.input) ?? String(iss.input)} is not a number: ${must}`) });
  if (rule.integer) s = s.int({ error: (iss) => `${String(iss.input)} is not an integer: ${must}` });
  s = rule.above ? s.gt(rule.min, { error: (iss) => `${String(iss.input)} is out of range: ${must}` }) : s.gte(rule.min, { error: (iss) => `${String(iss.input)} is out of range: ${must}` });
  if (rule.max !== undefined) s = s.lte(rule.max, { error: (iss) => `${String(iss.input)} is out of range: ${must}` });
  return s;
}

export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (iss) => `${JSON.stringify(iss.input) ?? 'missing'} is not one of ${values.join(', ')}` });
}

/** `digits`, `fashion-mnist` or `idx:<dir>`, by the engine's one parser; whether the data is there is checked when training starts. */
export const DatasetSpecSchema = z.string({ error: `must be one of ${DATASET_SPEC_FORMS.join(', ')}` }).superRefine((s, ctx) => {
  const r = parseDatasetSpec(s);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
});

/** The ranges of every numeric field, as in the `train` flags. */
export const TRAIN_RULES = {
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

export const SqsParamsSchema = z.strictObject({
  c: ruledNumber(TRAIN_RULES['sqs.c']),
  lambda: ruledNumber(TRAIN_RULES['sqs.lambda']),
  p: ruledNumber(TRAIN_RULES['sqs.p']),
});

export const GateSchema = choice(GATE_NAMES);
export const ExecutionProviderSchema = choice(EXECUTION_PROVIDERS);

const fields = {
  dataset: DatasetSpecSchema,
  gate: GateSchema,
  sqs: SqsParamsSchema,
  d: ruledNumber(TRAIN_RULES.d),
  h: ruledNumber(TRAIN_RULES.h),
  layers: ruledNumber(TRAIN_RULES.layers),
  epochs: ruledNumber(TRAIN_RULES.epochs),
  batch: ruledNumber(TRAIN_RULES.batch),
  lr: ruledNumber(TRAIN_RULES.lr),
  wd: ruledNumber(TRAIN_RULES.wd),
  noise: ruledNumber(TRAIN_RULES.noise),
  warmup: ruledNumber(TRAIN_RULES.warmup),
  seed: ruledNumber(TRAIN_RULES.seed),
  ep: ExecutionProviderSchema,
};

/** A complete TrainConfig; unknown keys are refused (a misspelt key must not be silently ignored). */
export const TrainConfigSchema = z.strictObject(fields);

/** Any subset of a TrainConfig (sqs too), laid over the defaults by whoever receives it. */
export const TrainConfigPatchSchema = z.strictObject({ ...fields, sqs: SqsParamsSchema.partial() }).partial();
export type TrainConfigPatch = z.infer<typeof TrainConfigPatchSchema>;

/** `patch` over `base`; the result is valid whenever both are. */
export function applyConfigPatch(base: TrainConfig, patch: TrainConfigPatch): TrainConfig {
  return { ...base, ...patch, sqs: { ...base.sqs, ...patch.sqs } } as TrainConfig;
}

// The schema must produce exactly the engine's type; this line fails to compile if they drift.
const _sameShape: (c: z.infer<typeof TrainConfigSchema>) => TrainConfig = (c) => c;
void _sameShape;

/** Keys a sweep may vary, as config paths (sqs.c, not the flag's sqs-c). */
export const GRID_KEYS = ['dataset', 'gate', 'sqs.c', 'sqs.lambda', 'sqs.p', 'd', 'h', 'layers', 'epochs', 'batch', 'lr', 'wd', 'noise', 'warmup', 'seed', 'ep'] as const;
export type GridKey = (typeof GRID_KEYS)[number];

/** A config patch setting one grid key, e.g. ('sqs.c', 0.1) → {sqs: {c: 0.1}}. */
export function gridPatch(key: GridKey, value: string | number): TrainConfigPatch {
  if (key.startsWith('sqs.')) return { sqs: { [key.slice(4)]: value } } as TrainConfigPatch;
  return { [key]: value } as TrainConfigPatch;
}

/** The schema one grid key's values must satisfy. */
export function gridFieldSchema(key: GridKey): z.ZodType {
  return key.startsWith('sqs.') ? SqsParamsSchema.shape[key.slice(4) as keyof SqsParams] : fields[key as Exclude<GridKey, `sqs.${string}`>];
}
