// Every op's gradient rule, run through ONNX Runtime, against central finite differences of a
// plain float64 reference of the op.
import { describe, expect, it } from 'vitest';
import { gradients } from '../../../src-main/engine/onnx/autodiff';
import { encodeModel } from '../../../src-main/engine/onnx/encode';
import { GraphBuilder, type TNode } from '../../../src-main/engine/onnx/graph';
import { createSession, f32 } from '../../../src-main/engine/onnx/session';
import { Rng } from '../../../src-main/engine/util/rng';
import * as ref from './op-reference';
import { expectFiniteDifferences } from '../../helpers/finite-differences';

interface Case {
  name: string;
  shapes: number[][];
  /** draws one input value; keeps inputs away from kinks and outside domains */
  draw?: (rng: Rng) => number;
  build: (b: GraphBuilder, xs: TNode[]) => TNode;
  reference: (xs: ref.RefTensor[]) => ref.RefTensor;
}

/** SQS straight from its definition, sgn(0) = +1 */
const sqsRef = (x: number, c: number, l: number, p: number) => (x < 0 ? -1 : 1) * ((Math.abs(x) ** p - c) / (1 + l * Math.abs(x) ** p));
const awayFromZero = (rng: Rng) => (rng.uniform() < 0.5 ? -1 : 1) * (0.2 + rng.uniform());
const positive = (rng: Rng) => 0.3 + 2 * rng.uniform();
const e1 = ref.elementwise1;
const e2 = ref.elementwise2;

const CASES: Case[] = [
  { name: 'add (broadcast row)', shapes: [[3, 4], [4]], build: (b, [x, y]) => b.add(x, y), reference: ([x, y]) => e2(x, y, (p, q) => p + q) },
  { name: 'sub (broadcast column)', shapes: [[3, 4], [3, 1]], build: (b, [x, y]) => b.sub(x, y), reference: ([x, y]) => e2(x, y, (p, q) => p - q) },
  { name: 'mul (scalar operand)', shapes: [[3, 4], []], build: (b, [x, y]) => b.mul(x, y), reference: ([x, y]) => e2(x, y, (p, q) => p * q) },
  { name: 'mul (same shape)', shapes: [[3, 4], [3, 4]], build: (b, [x, y]) => b.mul(x, y), reference: ([x, y]) => e2(x, y, (p, q) => p * q) },
  { name: 'div', shapes: [[3, 4], [3, 4]], draw: positive, build: (b, [x, y]) => b.div(x, y), reference: ([x, y]) => e2(x, y, (p, q) => p / q) },
  { name: 'neg', shapes: [[2, 5]], build: (b, [x]) => b.neg(x), reference: ([x]) => e1(x, (v) => -v) },
  { name: 'exp', shapes: [[2, 5]], build: (b, [x]) => b.exp(x), reference: ([x]) => e1(x, Math.exp) },
  { name: 'log', shapes: [[2, 5]], draw: positive, build: (b, [x]) => b.log(x), reference: ([x]) => e1(x, Math.log) },
  { name: 'sqrt', shapes: [[2, 5]], draw: positive, build: (b, [x]) => b.sqrt(x), reference: ([x]) => e1(x, Math.sqrt) },
  { name: 'abs', shapes: [[2, 5]], draw: awayFromZero, build: (b, [x]) => b.abs(x), reference: ([x]) => e1(x, Math.abs) },
  { name: 'sigmoid', shapes: [[2, 5]], build: (b, [x]) => b.sigmoid(x), reference: ([x]) => e1(x, (v) => 1 / (1 + Math.exp(-v))) },
  { name: 'erf', shapes: [[2, 5]], build: (b, [x]) => b.erf(x), reference: ([x]) => e1(x, ref.erf) },
  { name: 'relu', shapes: [[2, 5]], draw: awayFromZero, build: (b, [x]) => b.relu(x), reference: ([x]) => e1(x, (v) => Math.max(v, 0)) },
  { name: 'powc 3', shapes: [[2, 5]], build: (b, [x]) => b.powc(x, 3), reference: ([x]) => e1(x, (v) => v ** 3) },
  { name: 'powc 2', shapes: [[2, 5]], build: (b, [x]) => b.powc(x, 2), reference: ([x]) => e1(x, (v) => v * v) },
  { name: 'powc 1.5', shapes: [[2, 5]], draw: positive, build: (b, [x]) => b.powc(x, 1.5), reference: ([x]) => e1(x, (v) => v ** 1.5) },
  { name: 'sqs p=1', shapes: [[3, 5]], draw: awayFromZero, build: (b, [x]) => b.sqs(x, 0.01, 0.5, 1), reference: ([x]) => e1(x, (v) => sqsRef(v, 0.01, 0.5, 1)) },
  { name: 'sqs p=2.5', shapes: [[3, 5]], draw: awayFromZero, build: (b, [x]) => b.sqs(x, 0.05, 0.8, 2.5), reference: ([x]) => e1(x, (v) => sqsRef(v, 0.05, 0.8, 2.5)) },
  { name: 'sqs p=2', shapes: [[3, 5]], draw: awayFromZero, build: (b, [x]) => b.sqs(x, 0.05, 0.8, 2), reference: ([x]) => e1(x, (v) => sqsRef(v, 0.05, 0.8, 2)) },
  { name: 'gelu', shapes: [[3, 5]], draw: (r) => 6 * r.uniform() - 3, build: (b, [x]) => b.gelu(x), reference: ([x]) => e1(x, (v) => 0.5 * v * (1 + ref.erf(v / Math.SQRT2))) },
  { name: 'sum over axis 1', shapes: [[3, 4]], build: (b, [x]) => b.sum(x, [1]), reference: ([x]) => ref.reduceSum(x, [1], false) },
  { name: 'sum over axis 0, kept', shapes: [[3, 4]], build: (b, [x]) => b.sum(x, [0], true), reference: ([x]) => ref.reduceSum(x, [0], true) },
  { name: 'sum of all', shapes: [[3, 4]], build: (b, [x]) => b.sum(x), reference: ([x]) => ref.reduceSum(x, [0, 1], false) },
  { name: 'expand', shapes: [[1, 4]], build: (b, [x]) => b.expand(x, [3, 4]), reference: ([x]) => ref.expandTo(x, [3, 4]) },
  { name: 'reshape', shapes: [[3, 4]], build: (b, [x]) => b.reshape(x, [2, 6]), reference: ([x]) => ({ shape: [2, 6], data: x.data }) },
  { name: 'logSoftmax', shapes: [[3, 5]], build: (b, [x]) => b.logSoftmax(x), reference: ([x]) => ref.logSoftmaxRows(x) },
  ...([[false, false], [false, true], [true, false], [true, true]] as const).map(([tA, tB]): Case => ({
    name: `gemm ${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'}`,
    shapes: [tA ? [4, 3] : [3, 4], tB ? [5, 4] : [4, 5]],
    build: (b, [x, y]) => b.gemm(x, y, tA, tB),
    reference: ([x, y]) => ref.matmul(x, y, tA, tB),
  })),
];

