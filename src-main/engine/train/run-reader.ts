// Reading a finished run back: its config and its weights, checked against each other so that
// analysis never works on a file that does not describe the model it claims to.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Params } from '../nn/classifier';
import { readSafetensors } from '../util/safetensors';
import { isGateName } from '../nn/gates';
import type { TrainConfig } from './config';
import { RUN_FILES } from './run-files';
import { modelFor, type Model } from './trainer';

export class RunFileError extends Error {
  override name = 'RunFileError';
}

export interface LoadedRun {
  dir: string;
  config: TrainConfig & { d_in: number; classes: number };
  model: Model;
  params: Params;
}

export function loadRun(dir: string): LoadedRun {
  const configPath = join(dir, RUN_FILES.config);
  const weightsPath = join(dir, RUN_FILES.weights);
  if (!existsSync(configPath)) throw new RunFileError(`${configPath}: missing (is ${dir} a run folder?)`);
  let config: LoadedRun['config'];
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (e) {
    throw new RunFileError(`${configPath}: not valid JSON (${(e as Error).message})`);
  }
  if (!isGateName(config.gate)) throw new RunFileError(`${configPath}: unknown gate '${config.gate}'`);
  for (const key of ['d', 'h', 'layers', 'd_in', 'classes'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) throw new RunFileError(`${configPath}: '${key}' must be a positive integer, got ${JSON.stringify(config[key])}`);
  }
  if (!existsSync(weightsPath)) throw new RunFileError(`${weightsPath}: missing`);
  let decoded: ReturnType<typeof readSafetensors>;
  try {
    decoded = readSafetensors(weightsPath);
  } catch (e) {
    throw new RunFileError((e as Error).message.includes(weightsPath) ? (e as Error).message : `${weightsPath}: ${(e as Error).message}`);
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
    params.set(spec.name, t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as Float64Array));
  }
  const extra = [...decoded.tensors.keys()].filter((k) => !model.specs.some((s) => s.name === k));
  if (extra.length > 0) throw new RunFileError(`${weightsPath}: unexpected tensors ${extra.join(', ')} for a ${config.layers}-layer ${config.gate} model`);
  return { dir, config, model, params };
}
