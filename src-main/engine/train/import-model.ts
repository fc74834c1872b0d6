// A run folder made from weights trained elsewhere: the architecture read off the tensors' shapes,
// the weights mapped onto ours (foreign-weights.ts), the test accuracy measured here, and the
// folder written as training writes one (config, weights, ONNX model, one evaluation, run.json),
// so that analysis, atlas, compare and export read it like any run. No training metrics.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDataset } from '../data/load';
import { readSafetensors } from '../util/safetensors';
import type { TrainConfig } from './config';
import { Evaluator } from './evaluate';
import { ForeignWeightsError, mappedShape, mapWeights, sourceLayers, type WeightMapping } from './foreign-weights';
import { appendMetric, weightsMetadata, writeConfig, writeOnnxModel, writeSummary, writeWeights } from './run-files';
import { modelFor } from './trainer';
import { RunDirError } from './run';

export interface ImportedModel {
  run_dir: string;
  config: TrainConfig;
  test_accuracy: number;
  test_loss: number;
}

/** `cfg` gives the gate, its parameters and the dataset; d, h and the layers come from the weights. */
export async function importModel(weightsPath: string, mapping: WeightMapping, cfg: TrainConfig, outDir: string): Promise<ImportedModel> {
  const w = readSafetensors(weightsPath);
  const layers = sourceLayers(mapping, w);
  const shapeOf = (ours: string): [number, number] | null => {
    const s = mapping.tensors[ours];
    const t = s && w.tensors.get(s.from.replaceAll('{i}', '0'));
    return t && s ? mappedShape(t.shape, s) : null;
  };
  const embed = shapeOf('embed');
  const w0 = shapeOf('layers.{i}.w') ?? shapeOf('layers.0.w');
  if (layers === 0 || !embed || !w0) {
    const names = [...w.tensors.keys()].map((k) => `${k} [${w.tensors.get(k)!.shape.join(', ')}]`).join('; ');
    throw new ForeignWeightsError(`${weightsPath} does not fit mapping '${mapping.name}': it needs ${mapping.tensors.embed?.from ?? 'an embed'} and ${mapping.tensors['layers.{i}.w']?.from ?? 'a first layer'}; the file holds ${names}. ${mapping.description}`);
  }
  const config: TrainConfig = { ...cfg, d: embed[0], h: w0[0], layers, epochs: cfg.epochs };
  const data = loadDataset(config.dataset);
  if (data.inputDim !== embed[1]) throw new ForeignWeightsError(`${weightsPath}: the embedding takes ${embed[1]} inputs but dataset '${config.dataset}' has ${data.inputDim}`);
  const model = modelFor(config, data);
  const params = mapWeights(w, mapping, model.specs, weightsPath);
  const started = performance.now();
  const evaluator = await Evaluator.create(model.gate, model.dims, model.specs, { ep: config.ep });
  const test = await evaluator.evaluate(params, data.test).finally(() => evaluator.release());

  const dir = resolve(outDir);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new RunDirError(`run folder ${dir} already exists and is not empty`);
  mkdirSync(dir, { recursive: true });
  const meta = { ...weightsMetadata(model, config, data), imported_from: weightsPath, mapping: mapping.name };
  writeConfig(dir, config, data);
  writeWeights(dir, model, params, meta);
  writeOnnxModel(dir, model, params, meta);
  const seconds = (performance.now() - started) / 1000;
  // the evaluation on import, at step 0: no training happened here
  appendMetric(dir, { epoch: 0, step: 0, train_loss: null as unknown as number, test_loss: test.loss, test_accuracy: test.accuracy, lr: 0, seconds });
  writeSummary(dir, { status: 'completed', epochs_completed: 0, steps: 0, seconds, execution_provider: config.ep, train_loss: null, test_loss: test.loss, test_accuracy: test.accuracy });
  return { run_dir: dir, config, test_accuracy: test.accuracy, test_loss: test.loss };
}
