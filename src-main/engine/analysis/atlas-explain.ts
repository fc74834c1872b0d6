// Why did the model say that, for one input: the real model's logits beside the quadratic
// surrogate's, and one class's logit broken into its eigen-components λ_k (v_kᵀ E x)², the largest
// first, with what the listed ones leave over.
import type { Split } from '../data/dataset';
import type { EpName } from '../onnx/session';
import { Evaluator } from '../train/evaluate';
import type { ExplainedComponent, Explanation } from './atlas-types';
import { AtlasInputError, checkClass, checkSplit, checkTestIndex, eigenvector, maxAbs, readAnalysisSource, spectraOf, testSplitOf, toInput, type AtlasSource } from './atlas-source';
import { explainInput } from './explain';

/** A test example by index, or pixels (row-major, as many as the run's inputs). */
export type InputToExplain = { testIndex: number } | { pixels: readonly number[] };

export interface ExplainOptions {
  /** the class to break down; the model's prediction when left out */
  cls?: number;
  /** components listed */
  count: number;
  /** the test split, when the caller already holds it (needed for a testIndex) */
  test?: Split;
  ep?: EpName;
}

export async function explainRunInput(runDir: string, input: InputToExplain, cls: number | undefined, count: number): Promise<Explanation> {
  return explainWith(readAnalysisSource(runDir), input, { cls, count });
}

export async function explainWith(src: AtlasSource, input: InputToExplain, opts: ExplainOptions): Promise<Explanation> {
  const { C, d, dIn } = src;
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new AtlasInputError(`count must be a positive integer, got ${opts.count}`);
  if (opts.cls !== undefined) checkClass(src, opts.cls);
  const { x, label } = inputOf(src, input, opts.test);

  const modelLogits = await modelLogitsOf(src, x, opts.ep ?? 'cpu');
  const embed = src.run.params.get('embed')!;
  const spectra = spectraOf(src);
  const surrogate = explainInput(spectra, embed, x, dIn);
  let predicted = 0;
  for (let c = 1; c < C; c++) if (modelLogits[c] > modelLogits[predicted]) predicted = c;
  const cls = opts.cls ?? predicted;

  const contributions = surrogate.contributions[cls];
  const order = Array.from({ length: d }, (_, k) => k).sort((a, b) => Math.abs(contributions[b]) - Math.abs(contributions[a]) || a - b);
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < dIn; j++) s += embed[i * dIn + j] * x[j];
    z[i] = s;
  }
  const components: ExplainedComponent[] = order.slice(0, Math.min(opts.count, d)).map((k) => {
    const v = eigenvector(src, cls, k);
    let projection = 0;
    for (let i = 0; i < d; i++) projection += v[i] * z[i];
    const u = toInput(src, v);
    return { class: cls, rank: k + 1, eigenvalue: spectra[cls].values[k], projection, contribution: contributions[k], vector: Array.from(u), range: maxAbs(u) };
  });
  const listed = components.reduce((s, c) => s + c.contribution, 0);
  return {
    pixels: Array.from(x),
    label,
    modelLogits: Array.from(modelLogits),
    surrogateLogits: Array.from(surrogate.logits),
    predicted,
    class: cls,
    components,
    remainder: surrogate.logits[cls] - listed,
  };
}

function inputOf(src: AtlasSource, input: InputToExplain, test?: Split): { x: Float32Array; label: number | null } {
  if ('testIndex' in input) {
    const split = test ?? testSplitOf(src);
    checkSplit(src, split);
    checkTestIndex(split, input.testIndex);
    return { x: split.x.slice(input.testIndex * src.dIn, (input.testIndex + 1) * src.dIn), label: split.y[input.testIndex] };
  }
  const { pixels } = input;
  if (pixels.length !== src.dIn) {
    const [rows, cols] = src.imageShape;
    throw new AtlasInputError(`pixels: ${pixels.length} values given, but the run's inputs have ${src.dIn} (${rows}×${cols}, row-major)`);
  }
  const bad = pixels.findIndex((p) => typeof p !== 'number' || !Number.isFinite(p));
  if (bad >= 0) throw new AtlasInputError(`pixels: value ${String(pixels[bad])} at index ${bad} is not a finite number`);
  return { x: Float32Array.from(pixels), label: null };
}

async function modelLogitsOf(src: AtlasSource, x: Float32Array, ep: EpName): Promise<Float32Array> {
  const { model, params } = src.run;
  const evaluator = await Evaluator.create(model.gate, model.dims, model.specs, { ep });
  try {
    return await evaluator.logits(params, x, 1);
  } finally {
    await evaluator.release();
  }
}
