// Evaluation of a model on a data split: softmax cross-entropy (in float64) and accuracy,
// through the inference graph with the parameters fed as inputs.
import type * as ort from 'onnxruntime-node';
import { createSession, f32, type EpName } from '../onnx/session';
import type { ModelDims, ParamSpec, Params } from '../nn/classifier';
import type { Gate } from '../nn/gates';
import type { Split } from '../data/dataset';
import { buildInference, names } from './graphs';
import { EVAL_ROWS } from './pipeline-sizes';

export class Evaluator {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly specs: readonly ParamSpec[],
    private readonly dims: ModelDims,
  ) {}

  static async create(gate: Gate, dims: ModelDims, specs: readonly ParamSpec[], opts: { ep: EpName; threads?: number }): Promise<Evaluator> {
    return new Evaluator(await createSession(buildInference(gate, dims, specs), opts), specs, dims);
  }

  /** logits [n, C] for rows x [n, dIn] */
  async logits(params: Params, x: Float32Array, n: number): Promise<Float32Array> {
    const out = new Float32Array(n * this.dims.classes);
    for (let start = 0; start < n; start += EVAL_ROWS) {
      const rows = Math.min(EVAL_ROWS, n - start);
      const feeds: Record<string, ort.Tensor> = { x: f32(x.subarray(start * this.dims.dIn, (start + rows) * this.dims.dIn), [rows, this.dims.dIn]) };
      for (const s of this.specs) feeds[names.param(s.name)] = f32(params.get(s.name)!, s.shape);
      const res = await this.session.run(feeds);
      out.set(res.logits.data as Float32Array, start * this.dims.classes);
    }
    return out;
  }

  async evaluate(params: Params, split: Split): Promise<{ loss: number; accuracy: number }> {
    const logits = await this.logits(params, split.x, split.n);
    return lossAndAccuracy(logits, split.y, split.n, this.dims.classes);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

export function lossAndAccuracy(logits: Float32Array, labels: Uint8Array, n: number, classes: number): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = logits.subarray(i * classes, (i + 1) * classes);
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < classes; c++) if (row[c] > max) [max, arg] = [row[c], c];
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(row[c] - max);
    loss += Math.log(sum) + max - row[labels[i]];
    if (arg === labels[i]) correct++;
  }
  return { loss: loss / n, accuracy: correct / n };
}
