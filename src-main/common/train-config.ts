// TrainConfig as a zod schema, made from the field table (train-fields.ts), so the api refuses
// exactly what the `train` flags and the forms refuse, in the same words. Also config patches
// (what the UI sends: a subset laid over the defaults) and the keys a sweep may vary.
// No Node imports: the renderer bundles this file through the contract.
import type { GateSettings } from '../engine/nn/gates';
import { EXECUTION_PROVIDERS, type TrainConfig } from '../engine/train/config';
import { accept, choice, formatIssues, refuse, type Checked } from './rules';
import { DEFAULT_LM_CONFIG, lmShapeProblem, type LmConfig, type RunConfig } from '../engine/train/lm-config';
import { LM_FIELDS, type LmPath } from './lm-fields';
import { DEFAULT_CONFIG, schemaOf, TRAIN_FIELDS, type ConfigPath, type TrainField } from './train-fields';
import { z } from './zod';

export { DatasetSpecSchema } from './train-fields';

export const ExecutionProviderSchema = choice(EXECUTION_PROVIDERS);

/** Top-level keys; a gate's parameters (sqs.c, …) as one object under the gate's name. */
function shape(fields: readonly TrainField<string>[], nested: (o: z.ZodObject) => z.ZodType): Record<string, z.ZodType> {
  const top: Record<string, z.ZodType> = {};
  const inner: Record<string, Record<string, z.ZodType>> = {};
  for (const f of fields) {
    const [a, b] = f.path.split('.');
    if (b === undefined) top[a] = schemaOf(f);
    else (inner[a] ??= {})[b] = schemaOf(f);
  }
  for (const [a, fields] of Object.entries(inner)) {
    const wanted = `the ${a} gate's parameters {${Object.keys(fields).join(', ')}}`;
    const error = (iss: { code: string; input?: unknown }) => (iss.code === 'invalid_type' ? (iss.input === undefined ? `required: ${wanted}` : `must be ${wanted}`) : undefined);
    top[a] = nested(z.strictObject(fields, { error }));
  }
  return top;
}

/** A complete TrainConfig; unknown keys are refused (a misspelt key must not be silently ignored). */
export const TrainConfigSchema = z.strictObject(shape(TRAIN_FIELDS, (o) => o)) as unknown as z.ZodType<TrainConfig, TrainConfig>;

const FAMILY_LM = z.literal('lm', { error: "must be 'lm' (a classifier's config has no family key)" });

/** A complete language-model config; `family: 'lm'` tells it from a classifier's. */
export const LmConfigSchema = z.strictObject({ family: FAMILY_LM, ...shape(LM_FIELDS, (o) => o) }).superRefine((c, ctx) => {
  const why = lmShapeProblem(c as unknown as LmConfig);
  if (why) ctx.addIssue({ code: 'custom', message: why, path: ['heads'] });
}) as unknown as z.ZodType<LmConfig, LmConfig>;

/** A whole config read back (a run folder's config.json): the config, or every problem named by its field. */
export function checkTrainConfig(raw: unknown): Checked<RunConfig> {
  const r = (isObject(raw) && 'family' in raw ? LmConfigSchema : TrainConfigSchema).safeParse(raw);
  return r.success ? accept(r.data) : refuse(formatIssues(r.error));
}

/** The defaults a config patch of this family is laid over. */
export function defaultsOf(family: 'classifier' | 'lm'): RunConfig {
  return structuredClone(family === 'lm' ? DEFAULT_LM_CONFIG : DEFAULT_CONFIG);
}

/** Any subset of a TrainConfig (of a gate's parameters too), laid over the defaults by whoever receives it. */
export type TrainConfigPatch = { [K in keyof TrainConfig]?: K extends keyof GateSettings ? Partial<TrainConfig[K]> : TrainConfig[K] };
const ClassifierPatchSchema = z.strictObject(shape(TRAIN_FIELDS, (o) => o.partial())).partial();

/** Any subset of an LmConfig, with `family: 'lm'`. */
export type LmConfigPatch = { family: 'lm' } & { [K in Exclude<keyof LmConfig, 'family'>]?: K extends keyof GateSettings ? Partial<LmConfig[K]> : LmConfig[K] };
const LmPatchSchema = z.strictObject({ family: FAMILY_LM, ...z.strictObject(shape(LM_FIELDS, (o) => o.partial())).partial().shape });

/** A classifier's patch, or a language model's (it says `family: 'lm'`). */
export type RunConfigPatch = TrainConfigPatch | LmConfigPatch;
// dispatched on `family` rather than a union, so that a bad field is named in the words of its own family's schema
export const TrainConfigPatchSchema = z.unknown().transform((v, ctx) => {
  const r = (isObject(v) && 'family' in v ? LmPatchSchema : ClassifierPatchSchema).safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
  return z.NEVER;
}) as unknown as z.ZodType<RunConfigPatch, RunConfigPatch>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `patch` over `base`; the result is valid whenever both are (and of one family). */
export function applyConfigPatch<C extends RunConfig>(base: C, patch: RunConfigPatch): C {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out[k] = isObject(v) ? { ...(out[k] as object), ...v } : v;
  }
  return out as unknown as C;
}

/** Keys a sweep may vary: every field of either family, as config paths (sqs.c, not the flag's sqs-c). */
export const GRID_KEYS = [...new Set<string>([...TRAIN_FIELDS, ...LM_FIELDS].map((f) => f.path))] as unknown as readonly [GridKey, ...GridKey[]];
export type GridKey = ConfigPath | LmPath;

/** A config patch setting each path to its value, e.g. [['lr', 0.1], ['sqs.c', 0]] → {lr: 0.1, sqs: {c: 0}}. */
export function patchOf(values: readonly (readonly [GridKey, string | number])[]): TrainConfigPatch {
  const out: Record<string, unknown> = {};
  for (const [path, value] of values) {
    const [a, b] = path.split('.');
    if (b === undefined) out[a] = value;
    else out[a] = { ...(out[a] as object | undefined), [b]: value };
  }
  return out as TrainConfigPatch;
}

/** A config patch setting one grid key, e.g. ('sqs.c', 0.1) → {sqs: {c: 0.1}}. */
export function gridPatch(key: GridKey, value: string | number): RunConfigPatch {
  return patchOf([[key, value]]);
}

/** The field a grid key sets in a family's config, or null when that family has no such field. */
export function gridField(key: string, family: 'classifier' | 'lm'): TrainField<string> | null {
  return (family === 'lm' ? LM_FIELDS : TRAIN_FIELDS).find((f) => f.path === key) ?? null;
}
