// Projections of inputs onto eigenvectors, p = (x Eᵀ) Vᵀ, for a whole test set: two Gemms in one
// ONNX Runtime session (the work is N·d·(d_in + C·d) multiply-adds; far too slow as JS loops).
import type * as ort from 'onnxruntime-node';
import { encodeModel } from '../onnx/encode';
import { GraphBuilder } from '../onnx/graph';
import { createSession, f32, type EpName } from '../onnx/session';

const CHUNK = 2048;

export class Projector {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly dIn: number,
    private readonly d: number,
    private readonly count: number,
  ) {}

  /** `count` vectors of length d (rows of `vectors`) after the embedding E [d, dIn]. */
  static async create(dIn: number, d: number, count: number, opts: { ep: EpName }): Promise<Projector> {
    const b = new GraphBuilder();
    const x = b.input('x', [1, dIn], { dynamicBatch: true });
    const e = b.input('embed', [d, dIn]);
    const v = b.input('vectors', [count, d]);
    const p = b.linear(b.linear(x, e), v);
    const model = encodeModel({ name: 'projections', inputs: b.inputs, outputs: [{ name: 'p', node: p, dynamicBatch: true }] });
    return new Projector(await createSession(model, opts), dIn, d, count);
  }

  /** Calls `onChunk(p, start, rows)` with p [rows, count] for consecutive chunks of x [n, dIn]. */
  async forEachChunk(x: Float32Array, n: number, embed: Float32Array, vectors: Float32Array, onChunk: (p: Float32Array, start: number, rows: number) => void): Promise<void> {
    const e = f32(embed, [this.d, this.dIn]);
    const v = f32(vectors, [this.count, this.d]);
    for (let start = 0; start < n; start += CHUNK) {
      const rows = Math.min(CHUNK, n - start);
      const out = await this.session.run({ x: f32(x.subarray(start * this.dIn, (start + rows) * this.dIn), [rows, this.dIn]), embed: e, vectors: v });
      onChunk(out.p.data as Float32Array, start, rows);
    }
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
