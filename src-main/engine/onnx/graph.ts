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
}

export class GraphBuilder {
  private nextId = 0;
  readonly inputs: GraphInput[] = [];
  private readonly scalars = new Map<number, TNode>();

  input(name: string, shape: Shape, opts: { needsGrad?: boolean; dynamicBatch?: boolean } = {}): TNode {
    if (this.inputs.some((i) => i.name === name)) throw new Error(`graph input '${name}' is declared twice`);
    const node = this.make('input', [], shape, { name }, opts.needsGrad ?? false);
    this.inputs.push({ node, name, dynamicBatch: opts.dynamicBatch ?? false });
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
  reshape(a: TNode, shape: Shape): TNode { return this.apply('reshape', [a], { to: [...shape] }); }
  logSoftmax(a: TNode): TNode { return this.apply('logSoftmax', [a]); }
  /** the first element, shape [1, …, 1]; no gradient */
  corner(a: TNode): TNode { return this.apply('corner', [a]); }
  /** op(A)·op(B) for 2-D A, B, op = transpose when the flag is set. */
  gemm(a: TNode, b: TNode, transA = false, transB = false): TNode {
    return this.apply('gemm', [a, b], { transA, transB });
  }
  /** x·Wᵀ: the layer convention y = W x applied to a batch of row vectors. */
  linear(x: TNode, w: TNode): TNode { return this.gemm(x, w, false, true); }
}
