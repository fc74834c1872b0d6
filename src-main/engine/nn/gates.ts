// Each gate defined once: its graph (training, evaluation and export all build from it) and its
// scalar reference (analysis and tests). Gradients come from the op table's rules.
import type { GraphBuilder, TNode } from '../onnx/graph';
import type { GateName, SqsParams } from '../train/config';

export interface Gate {
  readonly name: GateName;
  /** false for the relu-mlp baseline, which has no V branch and no gate product */
  readonly product: boolean;
  /** σ applied elementwise to a graph value */
  graph(b: GraphBuilder, x: TNode): TNode;
  /** σ(x) in float64 */
  scalar(x: number): number;
  /** the gate and its parameters, as stored with a run's weights */
  describe(): Record<string, string>;
}

export function makeGate(name: GateName, sqs: SqsParams): Gate {
  switch (name) {
    case 'bilinear':
      return simple(name, (_b, x) => x, (x) => x);
    case 'sqs':
      return sqsGate(sqs);
    case 'swiglu':
      return simple(name, (b, x) => b.mul(x, b.sigmoid(x)), (x) => x / (1 + Math.exp(-x)));
    case 'geglu':
      // exact GELU, x·Φ(x) with the erf form (not the tanh approximation)
      return simple(name, (b, x) => b.gelu(x), (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2)));
    case 'reglu':
      return simple(name, (b, x) => b.relu(x), (x) => Math.max(x, 0));
    case 'relu-mlp':
      return { ...simple(name, (b, x) => b.relu(x), (x) => Math.max(x, 0)), product: false };
  }
}

function simple(name: GateName, graph: Gate['graph'], scalar: Gate['scalar']): Gate {
  return { name, product: true, graph, scalar, describe: () => ({ gate: name }) };
}

/** SQS(x) = sgn(x)·(|x|^p − c)/(1 + λ|x|^p), sgn(0) = +1. */
function sqsGate({ c, lambda, p }: SqsParams): Gate {
  return {
    name: 'sqs',
    product: true,
    graph: (b, x) => b.sqs(x, c, lambda, p),
    scalar(x) {
      const ap = Math.abs(x) ** p;
      return (x < 0 ? -1 : 1) * ((ap - c) / (1 + lambda * ap));
    },
    describe: () => ({ gate: 'sqs', 'sqs.c': String(c), 'sqs.lambda': String(lambda), 'sqs.p': String(p) }),
  };
}

/** erf in float64 (series below 2.5, continued fraction above), for scalar references. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)): all terms positive, no cancellation
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
      term *= (2 * ax * ax) / (2 * n + 1);
      sum += term;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
  }
  if (ax > 7) return Math.sign(x);
  let f = 0;
  for (let n = 120; n >= 1; n--) f = n / 2 / (ax + f);
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f));
}
