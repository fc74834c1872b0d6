// The GLU classifier x → z = E x → GLU layer(s) → logits, as graph ops; its parameter list,
// shapes and seeded initialisation. Tensor names are those a run's weights file uses.
import type { GraphBuilder, TNode } from '../onnx/graph';
import { Rng } from '../util/rng';
import type { Gate } from './gates';

export interface ModelDims {
  dIn: number;
  d: number;
  h: number;
  classes: number;
  layers: number;
}

export interface ParamSpec {
  name: string;
  shape: [number, number];
  /** fan-in, for the U(±1/√fan_in) initialisation */
  fanIn: number;
}

/** Parameters in a fixed order (the order of weight files and optimizer state). */
export function paramSpecs(dims: ModelDims, gate: Gate): ParamSpec[] {
  const { dIn, d, h, classes, layers } = dims;
  const specs: ParamSpec[] = [{ name: 'embed', shape: [d, dIn], fanIn: dIn }];
  for (let i = 0; i < layers; i++) {
    specs.push({ name: `layers.${i}.w`, shape: [h, d], fanIn: d });
    if (gate.product) specs.push({ name: `layers.${i}.v`, shape: [h, d], fanIn: d });
    if (layers > 1) specs.push({ name: `layers.${i}.out`, shape: [d, h], fanIn: h });
  }
  const headIn = layers === 1 ? h : d;
  specs.push({ name: 'head', shape: [classes, headIn], fanIn: headIn });
  return specs;
}

export type Params = Map<string, Float32Array>;

/** U(±1/√fan_in) for every matrix, drawn in spec order from the seed's init stream. */
export function initParams(specs: readonly ParamSpec[], seed: number): Params {
  const rng = new Rng(seed, 1);
  return new Map(specs.map((s) => [s.name, rng.fillUniform(new Float32Array(s.shape[0] * s.shape[1]), 1 / Math.sqrt(s.fanIn))]));
}

/** logits [B, C] for inputs x [B, dIn]; `p` maps parameter names to graph values. */
export function forward(b: GraphBuilder, gate: Gate, dims: ModelDims, p: ReadonlyMap<string, TNode>, x: TNode): TNode {
  const get = (name: string) => {
    const t = p.get(name);
    if (!t) throw new Error(`missing parameter '${name}'`);
    return t;
  };
  let z = b.linear(x, get('embed'));
  for (let i = 0; i < dims.layers; i++) {
    const a = gate.graph(b, b.linear(z, get(`layers.${i}.w`)));
    const g = gate.product ? b.mul(a, b.linear(z, get(`layers.${i}.v`))) : a;
    if (dims.layers === 1) return b.linear(g, get('head'));
    z = b.add(z, b.linear(g, get(`layers.${i}.out`)));
  }
  return b.linear(z, get('head'));
}
