// ONNX Runtime sessions with the settings every engine graph shares: one execution provider,
// a fixed thread count (so reductions split the same way every run: reproducible results),
// full graph optimisation.
import { availableParallelism } from 'node:os';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';

export type EpName = 'cpu' | 'cuda' | 'webgpu';

// ONNX Runtime's own log goes to stderr, where a provider that fails to load (CUDA without its
// libraries) prints a page of text; every failure also comes back as an exception, which we
// report in one line, so only fatal messages are let through. Set before the first session.
ort.env.logLevel = 'fatal';

export class ExecutionProviderError extends Error {}

let probed: Promise<EpName[]> | null = null;

/**
 * Execution providers that really start a session here. onnxruntime-node lists CUDA and WebGPU
 * even where the library or the adapter is missing, so each one is tried on a one-node model.
 */
export function availableExecutionProviders(): Promise<EpName[]> {
  probed ??= (async () => {
    const listed = ort.listSupportedBackends().map((b) => b.name);
    const found: EpName[] = [];
    for (const ep of ['cpu', 'cuda', 'webgpu'] as const) {
      if (!listed.includes(ep)) continue;
      try {
        const s = await ort.InferenceSession.create(PROBE_MODEL, { executionProviders: [ep], logSeverityLevel: 4 });
        await s.release();
        found.push(ep);
      } catch {
        // not usable on this machine
      }
    }
    return found;
  })();
  return probed;
}

// The smallest model there is (y = Identity(x)), to find out whether a provider starts.
const PROBE_MODEL = (() => {
  const { onnx } = onnxProto;
  const info = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } } });
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'probe', node: [{ opType: 'Identity', input: ['x'], output: ['y'] }], input: [info('x')], output: [info('y')] },
    }),
  ).finish();
})();

export interface SessionOptions {
  ep: EpName;
  threads?: number;
}

export function defaultThreads(): number {
  return availableParallelism();
}

export async function createSession(model: Uint8Array, opts: SessionOptions): Promise<ort.InferenceSession> {
  if (opts.ep !== 'cpu') {
    const available = await availableExecutionProviders();
    if (!available.includes(opts.ep)) {
      throw new ExecutionProviderError(
        `execution provider '${opts.ep}' is not available here; available: ${available.join(', ')}`,
      );
    }
  }
  try {
    return await ort.InferenceSession.create(model, {
      executionProviders: [opts.ep],
      intraOpNumThreads: opts.threads ?? defaultThreads(),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Idle pool threads would otherwise spin for a while after each run, taking the cores
      // from the next session (training, evaluation and the benchmark alternate sessions).
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  } catch (err) {
    if (opts.ep !== 'cpu') {
      throw new ExecutionProviderError(
        `execution provider '${opts.ep}' failed to start: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    throw err;
  }
}

export function f32(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

export function scalarF32(value: number): ort.Tensor {
  return new ort.Tensor('float32', new Float32Array([value]), []);
}

/** int64 token ids (or targets) as a tensor */
export function i64(data: BigInt64Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('int64', data, dims);
}
