// The closed op set. Each entry holds the op's shape rule, its gradient rule (one gradient per
// input, before broadcasting is undone: autodiff reduces it back to the input's shape in one
// place) and its ONNX emission, side by side.
import type { GraphBuilder, TNode } from './graph';
import { SEQUENCE_OPS, type SequenceOpName } from './ops-sequence';
import { broadcastShapes, sameShape, type Shape } from './shape';

export interface Attrs {
  readonly [key: string]: unknown;
}

/** What an op's emission may ask of the encoder. */
export interface EmitContext {
  /** the ONNX tensor name of a node's value */
  ref(node: TNode): string;
  /** adds an ONNX node whose single output is `out` */
  node(opType: string, inputs: string[], out: string, attrs?: Record<string, number | number[] | string>): void;
  /** a fresh intermediate tensor name */
  temp(): string;
  constFloat(value: number): string;
  constInt64(values: readonly number[]): string;
  /** a float32 constant tensor (tables such as rotary cos/sin, masks); equal ones are shared */
  constTensor(data: Float32Array, dims: readonly number[]): string;
}

export interface OpDef {
  arity: number;
  differentiable: boolean;
  shape(inputs: Shape[], attrs: Attrs): Shape;
  /** gradients of the loss w.r.t. each input, given `g` = gradient w.r.t. this node's output */
  grad(b: GraphBuilder, y: TNode, g: TNode): (TNode | null)[];
  emit(ctx: EmitContext, y: TNode): void;
}

const unary = (onnxOp: string, grad: OpDef['grad'], differentiable = true): OpDef => ({
  arity: 1,
  differentiable,
  shape: ([a]) => a,
  grad,
  emit: (ctx, y) => ctx.node(onnxOp, [ctx.ref(y.inputs[0])], ctx.ref(y)),
});

const binary = (onnxOp: string, grad: OpDef['grad']): OpDef => ({
  arity: 2,
  differentiable: true,
  shape: ([a, b]) => broadcastShapes(a, b),
  grad,
  emit: (ctx, y) => ctx.node(onnxOp, [ctx.ref(y.inputs[0]), ctx.ref(y.inputs[1])], ctx.ref(y)),
});

const noGrad: OpDef['grad'] = () => [null];

function gemmShape([a, b]: Shape[], attrs: Attrs): Shape {
  if (a.length !== 2 || b.length !== 2) throw new Error(`gemm needs 2-D operands, got [${a}] and [${b}]`);
  const [m, k] = attrs.transA ? [a[1], a[0]] : [a[0], a[1]];
  const [k2, n] = attrs.transB ? [b[1], b[0]] : [b[0], b[1]];
  if (k !== k2) throw new Error(`gemm inner dimensions differ: [${a}]${attrs.transA ? 'ᵀ' : ''} · [${b}]${attrs.transB ? 'ᵀ' : ''}`);
  return [m, n];
}

function reduceShape([a]: Shape[], attrs: Attrs): Shape {
  const axes = attrs.axes as number[];
  for (const ax of axes) if (ax < 0 || ax >= a.length) throw new Error(`sum axis ${ax} out of range for [${a}]`);
  return attrs.keepdims ? a.map((d, i) => (axes.includes(i) ? 1 : d)) : a.filter((_, i) => !axes.includes(i));
}

export type OpName =
  | 'input' | 'const'
  | 'add' | 'sub' | 'mul' | 'div'
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sigmoid' | 'erf' | 'relu' | 'step' | 'sgn' | 'powc'
  | 'sum' | 'expand' | 'reshape' | 'logSoftmax' | 'gemm'
  | 'sqs' | 'gelu' | 'corner'
  | SequenceOpName;

