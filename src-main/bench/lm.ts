// Benchmark of the language model's training step: the median step (forward, backward, clipping,
// AdamW through ONNX Runtime) against plain products of exactly the step's matrix products (Gemm
// and batched MatMul, same shapes and transposes), timed alternately in the same run, plus tokens
// per second and the process's peak resident memory.
import { encodeModel } from '../engine/onnx/encode';
import { GraphBuilder, numel, type TNode } from '../engine/onnx/graph';
import { createSession, type EpName } from '../engine/onnx/session';
import { makeGate } from '../engine/nn/gates';
import { initLmParams, lmParamSpecs, type LmDims } from '../engine/nn/lm';
import { productFeeds, round, timeAlternately } from './products';
import { DEFAULT_LM_CONFIG } from '../engine/train/lm-config';
import { buildLmTrainStep } from '../engine/train/lm-graphs';
import { LmStepSession } from '../engine/train/lm-step-session';
import { allocBatch, trainWindows } from '../engine/train/lm-windows';
import { zeroMoments, type OptimState } from '../engine/train/step-session';
import type { GateName } from '../engine/nn/gates';

export interface BenchLmOptions {
  gates: readonly GateName[];
  dims: LmDims;
  batch: number;
  steps: number;
  ep: EpName;
  threads?: number;
}

export interface BenchLmResult {
  gate: GateName;
  step_ms: number;
  matmul_ms: number;
  /** matmul_ms / step_ms: the share of the step the matrix products alone would take */
  ratio: number;
  tokens_per_s: number;
  step_gflops: number;
  matmul_gflops: number;
  /** the process's peak resident set while training (measured before the baseline exists; the first gate's is the cleanest), in MiB */
  peak_rss_mib: number;
}

/** The reference CPU configuration: 2 layers, d_model 256, 4 heads, d_hidden 1024, context 256, 16 sequences, 4,096 tokens. */
export const REFERENCE_LM_BENCH: Omit<BenchLmOptions, 'gates'> = {
  dims: { vocab: 4096, dModel: 256, heads: 4, dHidden: 1024, layers: 2, ctx: 256 },
  batch: 16,
  steps: 20,
  ep: 'cpu',
};

export async function benchLm(opts: BenchLmOptions, onResult?: (r: BenchLmResult) => void): Promise<BenchLmResult[]> {
  const results: BenchLmResult[] = [];
  const tokens = Uint16Array.from({ length: 200_000 }, (_, i) => (i * 2654435761) % opts.dims.vocab);
  for (const gateName of opts.gates) {
    const gate = makeGate(gateName, DEFAULT_LM_CONFIG);
    const specs = lmParamSpecs(opts.dims, gate);
    const { products } = buildLmTrainStep(gate, opts.dims, specs, opts.batch);
    const session = await LmStepSession.create(gate, opts.dims, specs, opts.batch, { ep: opts.ep, threads: opts.threads });
    const batch = trainWindows(tokens, opts.dims.ctx, 0, 1, allocBatch(opts.batch, opts.dims.ctx));
    let state: OptimState = { params: initLmParams(specs, opts.dims, 0), m: zeroMoments(specs), v: zeroMoments(specs), step: 0 };
    // training's own peak, before the baseline's session and inputs exist
    for (let i = 0; i < 2; i++) state = (await session.run(state, batch.ids, batch.targets, 1e-3, 0.1, 1)).state;
    const peakMib = Math.round(process.resourceUsage().maxRSS / 1024);
    const baseline = await createSession(productsOnlyModel(products), { ep: opts.ep, threads: opts.threads });
    const feeds = productFeeds(products);
    const flops = products.reduce((s, p) => s + productFlops(p), 0);
    const { aMs: stepMs, bMs: matmulMs } = await timeAlternately(
      opts.steps,
      async () => (state = (await session.run(state, batch.ids, batch.targets, 1e-3, 0.1, 1)).state),
      () => baseline.run(feeds),
    );
    await session.release();
    await baseline.release();
    const r: BenchLmResult = {
      gate: gateName,
      step_ms: round(stepMs),
      matmul_ms: round(matmulMs),
      ratio: round(matmulMs / stepMs, 3),
      tokens_per_s: Math.round((opts.batch * opts.dims.ctx) / (stepMs / 1000)),
      step_gflops: round(flops / stepMs / 1e6),
      matmul_gflops: round(flops / matmulMs / 1e6),
      peak_rss_mib: peakMib,
    };
    onResult?.(r);
    results.push(r);
  }
  return results;
}

function productFlops(p: TNode): number {
  const [a] = p.inputs;
  const r = a.shape.length;
  const k = p.attrs.transA ? a.shape[r - 2] : a.shape[r - 1];
  return 2 * numel(p.shape) * k;
}

/** One product per product of the step, same op, shapes and transposes, fed independent inputs. */
export function productsOnlyModel(products: readonly TNode[]): Uint8Array {
  const b = new GraphBuilder();
  const outputs = products.map((p, i) => {
    const a = b.input(`a${i}`, p.inputs[0].shape);
    const c = b.input(`b${i}`, p.inputs[1].shape);
    const tA = !!p.attrs.transA;
    const tB = !!p.attrs.transB;
    const prod = p.op === 'gemm' ? b.gemm(a, c, tA, tB) : b.matmul(a, c, tA, tB);
    // hand back one number per product: every product runs, yet nothing else reads its output
    return { name: `o${i}`, node: b.corner(prod) };
  });
  return encodeModel({ name: 'lm_products_baseline', inputs: b.inputs, outputs });
}
