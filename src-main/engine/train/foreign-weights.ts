// Weights trained in another framework, mapped onto our classifier's tensors: which source tensor
// becomes which of ours (embed, layers.i.w, layers.i.v, layers.i.out, head, all [out, in] as
// PyTorch's nn.Linear stores them), transposed where the source stores [in, out], and cut out of a
// fused tensor where the source keeps W and V in one. A mapping is a preset (below) or a JSON file
// of the same shape. Anything that does not fit is refused in one message naming every missing
// and unexpected tensor and every shape mismatch.
import type { DecodedSafetensors } from '../util/safetensors';
import type { Params, ParamSpec } from '../nn/classifier';

/** Where one of our tensors comes from. */
export interface TensorSource {
  /** the source tensor's name */
  from: string;
  /** the source stores [in, out] (einsum style): transpose it */
  transpose?: boolean;
  /** take part `index` of `parts` equal row blocks (after any transpose): a fused [W; V] */
  part?: [index: number, parts: number];
}

export interface WeightMapping {
  name: string;
  /** what it maps, and how sure we are of the source's names */
  description: string;
  /** our tensor name (embed, layers.0.w, …) → its source; `{i}` stands for the layer index */
  tensors: Record<string, TensorSource>;
  /** source tensors to leave out on purpose (e.g. a norm's all-ones weight), `{i}` as above */
  ignore?: string[];
}

/**
 * Presets for public PyTorch codebases of this line of work. We could not check their parameter
 * names against the repositories from here: each description says what it assumes, and a file
 * that does not fit is refused with the list of what differs, so a wrong assumption cannot import
 * silently. A mapping.json of the same shape covers any other layout.
 */
export const MAPPING_PRESETS: Record<string, WeightMapping> = {
  'bilinear-mlps': {
    name: 'bilinear-mlps',
    description:
      "The Bilinear MLPs paper's image models (Pearce et al., ICLR 2025; github.com/tdooms/bilinear-decomposition, src/image/model.py): nn.Linear layout, 'embed.weight' [d, d_in], each block a Bilinear layer whose one 'blocks.{i}.weight' [2h, d] holds W (the gated, left half) over V (the right half), and 'head.weight' [classes, h]. Their blocks have no output projection, so only one-layer models map onto ours.",
    tensors: {
      embed: { from: 'embed.weight' },
      'layers.{i}.w': { from: 'blocks.{i}.weight', part: [0, 2] },
      'layers.{i}.v': { from: 'blocks.{i}.weight', part: [1, 2] },
      head: { from: 'head.weight' },
    },
  },
  'einsum-glu': {
    name: 'einsum-glu',
    description:
      "GLU reimplementations (SQS among them) that keep their matrices as einsum parameters [in, out], TransformerLens style: 'W_E' [d_in, d], 'blocks.{i}.mlp.W_gate' and 'blocks.{i}.mlp.W_in' [d, h] for W (the gated branch) and V, 'blocks.{i}.mlp.W_out' [h, d], 'W_U' [h, classes] (or [d, classes] with more layers). A naming convention, not a checked repository: verify with a file of yours or write a mapping.json.",
    tensors: {
      embed: { from: 'W_E', transpose: true },
      'layers.{i}.w': { from: 'blocks.{i}.mlp.W_gate', transpose: true },
      'layers.{i}.v': { from: 'blocks.{i}.mlp.W_in', transpose: true },
      'layers.{i}.out': { from: 'blocks.{i}.mlp.W_out', transpose: true },
      head: { from: 'W_U', transpose: true },
    },
  },
};

