// The tensor graph: nodes with static shapes, built through `GraphBuilder`, differentiated by
// `autodiff.ts` and written out as ONNX by `encode.ts`. Every op's shape rule, gradient rule
// and ONNX emission live together in `ops.ts`.
import { OPS, type Attrs, type OpName } from './ops';
import type { Shape } from './shape';

export { broadcastShapes, numel, sameShape, type Shape } from './shape';

export interface TNode {
  readonly id: number;
  readonly op: OpName;
  readonly inputs: readonly TNode[];
  readonly shape: Shape;
  readonly attrs: Attrs;
  /** true when the value depends on something we differentiate with respect to */
  readonly needsGrad: boolean;
}

export interface GraphInput {
  node: TNode;
  name: string;
  /** first dimension written as the symbolic `N` so any batch size runs */
  dynamicBatch: boolean;
  /** element type: float32, or int64 for token ids */
  dtype: InputDtype;
}

export type InputDtype = 'float' | 'int64';

export class GraphBuilder {
  private nextId = 0;
  readonly inputs: GraphInput[] = [];
  private readonly scalars = new Map<number, TNode>();

  input(name: string, shape: Shape, opts: { needsGrad?: boolean; dynamicBatch?: boolean; dtype?: InputDtype } = {}): TNode {
    if (this.inputs.some((i) => i.name === name)) throw new Error(`graph input '${name}' is declared twice`);
    const dtype = opts.dtype ?? 'float';
    if (dtype === 'int64' && opts.needsGrad) throw new Error(`int64 input '${name}' cannot take a gradient`);
    const node = this.make('input', [], shape, dtype === 'float' ? { name } : { name, dtype }, opts.needsGrad ?? false);
    this.inputs.push({ node, name, dynamicBatch: opts.dynamicBatch ?? false, dtype });
    return node;
  }

  /** A float32 scalar constant, shared between uses. */
  scalar(value: number): TNode {
    const existing = this.scalars.get(value);
    if (existing) return existing;
    const node = this.make('const', [], [], { value }, false);
    this.scalars.set(value, node);
    return node;
  }

  /** Applies op `op` to `inputs`: checks and infers the shape through the op table. */
  apply(op: OpName, inputs: readonly TNode[], attrs: Attrs = {}): TNode {
    const def = OPS[op];
    if (inputs.length !== def.arity) throw new Error(`${op} takes ${def.arity} inputs, got ${inputs.length}`);
    const shape = def.shape(inputs.map((i) => i.shape), attrs);
    const needsGrad = def.differentiable && inputs.some((i) => i.needsGrad);
    return this.make(op, inputs, shape, attrs, needsGrad);
  }

  private make(op: OpName, inputs: readonly TNode[], shape: Shape, attrs: Attrs, needsGrad: boolean): TNode {
    return Object.freeze({ id: this.nextId++, op, inputs, shape: Object.freeze([...shape]), attrs, needsGrad });
  }