/** L(x) = Σ op(x) ⊙ R for a fixed random R: a scalar whose gradient is the vector-Jacobian product. */
async function checkCase(c: Case): Promise<void> {
  const rng = new Rng(42);
  const draw = c.draw ?? ((r: Rng) => 2 * r.uniform() - 1);
  const values = c.shapes.map((s) => Float64Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => draw(rng)));
  const b = new GraphBuilder();
  const xs = c.shapes.map((s, i) => b.input(`x${i}`, s, { needsGrad: true }));
  const y = c.build(b, xs);
  const r = b.input('r', y.shape);
  const loss = b.sum(b.mul(y, r));
  const grads = gradients(b, loss, xs);
  const session = await createSession(
    encodeModel({ name: c.name, inputs: b.inputs, outputs: [{ name: 'loss', node: loss }, ...grads.map((g, i) => ({ name: `g${i}`, node: g }))] }),
    { ep: 'cpu', threads: 1 },
  );
  const rValues = Float64Array.from({ length: y.shape.reduce((a, q) => a * q, 1) }, () => 2 * rng.uniform() - 1);
  const feeds: Record<string, ReturnType<typeof f32>> = { r: f32(Float32Array.from(rValues), y.shape) };
  // the float32 inputs are what ORT sees: the reference uses exactly those values
  const inputs32 = values.map((v) => Float64Array.from(Float32Array.from(v)));
  inputs32.forEach((v, i) => (feeds[`x${i}`] = f32(Float32Array.from(v), c.shapes[i])));
  const out = await session.run(feeds);

  const lossOf = (xsNow: Float64Array[]) => {
    const yRef = c.reference(xsNow.map((data, i) => ({ shape: c.shapes[i], data })));
    expect(yRef.shape).toEqual([...y.shape]);
    return yRef.data.reduce((s, v, i) => s + v * Float32Array.from(rValues)[i], 0);
  };
  expect(out.loss.data[0]).toBeCloseTo(lossOf(inputs32), 4);
  expectFiniteDifferences(c.name, inputs32, (i) => out[`g${i}`].data as Float32Array, lossOf);
  await session.release();
}

describe('op gradients against finite differences of a float64 reference', () => {
  for (const c of CASES) it(c.name, () => checkCase(c));
});

describe('SQS values', () => {
  it('match the formula at 0, −0, inside the shrink band |x| < c, and far out', async () => {
    const xs = [0, -0, 0.004, -0.004, 0.01, -2, 3, 1e4, -1e4];
    for (const [c, l, p] of [[0.01, 0.5, 1], [0.05, 0.8, 2], [0.02, 1.5, 3]]) {
      const b = new GraphBuilder();
      const x = b.input('x', [xs.length]);
      const session = await createSession(encodeModel({ name: 'sqs', inputs: b.inputs, outputs: [{ name: 'y', node: b.sqs(x, c, l, p) }] }), { ep: 'cpu', threads: 1 });
      const y = (await session.run({ x: f32(Float32Array.from(xs), [xs.length]) })).y.data as Float32Array;
      xs.forEach((v, i) => expect(y[i]).toBeCloseTo(sqsRef(v, c, l, p), 6));
      expect(y[0]).toBeCloseTo(-c, 7); // sgn(0) = +1
      expect(y[1]).toBeCloseTo(-c, 7);
      expect(Math.abs(y[7] - 1 / l)).toBeLessThan(1e-3); // saturates at ±1/λ
    }
  });
});

describe('non-differentiable ops', () => {
  it('step and sgn pass no gradient and follow sgn(0) = +1', async () => {
    const b = new GraphBuilder();
    const x = b.input('x', [5], { needsGrad: true });
    const s = b.sgn(x);
    const t = b.step(x);
    const [g] = gradients(b, b.sum(b.add(s, t)), [x]);
    const session = await createSession(
      encodeModel({ name: 'signs', inputs: b.inputs, outputs: [{ name: 's', node: s }, { name: 't', node: t }, { name: 'g', node: g }] }),
      { ep: 'cpu', threads: 1 },
    );
    const out = await session.run({ x: f32(new Float32Array([-2, -0, 0, 1e-30, 3]), [5]) });
    expect(Array.from(out.s.data as Float32Array)).toEqual([-1, 1, 1, 1, 1]);
    expect(Array.from(out.t.data as Float32Array)).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(out.g.data as Float32Array)).toEqual([0, 0, 0, 0, 0]);
  });
});