export const OPS: Record<OpName, OpDef> = {
  input: { arity: 0, differentiable: true, shape: () => [], grad: () => [], emit: () => undefined },
  const: { arity: 0, differentiable: false, shape: () => [], grad: () => [], emit: () => undefined },

  add: binary('Add', (_b, _y, g) => [g, g]),
  sub: binary('Sub', (b, _y, g) => [g, b.neg(g)]),
  mul: binary('Mul', (b, y, g) => [b.mul(g, y.inputs[1]), b.mul(g, y.inputs[0])]),
  // d(a/b)/db = −a/b² = −y/b
  div: binary('Div', (b, y, g) => {
    const gb = b.div(g, y.inputs[1]);
    return [gb, b.neg(b.mul(gb, y))];
  }),

  neg: unary('Neg', (b, _y, g) => [b.neg(g)]),
  exp: unary('Exp', (b, y, g) => [b.mul(g, y)]),
  log: unary('Log', (b, y, g) => [b.div(g, y.inputs[0])]),
  sqrt: unary('Sqrt', (b, y, g) => [b.div(b.mul(g, b.scalar(0.5)), y)]),
  abs: unary('Abs', (b, y, g) => [b.mul(g, b.sgn(y.inputs[0]))]),
  sigmoid: unary('Sigmoid', (b, y, g) => [b.mul(g, b.mul(y, b.sub(b.scalar(1), y)))]),
  // erf'(x) = 2/√π · exp(−x²)
  erf: unary('Erf', (b, y, g) => {
    const x = y.inputs[0];
    return [b.mul(g, b.mul(b.scalar(2 / Math.sqrt(Math.PI)), b.exp(b.neg(b.mul(x, x)))))];
  }),
  relu: unary('Relu', (b, y, g) => [b.mul(g, b.step(y.inputs[0]))]),

  step: {
    ...unary('', noGrad, false),
    emit: (ctx, y) => {
      const gt = ctx.temp();
      ctx.node('Greater', [ctx.ref(y.inputs[0]), ctx.constFloat(0)], gt);
      ctx.node('Cast', [gt], ctx.ref(y), { to: 1 });
    },
  },
  sgn: {
    ...unary('', noGrad, false),
    emit: (ctx, y) => {
      const lt = ctx.temp();
      ctx.node('Less', [ctx.ref(y.inputs[0]), ctx.constFloat(0)], lt);
      ctx.node('Where', [lt, ctx.constFloat(-1), ctx.constFloat(1)], ctx.ref(y));
    },
  },
  powc: {
    ...unary('', (b, y, g) => {
      const k = y.attrs.exponent as number;
      const dk = k === 2 ? y.inputs[0] : b.powc(y.inputs[0], k - 1);
      return [b.mul(g, b.mul(b.scalar(k), dk))];
    }),
    emit: (ctx, y) => {
      const x = ctx.ref(y.inputs[0]);
      const k = y.attrs.exponent as number;
      if (k === 2) ctx.node('Mul', [x, x], ctx.ref(y));
      else ctx.node('Pow', [x, ctx.constFloat(k)], ctx.ref(y));
    },
  },

  sum: {
    arity: 1,
    differentiable: true,
    shape: reduceShape,
    grad: (b, y, g) => {
      const x = y.inputs[0];
      const kept = y.attrs.keepdims ? g : b.reshape(g, reduceShape([x.shape], { ...y.attrs, keepdims: true }));
      return [b.expand(kept, x.shape)];
    },
    emit: (ctx, y) => {
      const axes = y.attrs.axes as number[];
      const x = ctx.ref(y.inputs[0]);
      const keepdims = y.attrs.keepdims ? 1 : 0;
      if (axes.length === 0) ctx.node('Identity', [x], ctx.ref(y));
      else ctx.node('ReduceSum', [x, ctx.constInt64(axes)], ctx.ref(y), { keepdims });
    },
  },
  expand: {
    arity: 1,
    differentiable: true,
    shape: ([a], attrs) => {
      const to = attrs.to as number[];
      if (!sameShape(broadcastShapes(a, to), to)) throw new Error(`cannot expand [${a}] to [${to}]`);
      return to;
    },
    // undone by autodiff's unbroadcast: the gradient passes through at the expanded shape
    grad: (_b, _y, g) => [g],
    emit: (ctx, y) => ctx.node('Expand', [ctx.ref(y.inputs[0]), ctx.constInt64(y.attrs.to as number[])], ctx.ref(y)),
  },
  reshape: {
    arity: 1,
    differentiable: true,
    shape: ([a], attrs) => {
      const to = attrs.to as number[];
      if (to.reduce((p, q) => p * q, 1) !== a.reduce((p, q) => p * q, 1)) throw new Error(`cannot reshape [${a}] to [${to}]`);
      return to;
    },
    grad: (b, y, g) => [b.reshape(g, y.inputs[0].shape, !!y.attrs.inferLead)],
    // inferLead: the first dimension is written as −1, so that a graph with a symbolic batch
    // can merge or split it (the language model's [B, T, d] ↔ [B·T, d])
    emit: (ctx, y) => {
      const to = y.attrs.to as number[];
      ctx.node('Reshape', [ctx.ref(y.inputs[0]), ctx.constInt64(y.attrs.inferLead ? [-1, ...to.slice(1)] : to)], ctx.ref(y));
    },
  },
  // GELU in its exact erf form, x·Φ(x), as one op: the closed-form derivative Φ(x) + x·φ(x)
  // reuses Φ from the forward (shared by ONNX Runtime's common-subexpression pass) and costs
  // fewer passes than the chain rule through mul, add and erf.
  gelu: {
    ...unary('', (b, y, g) => {
      const x = y.inputs[0];
      const cdf = b.mul(b.add(b.erf(b.mul(x, b.scalar(Math.SQRT1_2))), b.scalar(1)), b.scalar(0.5));
      const pdf = b.mul(b.exp(b.mul(b.mul(x, x), b.scalar(-0.5))), b.scalar(1 / Math.sqrt(2 * Math.PI)));
      return [b.mul(g, b.add(cdf, b.mul(x, pdf)))];
    }),
    emit: (ctx, y) => {
      const x = ctx.ref(y.inputs[0]);
      const [u, e, e1, h] = [ctx.temp(), ctx.temp(), ctx.temp(), ctx.temp()];
      // the same nodes the gradient builds for Φ, so that they are computed once
      ctx.node('Mul', [x, ctx.constFloat(Math.SQRT1_2)], u);
      ctx.node('Erf', [u], e);
      ctx.node('Add', [e, ctx.constFloat(1)], e1);
      ctx.node('Mul', [e1, ctx.constFloat(0.5)], h);
      ctx.node('Mul', [x, h], ctx.ref(y));
    },
  },
  // the first element, kept at rank: lets a graph use a value without reading all of it
  corner: {
    arity: 1,
    differentiable: false,
    shape: ([a]) => a.map(() => 1),
    grad: noGrad,
    emit: (ctx, y) => {
      const rank = y.shape.length;
      const zeros = ctx.constInt64(new Array(rank).fill(0));
      const ones = ctx.constInt64(new Array(rank).fill(1));
      ctx.node('Slice', [ctx.ref(y.inputs[0]), zeros, ones], ctx.ref(y));
    },
  },
  // log softmax over the last axis; dx = g − softmax · Σg
  logSoftmax: {
    ...unary('LogSoftmax', (b, y, g) => {
      const last = y.shape.length - 1;
      return [b.sub(g, b.mul(b.exp(y), b.sum(g, [last], true)))];
    }),
    emit: (ctx, y) => ctx.node('LogSoftmax', [ctx.ref(y.inputs[0])], ctx.ref(y), { axis: -1 }),
  },
  // C = op(A)·op(B); each gradient is again one Gemm with transposes as flags, never materialised
  gemm: {
    arity: 2,
    differentiable: true,
    shape: gemmShape,
    grad: (b, y, g) => {
      const [A, B] = y.inputs;
      const tA = !!y.attrs.transA;
      const tB = !!y.attrs.transB;
      const gA: TNode | null = !A.needsGrad ? null : tA ? b.gemm(B, g, tB, true) : b.gemm(g, B, false, !tB);
      const gB: TNode | null = !B.needsGrad ? null : tB ? b.gemm(g, A, true, tA) : b.gemm(A, g, !tA, false);
      return [gA, gB];
    },
    emit: (ctx, y) =>
      ctx.node('Gemm', [ctx.ref(y.inputs[0]), ctx.ref(y.inputs[1])], ctx.ref(y), {
        transA: y.attrs.transA ? 1 : 0,
        transB: y.attrs.transB ? 1 : 0,
      }),
  },
  // Signed Quadratic Shrink, sgn(x)·(|x|^p − c)/(1 + λ|x|^p) with sgn(0) = +1, as one op: its
  // closed-form derivative p|x|^(p−1)(1 + λc)/(1 + λ|x|^p)² costs three passes where the chain
  // rule through abs, sub, div and mul would cost a dozen. The gradient rebuilds the denominator
  // with the same nodes the forward emits, so ONNX Runtime's common-subexpression pass shares it.
  sqs: {
    ...unary('', (b, y, g) => {
      const { c, lambda, p } = y.attrs as { c: number; lambda: number; p: number };
      const a = b.abs(y.inputs[0]);
      const ap = p === 1 ? a : b.powc(a, p);
      const den = b.add(b.scalar(1), b.mul(ap, b.scalar(lambda)));
      const k = p === 1 ? b.scalar(1 + lambda * c) : b.mul(b.scalar(p * (1 + lambda * c)), p === 2 ? a : b.powc(a, p - 1));
      return [b.div(b.mul(g, k), b.mul(den, den))];
    }),
    emit: (ctx, y) => {
      const { c, lambda, p } = y.attrs as { c: number; lambda: number; p: number };
      const x = ctx.ref(y.inputs[0]);
      const t = () => ctx.temp();
      const [a, ap, la, den, neg] = [t(), p === 1 ? '' : t(), t(), t(), t()];
      ctx.node('Abs', [x], a);
      if (p !== 1) {
        if (p === 2) ctx.node('Mul', [a, a], ap);
        else ctx.node('Pow', [a, ctx.constFloat(p)], ap);
      }
      const apName = p === 1 ? a : ap;
      ctx.node('Mul', [apName, ctx.constFloat(lambda)], la);
      ctx.node('Add', [ctx.constFloat(1), la], den);
      ctx.node('Less', [x, ctx.constFloat(0)], neg);
      const num = t();
      if (p === 1) {
        // sgn(x)·(|x| − c) = x − c·sgn(x)
        const cs = t();
        ctx.node('Where', [neg, ctx.constFloat(-c), ctx.constFloat(c)], cs);
        ctx.node('Sub', [x, cs], num);
        ctx.node('Div', [num, den], ctx.ref(y));
      } else {
        const sgn = t();
        const q = t();
        ctx.node('Where', [neg, ctx.constFloat(-1), ctx.constFloat(1)], sgn);
        ctx.node('Sub', [ap, ctx.constFloat(c)], num);
        ctx.node('Div', [num, den], q);
        ctx.node('Mul', [sgn, q], ctx.ref(y));
      }
    },
  },
  ...SEQUENCE_OPS,
};
