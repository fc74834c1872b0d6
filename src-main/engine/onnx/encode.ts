// Writes a graph as an ONNX ModelProto (through the maintained `onnx-proto` package).
import onnxProto from 'onnx-proto';
import { topologicalOrder } from './autodiff';
import type { GraphInput, InputDtype, TNode } from './graph';
import { OPS, type EmitContext } from './ops';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
export const OPSET = 17;

export interface GraphOutput {
  name: string;
  node: TNode;
  dynamicBatch?: boolean;
}

export interface EncodeOptions {
  name: string;
  inputs: readonly GraphInput[];
  outputs: readonly GraphOutput[];
  docString?: string;
  metadata?: Record<string, string>;
  /** graph inputs whose values are baked into the model as float32 initializers */
  weights?: ReadonlyMap<string, Float32Array>;
}

export function encodeModel(opts: EncodeOptions): Uint8Array {
  const names = new Map<number, string>();
  for (const i of opts.inputs) names.set(i.node.id, i.name);
  // A computed value that is a graph output takes the output's name directly: no copy.
  const aliased: GraphOutput[] = [];
  for (const o of opts.outputs) {
    if (o.node.op === 'input' || o.node.op === 'const' || names.has(o.node.id)) aliased.push(o);
    else names.set(o.node.id, o.name);
  }
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  const initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  const constCache = new Map<string, string>();
  let temps = 0;

  const ctx: EmitContext = {
    ref: (node) => {
      let n = names.get(node.id);
      if (!n) {
        n = node.op === 'const' ? ctx.constFloat(node.attrs.value as number) : `t${node.id}`;
        names.set(node.id, n);
      }
      return n;
    },
    node: (opType, inputs, out, attrs = {}) => {
      nodes.push(
        onnx.NodeProto.create({
          opType,
          input: inputs,
          output: [out],
          name: `${opType}_${nodes.length}`,
          attribute: Object.entries(attrs).map(([name, v]) =>
            Array.isArray(v)
              ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v })
              : typeof v === 'string'
                ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) })
                : onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: v }),
          ),
        }),
      );
    },
    temp: () => `tmp${temps++}`,
    constFloat: (value) => cached(`f:${Object.is(value, -0) ? '-0' : value}`, () =>
      onnx.TensorProto.create({ dataType: FLOAT, dims: [], floatData: [value] })),
    constInt64: (values) => cached(`i:${values.join(',')}`, () =>
      onnx.TensorProto.create({ dataType: INT64, dims: [values.length], int64Data: [...values] })),
    constTensor: (data, dims) => {
      // keyed by its bytes: the forward and the gradient ask for the same tables
      const copy = data.slice();
      const key = `t:${dims.join('x')}:${new Uint32Array(copy.buffer).join(',')}`;
      return cached(key, () => onnx.TensorProto.create({ dataType: FLOAT, dims: [...dims], rawData: new Uint8Array(copy.buffer) }));
    },
  };

  function cached(key: string, make: () => InstanceType<typeof onnx.TensorProto>): string {
    let name = constCache.get(key);
    if (!name) {
      name = `c${constCache.size}`;
      const t = make();
      t.name = name;
      initializers.push(t);
      constCache.set(key, name);
    }
    return name;
  }

  for (const i of opts.inputs) {
    const data = opts.weights?.get(i.name);
    if (!data) continue;
    if (i.dtype !== 'float') throw new Error(`graph input '${i.name}' is ${i.dtype}: only float32 weights are baked in`);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    initializers.push(onnx.TensorProto.create({ name: i.name, dataType: FLOAT, dims: [...i.node.shape], rawData: bytes }));
  }
  const outputNodes = opts.outputs.map((o) => o.node);
  for (const node of topologicalOrder(outputNodes)) {
    if (node.op === 'input' || node.op === 'const') continue;
    OPS[node.op].emit(ctx, node);
  }
  // an input, a constant, or a value already named by another output still needs its own name
  for (const o of aliased) ctx.node('Identity', [ctx.ref(o.node)], o.name);

  const valueInfo = (name: string, shape: readonly number[], dynamicBatch: boolean, dtype: InputDtype = 'float') =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType: dtype === 'int64' ? INT64 : FLOAT,
          shape: { dim: shape.map((d, i) => (dynamicBatch && i === 0 ? { dimParam: 'N' } : { dimValue: d })) },
        },
      },
    });

  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'sqs-workbench',
    docString: opts.docString ?? '',
    metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: opts.name,
      node: nodes,
      initializer: initializers,
      input: opts.inputs.filter((i) => !opts.weights?.has(i.name)).map((i) => valueInfo(i.name, i.node.shape, i.dynamicBatch, i.dtype)),
      output: opts.outputs.map((o) => valueInfo(o.name, o.node.shape, o.dynamicBatch ?? false)),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
