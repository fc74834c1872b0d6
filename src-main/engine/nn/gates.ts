// The registry of gates: each gate says once what it is called, whether it has a gate product
// (and so interaction matrices to read), whether reading its weights is exact or first order,
// its parameters with their ranges and defaults, its graph (training, evaluation and export all
// build from it) and its float64 scalar form (analysis and tests). Gradients come from the op
// table's rules. Adding a gate is one entry here, plus its op in onnx/ops.ts if it needs a new one.
// Node-free: the contract and the renderer's forms read the names, labels and parameters.
import type { GraphBuilder, TNode } from '../onnx/graph';
import type { NumberRange } from '../util/range';

export interface GateParam<K extends string = string> {
  readonly key: K;
  /** as a form shows it, after the gate's label: "SQS λ" */
  readonly label: string;
  /** one line, as the CLI's --help shows it */
  readonly help: string;
  readonly range: NumberRange;
  readonly default: number;
}

type Values<P extends readonly GateParam[]> = { readonly [Q in P[number] as Q['key']]: number };

interface GateEntry<N extends string, P extends readonly GateParam[]> {
  readonly name: N;
  readonly label: string;
  /** false: one branch and no product (the relu-mlp baseline), hence no interaction matrices */
  readonly product: boolean;
  /** true: a one-layer model's logits are exactly Σ λ (vᵀz)² (bilinear); otherwise the reading is first order */
  readonly exact: boolean;
  /** stored in a run's config under the gate's name (config.sqs.c) */
  readonly params: P;
  /** σ applied elementwise to a graph value */
  graph(b: GraphBuilder, x: TNode, p: Values<P>): TNode;
  /** σ(x) in float64 */
  scalar(x: number, p: Values<P>): number;
}

const entry = <const N extends string, const P extends readonly GateParam[]>(e: GateEntry<N, P>): GateEntry<N, P> => e;

const GATE_LIST = [
  entry({ name: 'bilinear', label: 'bilinear', product: true, exact: true, params: [], graph: (_b, x) => x, scalar: (x) => x }),
  entry({
    name: 'sqs',
    label: 'SQS',
    product: true,
    exact: false,
    params: [
      { key: 'c', label: 'c', help: 'SQS shrink c', range: { min: 0 }, default: 0.01 },
      { key: 'lambda', label: 'λ', help: 'SQS lambda (the gate saturates at +-1/lambda)', range: { min: 0, above: true }, default: 0.5 },
      { key: 'p', label: 'p', help: 'SQS power p', range: { min: 1 }, default: 1 },
    ],
    graph: (b, x, { c, lambda, p }) => b.sqs(x, c, lambda, p),
    // SQS(x) = sgn(x)·(|x|^p − c)/(1 + λ|x|^p), sgn(0) = +1
    scalar(x, { c, lambda, p }) {
      const ap = Math.abs(x) ** p;
      return (x < 0 ? -1 : 1) * ((ap - c) / (1 + lambda * ap));
    },
  }),
  entry({ name: 'swiglu', label: 'SwiGLU', product: true, exact: false, params: [], graph: (b, x) => b.mul(x, b.sigmoid(x)), scalar: (x) => x / (1 + Math.exp(-x)) }),
  // exact GELU, x·Φ(x) with the erf form (not the tanh approximation)
  entry({ name: 'geglu', label: 'GEGLU', product: true, exact: false, params: [], graph: (b, x) => b.gelu(x), scalar: (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2)) }),
  entry({ name: 'reglu', label: 'ReGLU', product: true, exact: false, params: [], graph: (b, x) => b.relu(x), scalar: (x) => Math.max(x, 0) }),
  entry({ name: 'relu-mlp', label: 'ReLU MLP (baseline)', product: false, exact: false, params: [], graph: (b, x) => b.relu(x), scalar: (x) => Math.max(x, 0) }),
] as const;

type AnyEntry = (typeof GATE_LIST)[number];
export type GateName = AnyEntry['name'];
export const GATE_NAMES = GATE_LIST.map((g) => g.name) as unknown as readonly [GateName, ...GateName[]];

/** The parameters of every gate that has some, by gate name: {sqs: {c, lambda, p}}, as a TrainConfig holds them. */
export type GateSettings = { [E in AnyEntry as E['params'] extends readonly [] ? never : E['name']]: { [Q in E['params'][number] as Q['key']]: number } };
/** SQS(x) = sgn(x)·(|x|^p − c)/(1 + λ|x|^p); c ≥ 0, λ > 0, p ≥ 1. */
export type SqsParams = GateSettings['sqs'];

/** What forms, flags and schemas need to know of a gate; no functions. */
export interface GateInfo {
  readonly name: GateName;
  readonly label: string;
  readonly product: boolean;
  readonly exact: boolean;
  readonly params: readonly GateParam[];
}

export const GATES: readonly GateInfo[] = GATE_LIST;

export function isGateName(name: unknown): name is GateName {
  return typeof name === 'string' && (GATE_NAMES as readonly string[]).includes(name);
}

export function gateInfo(name: GateName): GateInfo {
  return GATE_LIST.find((g) => g.name === name)!;
}

/** Every gate's parameters at their defaults. */
export function defaultGateSettings(): GateSettings {
  const out: Record<string, Record<string, number>> = {};
  for (const g of GATES) if (g.params.length > 0) out[g.name] = Object.fromEntries(g.params.map((p) => [p.key, p.default]));
  return out as GateSettings;
}

/** A gate with its parameters bound, as a model uses it. */
export interface Gate {
  readonly name: GateName;
  readonly product: boolean;
  readonly exact: boolean;
  /** σ applied elementwise to a graph value */
  graph(b: GraphBuilder, x: TNode): TNode;
  /** σ(x) in float64 */
  scalar(x: number): number;
  /** the gate and its parameters, as stored with a run's weights: {gate: 'sqs', 'sqs.c': '0.01', …} */
  describe(): Record<string, string>;
}

/** `name` with its parameters taken from `settings` (a TrainConfig holds them). */
export function makeGate(name: GateName, settings: GateSettings): Gate {
  const e = GATE_LIST.find((g) => g.name === name) as GateEntry<GateName, readonly GateParam[]> | undefined;
  if (!e) throw new Error(`unknown gate '${String(name)}'`);
  const values: Record<string, number> = e.params.length > 0 ? { ...(settings as Record<string, Record<string, number>>)[name] } : {};
  return {
    name,
    product: e.product,
    exact: e.exact,
    graph: (b, x) => e.graph(b, x, values),
    scalar: (x) => e.scalar(x, values),
    describe: () => ({ gate: name, ...Object.fromEntries(e.params.map((p) => [`${name}.${p.key}`, String(values[p.key])])) }),
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