  // Convenience wrappers: the names the model code reads like maths with.
  add(a: TNode, b: TNode): TNode { return this.apply('add', [a, b]); }
  sub(a: TNode, b: TNode): TNode { return this.apply('sub', [a, b]); }
  mul(a: TNode, b: TNode): TNode { return this.apply('mul', [a, b]); }
  div(a: TNode, b: TNode): TNode { return this.apply('div', [a, b]); }
  neg(a: TNode): TNode { return this.apply('neg', [a]); }
  exp(a: TNode): TNode { return this.apply('exp', [a]); }
  log(a: TNode): TNode { return this.apply('log', [a]); }
  sqrt(a: TNode): TNode { return this.apply('sqrt', [a]); }
  abs(a: TNode): TNode { return this.apply('abs', [a]); }
  sigmoid(a: TNode): TNode { return this.apply('sigmoid', [a]); }
  erf(a: TNode): TNode { return this.apply('erf', [a]); }
  relu(a: TNode): TNode { return this.apply('relu', [a]); }
  /** 1 where x > 0, else 0; no gradient flows through it */
  step(a: TNode): TNode { return this.apply('step', [a]); }
  /** +1 where x ≥ 0, else −1 (sgn(0) = +1); no gradient flows through it */
  sgn(a: TNode): TNode { return this.apply('sgn', [a]); }
  powc(a: TNode, exponent: number): TNode { return this.apply('powc', [a], { exponent }); }
  /** GELU, x·Φ(x) with the exact erf */
  gelu(a: TNode): TNode { return this.apply('gelu', [a]); }
  /** Signed Quadratic Shrink sgn(x)·(|x|^p − c)/(1 + λ|x|^p), sgn(0) = +1 */
  sqs(a: TNode, c: number, lambda: number, p: number): TNode { return this.apply('sqs', [a], { c, lambda, p }); }
  /** Sum over `axes` (all when null). */
  sum(a: TNode, axes: readonly number[] | null = null, keepdims = false): TNode {
    return this.apply('sum', [a], { axes: axes ?? a.shape.map((_, i) => i), keepdims });
  }
  /** Broadcasts to `shape` (numpy rules). */
  expand(a: TNode, shape: Shape): TNode { return this.apply('expand', [a], { to: [...shape] }); }
  /** `inferLead`: the first dimension is left to the runtime (a graph with a symbolic batch) */
  reshape(a: TNode, shape: Shape, inferLead = false): TNode {
    return this.apply('reshape', [a], inferLead ? { to: [...shape], inferLead } : { to: [...shape] });
  }
  logSoftmax(a: TNode): TNode { return this.apply('logSoftmax', [a]); }
  /** the first element, shape [1, …, 1]; no gradient */
  corner(a: TNode): TNode { return this.apply('corner', [a]); }
  /** op(A)·op(B) for 2-D A, B, op = transpose when the flag is set. */
  gemm(a: TNode, b: TNode, transA = false, transB = false): TNode {
    return this.apply('gemm', [a, b], { transA, transB });
  }
  /** x·Wᵀ: the layer convention y = W x applied to a batch of row vectors. */
  linear(x: TNode, w: TNode): TNode { return this.gemm(x, w, false, true); }

  // The sequence-model ops (ops-sequence.ts).
  /** rows of `table` [V, d] at int64 `ids` [..] → [.., d] */
  gather(table: TNode, ids: TNode): TNode { return this.apply('gather', [table, ids]); }
  /** zeros [rows, d] plus `updates` [.., d] added at int64 row `ids` [..]; no gradient */
  scatterAddRows(ids: TNode, updates: TNode, rows: number): TNode { return this.apply('scatterAddRows', [ids, updates], { rows }); }
  /** op(A)·op(B) over equal leading dims; op = swap of the last two axes when the flag is set */
  matmul(a: TNode, b: TNode, transA = false, transB = false): TNode { return this.apply('matmul', [a, b], { transA, transB }); }
  transpose(a: TNode, perm: readonly number[]): TNode { return this.apply('transpose', [a], { perm: [...perm] }); }
  /** softmax over the last axis of [.., T, T] with entries j > i masked */
  causalSoftmax(a: TNode): TNode { return this.apply('causalSoftmax', [a]); }
  /** x / √(mean(x²) + eps) over the last axis */
  rmsnorm(a: TNode, eps: number): TNode { return this.apply('rmsnorm', [a], { eps }); }
  /** rotary position embedding over [.., T, dh] (rotate-half); `inverse` rotates back */
  rotary(a: TNode, base: number, inverse = false): TNode { return this.apply('rotary', [a], { base, inverse }); }
  /** float one-hot rows [.., depth] of int64 ids; no gradient */
  oneHot(ids: TNode, depth: number): TNode { return this.apply('oneHot', [ids], { depth }); }
  /** mean cross-entropy of logits [M, V] against int64 targets [M] */
  tokenCrossEntropy(logits: TNode, targets: TNode): TNode { return this.apply('tokenCrossEntropy', [logits, targets]); }
  maximum(a: TNode, b: TNode): TNode { return this.apply('maximum', [a, b]); }
}
