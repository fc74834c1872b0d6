// Benchmark of the training step: the median step (forward, backward, AdamW through ONNX
// Runtime) against plain Gemms of exactly the step's matrix products, timed in the same run with
// the same session options, so the ratio says what the autodiff's generality costs.
import { encodeModel } from '../engine/onnx/encode';
import { GraphBuilder, numel, type TNode } from '../engine/onnx/graph';
import { createSession, type EpName } from '../engine/onnx/session';
import { paramSpecs, initParams, type ModelDims } from '../engine/nn/classifier';
import { makeGate } from '../engine/nn/gates';
import { Rng } from '../engine/util/rng';
import { productFeeds, round, timeAlternately } from './products';
import { DEFAULT_CONFIG, type GateName } from '../engine/train/config';
import { StepSession, zeroMoments, type OptimState } from '../engine/train/step-session';

export interface BenchTrainOptions {
  gates: readonly GateName[];
  dims: ModelDims;
  batch: number;
  steps: number;
  ep: EpName;
  threads?: number;
}

export interface BenchTrainResult {
  gate: GateName;
  step_ms: number;
  matmul_ms: number;
  step_gflops: number;
  matmul_gflops: number;
  ratio: number;
}

export const REFERENCE_BENCH: Omit<BenchTrainOptions, 'gates'> = {
  dims: { dIn: 784, d: 256, h: 256, classes: 10, layers: 1 },
  batch: 2048,
  steps: 40,
  ep: 'cpu',
};

export async function benchTrain(opts: BenchTrainOptions, onResult?: (r: BenchTrainResult) => void): Promise<BenchTrainResult[]> {
  const results: BenchTrainResult[] = [];
  for (const gateName of opts.gates) {
    const gate = makeGate(gateName, DEFAULT_CONFIG);
    const specs = paramSpecs(opts.dims, gate);
    const session = await StepSession.create(gate, opts.dims, specs, opts.batch, { ep: opts.ep, threads: opts.threads });
    const flops = session.gemms.reduce((s, g) => s + gemmFlops(g), 0);
    const baseline = await createSession(gemmOnlyModel(session.gemms), { ep: opts.ep, threads: opts.threads });
    const baseFeeds = productFeeds(session.gemms);
    const batch = randomBatch(opts);
    const state: OptimState = { params: initParams(specs, 0), m: zeroMoments(specs), v: zeroMoments(specs), step: 0 };
    const { aMs: stepMs, bMs: matmulMs } = await timeAlternately(
      opts.steps,
      () => session.run(state, batch.x, batch.onehot, 1e-3, 0.1),
      () => baseline.run(baseFeeds),
    );
    await session.release();
    await baseline.release();
    const r: BenchTrainResult = {
      gate: gateName,
      step_ms: round(stepMs),
      matmul_ms: round(matmulMs),
      step_gflops: round(flops / stepMs / 1e6),
      matmul_gflops: round(flops / matmulMs / 1e6),
      ratio: round(matmulMs / stepMs, 3),
    };
    onResult?.(r);
    results.push(r);
  }
  return results;
}

function gemmFlops(g: TNode): number {
  const [a] = g.inputs;
  const k = g.attrs.transA ? a.shape[0] : a.shape[1];
  return 2 * numel(g.shape) * k;
}

function randomBatch(opts: BenchTrainOptions): { x: Float32Array; onehot: Float32Array } {
  const rng = new Rng(0, 99);
  const { dIn, classes } = opts.dims;
  const onehot = new Float32Array(opts.batch * classes);
  for (let i = 0; i < opts.batch; i++) onehot[i * classes + rng.int(classes)] = 1;
  return { x: Float32Array.from({ length: opts.batch * dIn }, () => rng.uniform()), onehot };
}

/** One Gemm per product of the step, same shapes and transposes, fed independent inputs. */
export function gemmOnlyModel(gemms: readonly TNode[]): Uint8Array {
  const b = new GraphBuilder();
  const outputs = gemms.map((g, i) => {
    const a = b.input(`a${i}`, g.inputs[0].shape);
    const c = b.input(`b${i}`, g.inputs[1].shape);
    const prod = b.gemm(a, c, !!g.attrs.transA, !!g.attrs.transB);
    // hand back one number per product: every product runs, yet nothing else reads its output
    return { name: `o${i}`, node: b.corner(prod) };
  });
  return encodeModel({ name: 'gemm_baseline', inputs: b.inputs, outputs });
}
