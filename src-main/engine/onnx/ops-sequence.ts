// The sequence-model entries of the op table (embedding lookup, batched matrix products,
// attention's masked softmax, RMSNorm, rotary positions, next-token cross-entropy): shape rule,
// gradient rule and ONNX emission side by side, as in ops.ts, which spreads them into OPS.
import type { GraphBuilder, TNode } from './graph';
import type { Attrs, EmitContext, OpDef } from './ops';
import { broadcastShapes, sameShape, type Shape } from './shape';

export type SequenceOpName =
  | 'gather' | 'scatterAddRows' | 'matmul' | 'transpose' | 'causalSoftmax' | 'rmsnorm' | 'rotary'
  | 'oneHot' | 'tokenCrossEntropy' | 'maximum';

const noGrad: OpDef['grad'] = (_b, y) => y.inputs.map(() => null);
const last = (s: Shape) => s[s.length - 1];

function matmulShape([a, b]: Shape[], attrs: Attrs): Shape {
  const r = a.length;
  if (r < 2 || b.length !== r || !sameShape(a.slice(0, r - 2), b.slice(0, r - 2))) {
    throw new Error(`matmul needs operands of one rank ≥ 2 with equal leading dims, got [${a}] and [${b}]`);
  }
  const [m, k] = attrs.transA ? [a[r - 1], a[r - 2]] : [a[r - 2], a[r - 1]];
  const [k2, n] = attrs.transB ? [b[r - 1], b[r - 2]] : [b[r - 2], b[r - 1]];
  if (k !== k2) throw new Error(`matmul inner dimensions differ: [${a}]${attrs.transA ? 'ᵀ' : ''} · [${b}]${attrs.transB ? 'ᵀ' : ''}`);
  return [...a.slice(0, r - 2), m, n];
}

/** Swaps the last two axes (ONNX Runtime fuses such a Transpose into the MatMul that reads it). */
function swapLastTwo(ctx: EmitContext, x: string, rank: number): string {
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  const t = ctx.temp();
  ctx.node('Transpose', [x], t, { perm });
  return t;
}

/** √(mean(x²) + eps) over the last axis, kept: the same nodes in the forward and the gradient. */
function rmsOf(b: GraphBuilder, x: TNode, eps: number): TNode {
  const ms = b.mul(b.sum(b.mul(x, x), [x.shape.length - 1], true), b.scalar(1 / last(x.shape)));
  return b.sqrt(b.add(ms, b.scalar(eps)));
}

