// The sequence-model ops' gradient rules, run through ONNX Runtime, against central finite
// differences of plain float64 references; int64 inputs (token ids, targets) are held fixed.
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../src-main/engine/onnx/autodiff';
import { encodeModel } from '../../../src-main/engine/onnx/encode';
import { GraphBuilder, type TNode } from '../../../src-main/engine/onnx/graph';
import { createSession, f32, i64 } from '../../../src-main/engine/onnx/session';
import { Rng } from '../../../src-main/engine/util/rng';
import { elementwise2, type RefTensor } from './op-reference';
import * as ref from './sequence-reference';
import { expectFiniteDifferences } from '../../helpers/finite-differences';

interface IntInput { shape: number[]; values: number[] }

interface Case {
  name: string;
  shapes: number[][];
  ints?: IntInput[];
  build: (b: GraphBuilder, xs: TNode[], ids: TNode[]) => TNode;
  reference: (xs: RefTensor[], ids: number[][]) => RefTensor;
}

const CASES: Case[] = [
  {
    name: 'gather, with repeated ids (the table gradient adds them up)',
    shapes: [[4, 3]],
    ints: [{ shape: [2, 3], values: [1, 3, 1, 0, 3, 3] }],
    build: (b, [t], [ids]) => b.gather(t, ids),
    reference: ([t], [ids]) => ref.gather(t, ids, [2, 3]),
  },
  ...([[false, false], [false, true], [true, false], [true, true]] as const).map(([tA, tB]): Case => ({
    name: `matmul over heads, ${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'}`,
    shapes: [[2, 3, ...(tA ? [4, 3] : [3, 4])], [2, 3, ...(tB ? [5, 4] : [4, 5])]],
    build: (b, [x, y]) => b.matmul(x, y, tA, tB),
    reference: ([x, y]) => ref.batchedMatmul(x, y, tA, tB),
  })),
  { name: 'transpose [0, 2, 1, 3]', shapes: [[2, 3, 4, 2]], build: (b, [x]) => b.transpose(x, [0, 2, 1, 3]), reference: ([x]) => ref.transpose(x, [0, 2, 1, 3]) },
  { name: 'transpose [2, 0, 1]', shapes: [[2, 3, 4]], build: (b, [x]) => b.transpose(x, [2, 0, 1]), reference: ([x]) => ref.transpose(x, [2, 0, 1]) },
  { name: 'causalSoftmax', shapes: [[2, 2, 4, 4]], build: (b, [x]) => b.causalSoftmax(x), reference: ([x]) => ref.causalSoftmax(x) },
  { name: 'rmsnorm', shapes: [[5, 6]], build: (b, [x]) => b.rmsnorm(x, 1e-6), reference: ([x]) => ref.rmsnorm(x, 1e-6) },
  { name: 'rmsnorm with a large eps', shapes: [[2, 3, 4]], build: (b, [x]) => b.rmsnorm(x, 0.3), reference: ([x]) => ref.rmsnorm(x, 0.3) },
  { name: 'rotary', shapes: [[2, 2, 5, 6]], build: (b, [x]) => b.rotary(x, 10000), reference: ([x]) => ref.rotary(x, 10000, false) },
  { name: 'rotary, inverse, small base', shapes: [[3, 4]], build: (b, [x]) => b.rotary(x, 3, true), reference: ([x]) => ref.rotary(x, 3, true) },
  {
    name: 'tokenCrossEntropy',
    shapes: [[4, 6]],
    ints: [{ shape: [4], values: [5, 0, 2, 2] }],
    build: (b, [x], [t]) => b.tokenCrossEntropy(x, t),
    reference: ([x], [t]) => ref.tokenCrossEntropy(x, t),
  },
  { name: 'maximum (broadcast row)', shapes: [[3, 4], [4]], build: (b, [x, y]) => b.maximum(x, y), reference: ([x, y]) => elementwise2(x, y, Math.max) },
];

/** L(x) = Σ op(x) ⊙ R for a fixed random R: a scalar whose gradient is the vector-Jacobian product. */
async function checkCase(c: Case): Promise<void> {
  const rng = new Rng(42);
  const ints = c.ints ?? [];
  const b = new GraphBuilder();
  const xs = c.shapes.map((s, i) => b.input(`x${i}`, s, { needsGrad: true }));
  const ids = ints.map((t, i) => b.input(`i${i}`, t.shape, { dtype: 'int64' }));
  const y = c.build(b, xs, ids);
  const r = b.input('r', y.shape);
  const loss = b.sum(b.mul(y, r));
  const grads = gradients(b, loss, xs);
  const session = await createSession(
    encodeModel({ name: c.name, inputs: b.inputs, outputs: [{ name: 'loss', node: loss }, ...grads.map((g, i) => ({ name: `g${i}`, node: g }))] }),
    { ep: 'cpu', threads: 1 },
  );
  // the float32 values are what ORT sees: the reference uses exactly those
  const inputs = c.shapes.map((s) => Float64Array.from(Float32Array.from({ length: s.reduce((p, q) => p * q, 1) }, () => 2 * rng.uniform() - 1)));
  const rValues = Float64Array.from(Float32Array.from({ length: y.shape.reduce((p, q) => p * q, 1) }, () => 2 * rng.uniform() - 1));
  const feeds: Record<string, ReturnType<typeof f32>> = { r: f32(Float32Array.from(rValues), y.shape) };
  inputs.forEach((v, i) => (feeds[`x${i}`] = f32(Float32Array.from(v), c.shapes[i])));
  ints.forEach((t, i) => (feeds[`i${i}`] = i64(BigInt64Array.from(t.values.map(BigInt)), t.shape)));
  const out = await session.run(feeds);

  const lossOf = (now: Float64Array[]) => {
    const yRef = c.reference(now.map((data, i) => ({ shape: c.shapes[i], data })), ints.map((t) => t.values));
    expect(yRef.shape).toEqual([...y.shape]);
    return yRef.data.reduce((s, v, i) => s + v * rValues[i], 0);
  };
  expect(out.loss.data[0]).toBeCloseTo(lossOf(inputs), 5);
  expectFiniteDifferences(c.name, inputs, (i) => out[`g${i}`].data as Float32Array, lossOf);
  await session.release();
}

describe('sequence-op gradients against finite differences of a float64 reference', () => {
  for (const c of CASES) it(c.name, () => checkCase(c));
});

describe('shape rules', () => {
  it('refuse what the ops cannot take, in one line naming the shapes', () => {
    const b = new GraphBuilder();
    expect(() => b.matmul(b.input('a', [2, 3, 4]), b.input('b', [3, 4, 5]))).toThrow(/equal leading dims/);
    expect(() => b.causalSoftmax(b.input('s', [2, 3, 4]))).toThrow(/square scores/);
    expect(() => b.rotary(b.input('q', [4, 5]), 10000)).toThrow(/dh even/);
    expect(() => b.input('ids', [3], { dtype: 'int64', needsGrad: true })).toThrow(/cannot take a gradient/);
  });
});
