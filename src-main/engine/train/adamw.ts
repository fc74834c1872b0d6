// AdamW (decoupled weight decay, bias-corrected moments) as graph ops, plus the per-step
// scalars the host feeds it. PyTorch's semantics, so results compare with the literature.
import type { GraphBuilder, TNode } from '../onnx/graph';

export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** The scalar inputs of one update, computed once per step on the host in float64. */
export interface AdamScalars {
  /** 1 − lr·wd: the decoupled weight decay */
  decay: number;
  /** lr / (1 − β1^t) */
  stepSize: number;
  /** 1 / (1 − β2^t) */
  invBc2: number;
}

export function adamScalars(lr: number, wd: number, t: number): AdamScalars {
  return {
    decay: 1 - lr * wd,
    stepSize: lr / (1 - ADAM.beta1 ** t),
    invBc2: 1 / (1 - ADAM.beta2 ** t),
  };
}

export interface AdamScalarNodes {
  decay: TNode;
  stepSize: TNode;
  invBc2: TNode;
}

/** p ← p·(1 − lr·wd) − lr·m̂/(√v̂ + ε), with m, v the updated moments. */
export function adamwUpdate(b: GraphBuilder, p: TNode, g: TNode, m: TNode, v: TNode, s: AdamScalarNodes) {
  const m1 = b.add(b.mul(m, b.scalar(ADAM.beta1)), b.mul(g, b.scalar(1 - ADAM.beta1)));
  const v1 = b.add(b.mul(v, b.scalar(ADAM.beta2)), b.mul(b.mul(g, g), b.scalar(1 - ADAM.beta2)));
  const denom = b.add(b.sqrt(b.mul(v1, s.invBc2)), b.scalar(ADAM.eps));
  const p1 = b.sub(b.mul(p, s.decay), b.div(b.mul(m1, s.stepSize), denom));
  return { p: p1, m: m1, v: v1 };
}