/** cos and sin of pos·base^(−2i/dh) for pos < T, each repeated over both halves of dh. */
export function rotaryTables(T: number, dh: number, base: number): { cos: Float32Array; sin: Float32Array } {
  const half = dh / 2;
  const cos = new Float32Array(T * dh);
  const sin = new Float32Array(T * dh);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < half; i++) {
      const angle = t * base ** ((-2 * i) / dh);
      cos[t * dh + i] = cos[t * dh + i + half] = Math.cos(angle);
      sin[t * dh + i] = sin[t * dh + i + half] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

export const SEQUENCE_OPS: Record<SequenceOpName, OpDef> = {
  // rows of table [V, d] picked by int64 ids [..] → [.., d]; the table's gradient is a
  // scatter-add of the output gradient's rows, never a product with a dense one-hot
  gather: {
    arity: 2,
    differentiable: true,
    shape: ([table, ids]) => {
      if (table.length !== 2) throw new Error(`gather needs a 2-D table, got [${table}]`);
      return [...ids, table[1]];
    },
    grad: (b, y, g) => [b.scatterAddRows(y.inputs[1], g, y.inputs[0].shape[0]), null],
    emit: (ctx, y) => ctx.node('Gather', [ctx.ref(y.inputs[0]), ctx.ref(y.inputs[1])], ctx.ref(y), { axis: 0 }),
  },
  // zeros [rows, d] with updates [.., d] added at int64 row ids [..]
  scatterAddRows: {
    arity: 2,
    differentiable: false,
    shape: ([ids, updates], attrs) => {
      if (!sameShape(updates.slice(0, -1), ids)) throw new Error(`scatterAddRows: updates [${updates}] do not match ids [${ids}]`);
      return [attrs.rows as number, last(updates)];
    },
    grad: noGrad,
    emit: (ctx, y) => {
      const [ids, updates] = y.inputs;
      const [zeros, index] = [ctx.temp(), ctx.temp()];
      ctx.node('Expand', [ctx.constFloat(0), ctx.constInt64(y.shape)], zeros);
      ctx.node('Unsqueeze', [ctx.ref(ids), ctx.constInt64([ids.shape.length])], index);
      ctx.node('ScatterND', [zeros, index, ctx.ref(updates)], ctx.ref(y), { reduction: 'add' });
    },
  },
  // op(A)·op(B) over equal leading (batch, head) dims; gradients are again matmuls, as for gemm
  matmul: {
    arity: 2,
    differentiable: true,
    shape: matmulShape,
    grad: (b, y, g) => {
      const [A, B] = y.inputs;
      const tA = !!y.attrs.transA;
      const tB = !!y.attrs.transB;
      const gA: TNode | null = !A.needsGrad ? null : tA ? b.matmul(B, g, tB, true) : b.matmul(g, B, false, !tB);
      const gB: TNode | null = !B.needsGrad ? null : tB ? b.matmul(g, A, true, tA) : b.matmul(A, g, !tA, false);
      return [gA, gB];
    },
    emit: (ctx, y) => {
      const [A, B] = y.inputs;
      const a = y.attrs.transA ? swapLastTwo(ctx, ctx.ref(A), A.shape.length) : ctx.ref(A);
      const bb = y.attrs.transB ? swapLastTwo(ctx, ctx.ref(B), B.shape.length) : ctx.ref(B);
      ctx.node('MatMul', [a, bb], ctx.ref(y));
    },
  },
  transpose: {
    arity: 1,
    differentiable: true,
    shape: ([a], attrs) => {
      const perm = attrs.perm as number[];
      if (perm.length !== a.length || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) throw new Error(`transpose: [${perm}] is no permutation of the axes of [${a}]`);
      return perm.map((p) => a[p]);
    },
    grad: (b, y, g) => {
      const perm = y.attrs.perm as number[];
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return [b.transpose(g, inverse)];
    },
    emit: (ctx, y) => ctx.node('Transpose', [ctx.ref(y.inputs[0])], ctx.ref(y), { perm: y.attrs.perm as number[] }),
  },
  // softmax over the last axis of scores [.., T, T] with key j > query i masked out;
  // dx = y ⊙ (g − Σ_j g ⊙ y)
  causalSoftmax: {
    arity: 1,
    differentiable: true,
    shape: ([a]) => {
      if (a.length < 2 || a[a.length - 2] !== last(a)) throw new Error(`causalSoftmax needs square scores [.., T, T], got [${a}]`);
      return a;
    },
    grad: (b, y, g) => [b.mul(y, b.sub(g, b.sum(b.mul(g, y), [y.shape.length - 1], true)))],
    emit: (ctx, y) => {
      const T = last(y.shape);
      const mask = new Float32Array(T * T);
      for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = -Infinity;
      const masked = ctx.temp();
      ctx.node('Add', [ctx.ref(y.inputs[0]), ctx.constTensor(mask, [T, T])], masked);
      ctx.node('Softmax', [masked], ctx.ref(y), { axis: -1 });
    },
  },
  // x / √(mean(x²) + eps) over the last axis (the gain is a separate mul);
  // dx = (g − y·mean(g ⊙ y)) / rms
  rmsnorm: {
    arity: 1,
    differentiable: true,
    shape: ([a]) => a,
    grad: (b, y, g) => {
      const x = y.inputs[0];
      const axis = x.shape.length - 1;
      const mean = b.mul(b.sum(b.mul(g, y), [axis], true), b.scalar(1 / last(x.shape)));
      return [b.div(b.sub(g, b.mul(y, mean)), rmsOf(b, x, y.attrs.eps as number))];
    },
    emit: (ctx, y) => {
      const x = ctx.ref(y.inputs[0]);
      const t = () => ctx.temp();
      const [sq, ss, ms, mse, rms] = [t(), t(), t(), t(), t()];
      // the nodes rmsOf builds, so that ONNX Runtime shares them with the gradient
      ctx.node('Mul', [x, x], sq);
      ctx.node('ReduceSum', [sq, ctx.constInt64([y.shape.length - 1])], ss, { keepdims: 1 });
      ctx.node('Mul', [ss, ctx.constFloat(1 / last(y.shape))], ms);
      ctx.node('Add', [ms, ctx.constFloat(y.attrs.eps as number)], mse);
      ctx.node('Sqrt', [mse], rms);
      ctx.node('Div', [x, rms], ctx.ref(y));
    },
  },
  // rotary position embedding over [.., T, dh], rotate-half convention (pairs i, i + dh/2):
  // y = x ⊙ cos + (−x₂, x₁) ⊙ sin. A rotation, so the gradient is the inverse one (sine negated).
  rotary: {
    arity: 1,
    differentiable: true,
    shape: ([a]) => {
      if (a.length < 2 || last(a) % 2 !== 0) throw new Error(`rotary needs [.., T, dh] with dh even, got [${a}]`);
      return a;
    },
    grad: (b, y, g) => [b.rotary(g, y.attrs.base as number, !y.attrs.inverse)],
    emit: (ctx, y) => {
      const [T, dh] = y.shape.slice(-2);
      const { cos, sin } = rotaryTables(T, dh, y.attrs.base as number);
      if (y.attrs.inverse) sin.forEach((v, i) => (sin[i] = -v));
      const x = ctx.ref(y.inputs[0]);
      const t = () => ctx.temp();
      const [x1, x2, nx2, rot, xc, rs] = [t(), t(), t(), t(), t(), t()];
      const axis = ctx.constInt64([-1]);
      ctx.node('Slice', [x, ctx.constInt64([0]), ctx.constInt64([dh / 2]), axis], x1);
      ctx.node('Slice', [x, ctx.constInt64([dh / 2]), ctx.constInt64([dh]), axis], x2);
      ctx.node('Neg', [x2], nx2);
      ctx.node('Concat', [nx2, x1], rot, { axis: -1 });
      ctx.node('Mul', [x, ctx.constTensor(cos, [T, dh])], xc);
      ctx.node('Mul', [rot, ctx.constTensor(sin, [T, dh])], rs);
      ctx.node('Add', [xc, rs], ctx.ref(y));
    },
  },
  // float one-hot rows [.., depth] of int64 ids [..]; no gradient
  oneHot: {
    arity: 1,
    differentiable: false,
    shape: ([ids], attrs) => [...ids, attrs.depth as number],
    grad: noGrad,
    emit: (ctx, y) =>
      ctx.node('OneHot', [ctx.ref(y.inputs[0]), ctx.constInt64([y.attrs.depth as number]), ctx.constTensor(new Float32Array([0, 1]), [2])], ctx.ref(y), { axis: -1 }),
  },
  // mean over rows of −log softmax(logits [M, V])[target], int64 targets [M], fused;
  // dlogits = (softmax − onehot(target)) · g / M
  tokenCrossEntropy: {
    arity: 2,
    differentiable: true,
    shape: ([logits, targets]) => {
      if (logits.length !== 2 || !sameShape(targets, [logits[0]])) throw new Error(`tokenCrossEntropy needs logits [M, V] and targets [M], got [${logits}] and [${targets}]`);
      return [];
    },
    grad: (b, y, g) => {
      const [logits, targets] = y.inputs;
      const [M, V] = logits.shape;
      const p = b.exp(b.logSoftmax(logits));
      return [b.mul(b.sub(p, b.oneHot(targets, V)), b.mul(g, b.scalar(1 / M))), null];
    },
    emit: (ctx, y) => ctx.node('SoftmaxCrossEntropyLoss', [ctx.ref(y.inputs[0]), ctx.ref(y.inputs[1])], ctx.ref(y)),
  },
  // elementwise max (numpy broadcasting); on ties the gradient goes to the second operand
  maximum: {
    arity: 2,
    differentiable: true,
    shape: ([a, b]) => broadcastShapes(a, b),
    grad: (b, y, g) => {
      const first = b.step(b.sub(y.inputs[0], y.inputs[1]));
      return [b.mul(g, first), b.mul(g, b.sub(b.scalar(1), first))];
    },
    emit: (ctx, y) => ctx.node('Max', [ctx.ref(y.inputs[0]), ctx.ref(y.inputs[1])], ctx.ref(y)),
  },
};
