// Reading a finished run back: its config and its weights, checked against each other so that
// analysis never works on a file that does not describe the model it claims to, nor on weights
// that are not numbers (a diverged run keeps its last finite weights, so every run the app wrote
// passes).
import { join } from 'node:path';
import { parseDatasetSpec } from '../data/spec';
import type { Params } from '../nn/classifier';
import { FAMILIES } from '../nn/families';
import { gateInfo, isGateName } from '../nn/gates';
import { parseJsonText } from '../util/json-text';
import { rangeProblem, describeRange } from '../util/range';
import { UnreadableFileError, readRegularFile } from '../util/regular-file';
import { readSafetensors } from '../util/safetensors';
import type { TrainConfig } from './config';
import { requireFinite, RUN_FILES, RunFileError } from './run-files';
import { modelFor, type Model } from './trainer';

export { RunFileError };

export interface LoadedRun {
  dir: string;
  config: TrainConfig & { d_in: number; classes: number };
  model: Model;
  params: Params;
}

/** A run's config.json is a few hundred bytes; anything near this is not one. */
export const MAX_CONFIG_BYTES = 1 << 20;

/** A field's value as a message shows it: the value a person must fix, cut short, so that a file that is not a run's config is not echoed at length. */
const shown = (v: unknown): string => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields of a run's config.json that reading its weights relies on, checked one by one. */
export function readLoadedConfig(configPath: string, dir: string): LoadedRun['config'] {
  let text: string;
  try {
    text = readRegularFile(configPath, MAX_CONFIG_BYTES, "a run's config.json").toString('utf8');
  } catch (e) {
    if (e instanceof UnreadableFileError && e.problem === 'missing') throw new RunFileError(`${configPath}: missing (is ${dir} a run folder?)`);
    throw e instanceof UnreadableFileError ? new RunFileError(e.message) : e;
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new RunFileError(`${configPath}: ${parsed.problem}`);
  const raw = parsed.value;
  const bad = (why: string): never => {
    throw new RunFileError(`${configPath}: ${why}`);
  };
  if (!isObject(raw)) return bad(`not a JSON object but ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);
  const family = raw.family ?? 'classifier';
  if (!FAMILIES.some((f) => f.name === family)) bad(`unknown model family ${shown(family)}; known: ${FAMILIES.map((f) => f.name).join(', ')}`);
  if (!isGateName(raw.gate)) bad(raw.gate === undefined ? `'gate' is missing` : `unknown gate ${shown(raw.gate)}`);
  for (const key of ['d', 'h', 'layers', 'd_in', 'classes'] as const) {
    const v = raw[key];
    if (!Number.isSafeInteger(v) || (v as number) < 1) bad(`'${key}' must be a positive integer, got ${v === undefined ? 'nothing' : shown(v)}`);
  }
  if (typeof raw.dataset !== 'string') bad(`'dataset' must be a dataset spec (text), got ${raw.dataset === undefined ? 'nothing' : shown(raw.dataset)}`);
  const spec = parseDatasetSpec(raw.dataset as string);
  if (!spec.ok) bad(`'dataset': ${spec.error}`);
  const gate = gateInfo(raw.gate as TrainConfig['gate']);
  for (const p of gate.params) {
    const settings = raw[gate.name];
    const v = isObject(settings) ? settings[p.key] : undefined;
    if (typeof v !== 'number' || rangeProblem(p.range, v) !== null) bad(`'${gate.name}.${p.key}' must be ${describeRange(p.range)}, got ${v === undefined ? 'nothing' : shown(v)}`);
  }
  return raw as unknown as LoadedRun['config'];
}

export function loadRun(dir: string): LoadedRun {
  const configPath = join(dir, RUN_FILES.config);
  const weightsPath = join(dir, RUN_FILES.weights);
  const config = readLoadedConfig(configPath, dir);
  let decoded: ReturnType<typeof readSafetensors>;
  try {
    decoded = readSafetensors(weightsPath);
  } catch (e) {
    const message = (e as Error).message;
    throw new RunFileError(message.includes(weightsPath) ? message : `${weightsPath}: ${message}`);
  }
  const model = modelFor(config, { inputDim: config.d_in, classes: config.classes });
  const meta = decoded.metadata;
  if (meta.gate !== undefined && meta.gate !== config.gate) throw new RunFileError(`${weightsPath}: weights are for gate '${meta.gate}' but the config says '${config.gate}'`);
  const params: Params = new Map();
  for (const spec of model.specs) {
    const t = decoded.tensors.get(spec.name);
    if (!t) throw new RunFileError(`${weightsPath}: tensor '${spec.name}' is missing (expected ${spec.shape.join('×')} for this architecture)`);
    if (t.shape.length !== 2 || t.shape[0] !== spec.shape[0] || t.shape[1] !== spec.shape[1]) {
      throw new RunFileError(`${weightsPath}: tensor '${spec.name}' has shape [${t.shape}] but the architecture needs [${spec.shape}]`);
    }
    if (t.dtype !== 'F32' && t.dtype !== 'F64') throw new RunFileError(`${weightsPath}: tensor '${spec.name}' has dtype ${t.dtype}; expected F32 or F64`);
    const data = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as Float64Array);
    // an F64 value beyond the float32 range becomes ±Infinity here, and is refused with the rest
    requireFinite(weightsPath, spec.name, data);
    params.set(spec.name, data);
  }
  const extra = [...decoded.tensors.keys()].filter((k) => !model.specs.some((s) => s.name === k));
  if (extra.length > 0) throw new RunFileError(`${weightsPath}: unexpected tensors ${extra.join(', ')} for a ${config.layers}-layer ${config.gate} model`);
  return { dir, config, model, params };
}
