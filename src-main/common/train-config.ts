// TrainConfig as a zod schema, made from the field table (train-fields.ts), so the api refuses
// exactly what the `train` flags and the forms refuse, in the same words. Also config patches
// (what the UI sends: a subset laid over the defaults) and the keys a sweep may vary.
// No Node imports: the renderer bundles this file through the contract.
import type { GateSettings } from '../engine/nn/gates';
import { EXECUTION_PROVIDERS, type TrainConfig } from '../engine/train/config';
import { accept, choice, formatIssues, refuse, type Checked } from './rules';
import { fieldSchema, TRAIN_FIELDS, type ConfigPath } from './train-fields';
import { z } from './zod';

export { DatasetSpecSchema } from './train-fields';

export const ExecutionProviderSchema = choice(EXECUTION_PROVIDERS);

/** Top-level keys; a gate's parameters (sqs.c, …) as one object under the gate's name. */
function shape(nested: (o: z.ZodObject) => z.ZodType): Record<string, z.ZodType> {
  const top: Record<string, z.ZodType> = {};
  const inner: Record<string, Record<string, z.ZodType>> = {};
  for (const f of TRAIN_FIELDS) {
    const [a, b] = f.path.split('.');
    if (b === undefined) top[a] = fieldSchema(f.path);
    else (inner[a] ??= {})[b] = fieldSchema(f.path);
  }
  for (const [a, fields] of Object.entries(inner)) {
    const wanted = `the ${a} gate's parameters {${Object.keys(fields).join(', ')}}`;
    const error = (iss: { code: string; input?: unknown }) => (iss.code === 'invalid_type' ? (iss.input === undefined ? `required: ${wanted}` : `must be ${wanted}`) : undefined);
    top[a] = nested(z.strictObject(fields, { error }));
  }
  return top;
}

/** A complete TrainConfig; unknown keys are refused (a misspelt key must not be silently ignored). */
export const TrainConfigSchema = z.strictObject(shape((o) => o)) as unknown as z.ZodType<TrainConfig, TrainConfig>;

/** A whole config read back (a run folder's config.json): the config, or every problem named by its field. */
export function checkTrainConfig(raw: unknown): Checked<TrainConfig> {
  const r = TrainConfigSchema.safeParse(raw);
  return r.success ? accept(r.data) : refuse(formatIssues(r.error));
}

/** Any subset of a TrainConfig (of a gate's parameters too), laid over the defaults by whoever receives it. */
export type TrainConfigPatch = { [K in keyof TrainConfig]?: K extends keyof GateSettings ? Partial<TrainConfig[K]> : TrainConfig[K] };
export const TrainConfigPatchSchema = z.strictObject(shape((o) => o.partial())).partial() as unknown as z.ZodType<TrainConfigPatch, TrainConfigPatch>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `patch` over `base`; the result is valid whenever both are. */
export function applyConfigPatch(base: TrainConfig, patch: TrainConfigPatch): TrainConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out[k] = isObject(v) ? { ...(out[k] as object), ...v } : v;
  }
  return out as unknown as TrainConfig;
}

/** Keys a sweep may vary: every field, as config paths (sqs.c, not the flag's sqs-c). */
export const GRID_KEYS = TRAIN_FIELDS.map((f) => f.path) as unknown as readonly [ConfigPath, ...ConfigPath[]];
export type GridKey = ConfigPath;

/** A config patch setting each path to its value, e.g. [['lr', 0.1], ['sqs.c', 0]] → {lr: 0.1, sqs: {c: 0}}. */
export function patchOf(values: readonly (readonly [ConfigPath, string | number])[]): TrainConfigPatch {
  const out: Record<string, unknown> = {};
  for (const [path, value] of values) {
    const [a, b] = path.split('.');
    if (b === undefined) out[a] = value;
    else out[a] = { ...(out[a] as object | undefined), [b]: value };
  }
  return out as TrainConfigPatch;
}

/** A config patch setting one grid key, e.g. ('sqs.c', 0.1) → {sqs: {c: 0.1}}. */
export function gridPatch(key: GridKey, value: string | number): TrainConfigPatch {
  return patchOf([[key, value]]);
}

/** The schema one grid key's values must satisfy. */
export function gridFieldSchema(key: GridKey): z.ZodType<string | number, string | number> {
  return fieldSchema(key);
}
