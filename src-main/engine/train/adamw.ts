// AdamW (decoupled weight decay, bias-corrected moments) as graph ops, plus the per-step
// scalars the host feeds it. PyTorch's semantics, so results compare with the literature.
import type { GraphBuilder, TNode } from '../onnx/graph';

export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/**
 * The scalar inputs of one update, computed once per step on the host in float64. With
 * bc_i = 1 − β_i^t, lr·m̂/(√v̂ + ε) = (lr·√bc2/bc1)·m/(√v + ε·√bc2): folding the bias
 * corrections into two scalars saves a pass over every parameter.
 */
export interface AdamScalars {
  /** 1 − lr·wd: the decoupled weight decay */
  decay: number;
  /** lr·√bc2 / bc1 */
  stepSize: number;
  /** ε·√bc2 */
  epsHat: number;
}

export function adamScalars(lr: number, wd: number, t: number): AdamScalars {
  const bc1 = 1 - ADAM.beta1 ** t;
  const sqrtBc2 = Math.sqrt(1 - ADAM.beta2 ** t);
  return { decay: 1 - lr * wd, stepSize: (lr * sqrtBc2) / bc1, epsHat: ADAM.eps * sqrtBc2 };
}

export interface AdamScalarNodes {
  decay: TNode;
  stepSize: TNode;
  epsHat: TNode;
}

/** p ← p·(1 − lr·wd) − lr·m̂/(√v̂ + ε), with m, v the updated moments. */
export function adamwUpdate(b: GraphBuilder, p: TNode, g: TNode, m: TNode, v: TNode, s: AdamScalarNodes) {
  const m1 = b.add(b.mul(m, b.scalar(ADAM.beta1)), b.mul(g, b.scalar(1 - ADAM.beta1)));
  const v1 = b.add(b.mul(v, b.scalar(ADAM.beta2)), b.mul(b.mul(g, g), b.scalar(1 - ADAM.beta2)));
  const step = b.mul(b.div(m1, b.add(b.sqrt(v1), s.epsHat)), s.stepSize);
  return { p: b.sub(b.mul(p, s.decay), step), m: m1, v: v1 };
}
