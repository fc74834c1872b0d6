// Output directions as a person types them: a token as text ("dog", which this run's tokenizer
// must read as exactly one token, "▁dog"), the difference of two ("he-she"), or a saved vector
// ("vector:<file>", a JSON array or a .safetensors file with one tensor of length d_model). Every
// refusal is one line that says what the text became.
import type { Tokenizer } from '../text/tokenizer';
import { UNKNOWN_ID } from '../text/special-tokens';
import { readRegularFile, UnreadableFileError } from '../util/regular-file';
import { decodeSafetensors } from '../util/safetensors';
import type { LmDirection, LmToken } from './lm-atlas-types';
import { AnalysisError } from './interaction';

/** A direction resolved: what it is and u itself. */
export interface ResolvedDirection {
  direction: LmDirection;
  u: Float64Array;
}

/** A token as a reader sees it: ▁ shown as a space. */
export const tokenText = (token: string): string => token.replaceAll('▁', ' ');

export function lmToken(tokenizer: Tokenizer, id: number): LmToken {
  const token = tokenizer.idToToken(id) ?? `<${id}>`;
  return { id, token, text: tokenText(token) };
}

/** The one token `text` stands for with this tokenizer; refused in one line otherwise. */
export async function resolveToken(tokenizer: Tokenizer, text: string): Promise<LmToken> {
  const ids = [...(await tokenizer.encode(text))];
  if (ids.length === 1 && ids[0] !== UNKNOWN_ID) return lmToken(tokenizer, ids[0]);
  // a token typed as the vocabulary spells it ("▁dog", "<|endoftext|>")
  const exact = tokenizer.tokenToId(text);
  if (exact !== null) return lmToken(tokenizer, exact);
  if (ids.length === 0) throw new AnalysisError(`'${text}' holds no token`);
  const pieces = ids.map((id) => tokenizer.idToToken(id) ?? `<${id}>`);
  if (ids.includes(UNKNOWN_ID)) throw new AnalysisError(`unknown token '${text}': this run's tokenizer reads it as ${pieces.join(' ')}`);
  throw new AnalysisError(`'${text}' is ${ids.length} tokens with this run's tokenizer (${pieces.join(' ')}), not one; give a single token`);
}

export interface DirectionContext {
  tokenizer: Tokenizer;
  dModel: number;
  /** u for a token id (W_U[t] ⊙ g_final) */
  tokenVector: (id: number) => Float64Array;
}

/** The direction `spec` names: vector:<file>, a single token, or tok1-tok2 (split at the first '-' whose both sides are tokens). */
export async function resolveDirection(spec: string, c: DirectionContext): Promise<ResolvedDirection> {
  if (spec.startsWith('vector:')) {
    const path = spec.slice('vector:'.length);
    return { direction: { kind: 'vector', spec, label: `vector ${path.split(/[\\/]/).pop()}`, path }, u: readDirectionVector(path, c.dModel) };
  }
  let single: unknown;
  try {
    const token = await resolveToken(c.tokenizer, spec);
    return { direction: { kind: 'token', spec, label: token.text.trim() || token.token, token }, u: c.tokenVector(token.id) };
  } catch (e) {
    single = e;
  }
  const cuts = [...spec.matchAll(/-/g)].map((m) => m.index).filter((i) => i > 0 && i < spec.length - 1);
  let firstProblem: unknown = null;
  for (const i of cuts) {
    try {
      const plus = await resolveToken(c.tokenizer, spec.slice(0, i));
      const minus = await resolveToken(c.tokenizer, spec.slice(i + 1));
      const a = c.tokenVector(plus.id);
      const b = c.tokenVector(minus.id);
      const label = `${plus.text.trim() || plus.token} − ${minus.text.trim() || minus.token}`;
      return { direction: { kind: 'difference', spec, label, plus, minus }, u: a.map((x, k) => x - b[k]) };
    } catch (e) {
      firstProblem ??= e;
    }
  }
  throw firstProblem ?? single;
}

/** The largest direction file read: a d_model of a few thousand is a few tens of KiB. */
const MAX_VECTOR_BYTES = 64 * 2 ** 20;

/** A saved direction of length d_model, finite, not all zero. */
export function readDirectionVector(path: string, d: number): Float64Array {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, MAX_VECTOR_BYTES, 'a direction vector');
  } catch (e) {
    throw e instanceof UnreadableFileError ? new AnalysisError(e.message) : e;
  }
  let values: Float64Array;
  if (path.endsWith('.safetensors')) {
    let tensors;
    try {
      tensors = [...decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path).tensors.values()];
    } catch (e) {
      throw new AnalysisError(`${path}: ${(e as Error).message.split('\n')[0]}`);
    }
    if (tensors.length !== 1) throw new AnalysisError(`${path}: holds ${tensors.length} tensors; a direction is one tensor of length ${d}`);
    if (tensors[0].dtype !== 'F32' && tensors[0].dtype !== 'F64') throw new AnalysisError(`${path}: its tensor is ${tensors[0].dtype}; a direction is F32 or F64`);
    values = Float64Array.from(tensors[0].data as Float32Array | Float64Array);
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new AnalysisError(`${path}: not JSON; a direction is a JSON array of ${d} numbers or a .safetensors file`);
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'number')) throw new AnalysisError(`${path}: not a JSON array of numbers`);
    values = Float64Array.from(parsed as number[]);
  }
  if (values.length !== d) throw new AnalysisError(`${path}: the vector has ${values.length} entries; the model's residual stream has d_model = ${d}`);
  if (!values.every(Number.isFinite)) throw new AnalysisError(`${path}: the vector holds a value that is not a finite number`);
  if (values.every((x) => x === 0)) throw new AnalysisError(`${path}: the vector is all zeros`);
  return values;
}

/** Vocabulary tokens whose text contains `query` (case-insensitive; a space matches ▁): exact matches, then prefixes, then the rest, each by id. */
export function searchTokens(tokenizer: Tokenizer, count: number, query: string, limit: number): LmToken[] {
  const q = query.toLowerCase();
  const found: { t: LmToken; rank: number }[] = [];
  for (let id = 0; id < count; id++) {
    const t = lmToken(tokenizer, id);
    const text = t.text.toLowerCase();
    if (!text.includes(q)) continue;
    const rank = text === q || text.trim() === q ? 0 : text.startsWith(q) || text.trimStart().startsWith(q) ? 1 : 2;
    found.push({ t, rank });
  }
  found.sort((a, b) => a.rank - b.rank || a.t.id - b.t.id);
  return found.slice(0, limit).map((f) => f.t);
}