/** A mapping from JSON (a mapping.json's text parsed), its problems named. */
export function mappingFromJson(raw: unknown, source: string): WeightMapping {
  const bad = (why: string): never => {
    throw new ForeignWeightsError(`${source}: ${why}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('must hold a JSON object {"tensors": {"embed": {"from": "…"}, …}}');
  const r = raw as Record<string, unknown>;
  if (typeof r.tensors !== 'object' || r.tensors === null) bad("needs 'tensors': our tensor name → {from, transpose?, part?}");
  const tensors: Record<string, TensorSource> = {};
  for (const [ours, v] of Object.entries(r.tensors as Record<string, unknown>)) {
    const s = typeof v === 'string' ? { from: v } : (v as Record<string, unknown>);
    if (typeof s !== 'object' || s === null || typeof s.from !== 'string') bad(`tensors.${ours}: must be a source name or {from, transpose?, part?}`);
    if (s.transpose !== undefined && typeof s.transpose !== 'boolean') bad(`tensors.${ours}.transpose: must be true or false`);
    const part = s.part as unknown;
    if (part !== undefined && !(Array.isArray(part) && part.length === 2 && part.every(Number.isInteger) && part[0] >= 0 && part[0] < part[1])) bad(`tensors.${ours}.part: must be [index, parts] with 0 <= index < parts`);
    tensors[ours] = { from: s.from as string, ...(s.transpose !== undefined ? { transpose: s.transpose as boolean } : {}), ...(part !== undefined ? { part: part as [number, number] } : {}) };
  }
  const ignore = Array.isArray(r.ignore) ? r.ignore.filter((x): x is string => typeof x === 'string') : undefined;
  return { name: source, description: typeof r.description === 'string' ? r.description : `mapping from ${source}`, tensors, ...(ignore ? { ignore } : {}) };
}

export class ForeignWeightsError extends Error {
  override name = 'ForeignWeightsError';
}

/** The mapping's entry for one of our tensors, its layer index filled in. */
function sourceOf(m: WeightMapping, name: string): TensorSource | null {
  const layer = /^layers\.(\d+)\.(\w+)$/.exec(name);
  const key = layer ? `layers.{i}.${layer[2]}` : name;
  const s = m.tensors[name] ?? m.tensors[key];
  if (!s) return null;
  return { ...s, from: s.from.replaceAll('{i}', layer ? layer[1] : '{i}') };
}

/** How many GLU layers the source holds: the layer indices its W tensors are found at. */
export function sourceLayers(m: WeightMapping, w: DecodedSafetensors): number {
  let n = 0;
  while (n < 64 && sourceOf(m, `layers.${n}.w`) && w.tensors.has(sourceOf(m, `layers.${n}.w`)!.from)) n++;
  return n;
}

/** Our tensor's [rows, cols] as the source tensor gives it (after transpose and part), or null when it is not 2-D. */
export function mappedShape(shape: readonly number[], s: TensorSource): [number, number] | null {
  if (shape.length !== 2) return null;
  const [r, c] = s.transpose ? [shape[1], shape[0]] : [shape[0], shape[1]];
  return s.part ? [r / s.part[1], c] : [r, c];
}

/** Our parameters from the source's tensors, or one error naming everything that does not fit. */
export function mapWeights(w: DecodedSafetensors, m: WeightMapping, specs: readonly ParamSpec[], source: string): Params {
  const missing: string[] = [];
  const shapes: string[] = [];
  const used = new Set<string>();
  const params: Params = new Map();
  for (const spec of specs) {
    const s = sourceOf(m, spec.name);
    if (!s) {
      missing.push(`${spec.name} (the mapping names no source for it)`);
      continue;
    }
    const t = w.tensors.get(s.from);
    if (!t) {
      missing.push(`${s.from} (for ${spec.name}, ${spec.shape.join('×')}${s.transpose ? ' transposed' : ''})`);
      continue;
    }
    used.add(s.from);
    const shape = mappedShape(t.shape, s);
    if (!shape || !Number.isInteger(shape[0]) || shape[0] !== spec.shape[0] || shape[1] !== spec.shape[1]) {
      shapes.push(`${s.from} is [${t.shape.join(', ')}] but ${spec.name} needs [${spec.shape.join(', ')}]${s.transpose ? ' after a transpose' : ''}${s.part ? ` as part ${s.part[0] + 1} of ${s.part[1]}` : ''}`);
      continue;
    }
    if (t.dtype !== 'F32' && t.dtype !== 'F64') {
      shapes.push(`${s.from} has dtype ${t.dtype}; F32 or F64 expected`);
      continue;
    }
    params.set(spec.name, take(t.data as Float32Array | Float64Array, t.shape as [number, number], s));
  }
  const ignored = (m.ignore ?? []).map((p) => new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replaceAll('\\{i\\}', '\\d+').replaceAll('{i}', '\\d+')}$`));
  const unexpected = [...w.tensors.keys()].filter((k) => !used.has(k) && !ignored.some((r) => r.test(k)));
  if (missing.length || unexpected.length || shapes.length) {
    const parts = [
      missing.length ? `missing: ${missing.join('; ')}` : '',
      unexpected.length ? `unexpected: ${unexpected.map((k) => `${k} [${w.tensors.get(k)!.shape.join(', ')}]`).join('; ')}` : '',
      shapes.length ? `shape mismatches: ${shapes.join('; ')}` : '',
    ].filter(Boolean);
    throw new ForeignWeightsError(`${source} does not fit mapping '${m.name}' for this model: ${parts.join('. ')}. ${m.description}`);
  }
  return params;
}

/** Our [rows, cols] row-major float32 from the source's data. */
function take(data: Float32Array | Float64Array, shape: [number, number], s: TensorSource): Float32Array {
  const [r0, c0] = shape;
  const [rows, cols] = s.transpose ? [c0, r0] : [r0, c0];
  const per = s.part ? rows / s.part[1] : rows;
  const first = s.part ? s.part[0] * per : 0;
  const out = new Float32Array(per * cols);
  for (let i = 0; i < per; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = s.transpose ? data[j * c0 + (first + i)] : data[(first + i) * c0 + j];
  return out;
}
