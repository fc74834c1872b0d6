// The safetensors file format (https://github.com/huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of UTF-8 JSON, then the raw little-endian tensor
// bytes. Every tensor a workspace keeps (weights, checkpoints, eigenvectors) goes through
// here, so the reader assumes nothing about who wrote the file and checks every offset.

import { writeFileAtomic } from './atomic-file';
import { jsonFaultPlace } from './json-text';
import { byteSize, MAX_READ_BYTES, readRegularFile, readRegularFileRange, statRegularFile, UnreadableFileError } from './regular-file';

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export type TensorData = Float32Array | Float64Array | Int32Array | Uint8Array;

export interface DecodedTensor {
  dtype: string;
  shape: number[];
  data: TensorData;
}

export interface DecodedSafetensors {
  tensors: Map<string, DecodedTensor>;
  metadata: Record<string, string>;
}

const METADATA_KEY = '__metadata__';

interface DtypeInfo {
  size: number;
  make: (n: number) => TensorData;
  read: (v: DataView, at: number) => number;
}

const DTYPES: Record<string, DtypeInfo> = {
  F32: { size: 4, make: (n) => new Float32Array(n), read: (v, at) => v.getFloat32(at, true) },
  F64: { size: 8, make: (n) => new Float64Array(n), read: (v, at) => v.getFloat64(at, true) },
  I32: { size: 4, make: (n) => new Int32Array(n), read: (v, at) => v.getInt32(at, true) },
  U8: { size: 1, make: (n) => new Uint8Array(n), read: (v, at) => v.getUint8(at) },
};

// Typed arrays use the host's byte order; the file is always little-endian.
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function elementCount(shape: number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

function isDim(s: unknown): s is number {
  return typeof s === 'number' && Number.isSafeInteger(s) && s >= 0;
}

export function encodeSafetensors(tensors: NamedTensor[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`safetensors: metadata '${k}' must be a string, got ${typeof v}`);
    }
    header[METADATA_KEY] = metadata;
  }
  let offset = 0;
  for (const t of tensors) {
    if (t.name === METADATA_KEY) throw new Error(`safetensors: '${METADATA_KEY}' cannot name a tensor`);
    if (Object.prototype.hasOwnProperty.call(header, t.name)) {
      throw new Error(`safetensors: duplicate tensor name '${t.name}'`);
    }
    if (t.shape.some((s) => !isDim(s))) {
      throw new Error(`safetensors: tensor '${t.name}' has invalid shape [${t.shape.join(', ')}]`);
    }
    const n = elementCount(t.shape);
    if (n !== t.data.length) {
      throw new Error(
        `safetensors: tensor '${t.name}' has shape [${t.shape.join(', ')}] (${n} elements) but ${t.data.length} values`,
      );
    }
    const end = offset + n * 4;
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, end] };
    offset = end;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so the data section starts 8-byte aligned (readers may map it in place).
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);

  let at = 8 + headerLen;
  for (const t of tensors) {
    if (HOST_LITTLE_ENDIAN) {
      out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    } else {
      for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
    }
    at += t.data.byteLength;
  }
  return out;
}

type Fail = (what: string) => never;

interface Entry {
  name: string;
  dtype: string;
  info: DtypeInfo;
  shape: number[];
  begin: number;
  end: number;
}

/** A header's metadata and tensor entries, each checked against a data section of `dataLen` bytes. */
function parseHeader(headerBytes: Uint8Array, dataLen: number, fail: Fail): { metadata: Record<string, string>; entries: Entry[] } {
  let text = '';
  let header: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
    header = JSON.parse(text);
  } catch (e) {
    // where, never what: the file may be anything
    const place = e instanceof SyntaxError ? jsonFaultPlace(text, e) : 'its bytes are not UTF-8';
    fail(`header is not valid UTF-8 JSON${place ? ` (${place})` : ''}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const raw = header as Record<string, unknown>;

  const metadata: Record<string, string> = {};
  const rawMeta = raw[METADATA_KEY];
  if (rawMeta !== undefined) {
    if (typeof rawMeta !== 'object' || rawMeta === null || Array.isArray(rawMeta)) {
      fail(`'${METADATA_KEY}' is not an object`);
    }
    for (const [k, v] of Object.entries(rawMeta as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(`metadata '${k}' is not a string`);
      metadata[k] = v as string;
    }
  }

  const entries: Entry[] = [];
  for (const [name, entry] of Object.entries(raw)) {
    if (name === METADATA_KEY) continue;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`tensor '${name}' entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string') fail(`tensor '${name}' has no dtype`);
    const info = Object.prototype.hasOwnProperty.call(DTYPES, dtype as string) ? DTYPES[dtype as string] : undefined;
    if (!info) fail(`tensor '${name}' has unsupported dtype '${dtype}' (supported: ${Object.keys(DTYPES).join(', ')})`);
    if (!Array.isArray(shape) || !shape.every(isDim)) fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isDim)) {
      fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    if (begin > end || end > dataLen) {
      fail(`tensor '${name}' data_offsets [${begin}, ${end}] out of range of the ${dataLen}-byte data section`);
    }
    const dims = shape as number[];
    const count = elementCount(dims);
    const { size } = info as DtypeInfo;
    if (end - begin !== count * size) {
      fail(
        `tensor '${name}' spans ${end - begin} bytes but shape [${dims.join(', ')}] of ${dtype} needs ${count * size}`,
      );
    }
    entries.push({ name, dtype: dtype as string, info: info as DtypeInfo, shape: dims.slice(), begin, end });
  }

  // The tensors tile the data section exactly, as the format's reference reader demands: an
  // overlap, a gap or bytes after the last tensor mean the header does not describe the data
  // (a header length off by a few bytes shifts every tensor). Zero-length tensors occupy nothing.
  const filled = entries.filter((s) => s.end > s.begin).sort((a, b) => a.begin - b.begin);
  let covered = 0;
  let last: Entry | null = null;
  for (const cur of filled) {
    if (last && cur.begin < last.end) {
      fail(`tensors '${last.name}' [${last.begin}, ${last.end}] and '${cur.name}' [${cur.begin}, ${cur.end}] overlap`);
    }
    if (cur.begin > covered) fail(`bytes [${covered}, ${cur.begin}) of the data section belong to no tensor`);
    covered = cur.end;
    last = cur;
  }
  if (covered < dataLen) fail(`the last ${dataLen - covered} bytes of the ${dataLen}-byte data section belong to no tensor`);
  return { metadata, entries };
}

function failer(source: string): Fail {
  return (what: string): never => {
    throw new Error(`safetensors ${source}: ${what}`);
  };
}

export function decodeSafetensors(bytes: Uint8Array, source = '<buffer>'): DecodedSafetensors {
  const fail = failer(source);
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(bytes.length - 8)) {
    // the declared length is the file's first 8 bytes: not quoted, whatever the file is
    fail(`header length runs beyond the end of the file (${bytes.length - 8} bytes after the length)`);
  }
  const dataStart = 8 + Number(declared);
  const { metadata, entries } = parseHeader(bytes.subarray(8, dataStart), bytes.length - dataStart, fail);
  const tensors = new Map<string, DecodedTensor>();
  for (const e of entries) tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: copyOut(e.info, bytes, dataStart + e.begin, elementCount(e.shape)) });
  return { tensors, metadata };
}

// Copies into a fresh array: the source bytes may sit at any offset (e.g. a pooled Buffer),
// and typed arrays need element alignment.
function copyOut(info: DtypeInfo, bytes: Uint8Array, at: number, count: number): TensorData {
  const out = info.make(count);
  if (HOST_LITTLE_ENDIAN || info.size === 1) {
    new Uint8Array(out.buffer).set(bytes.subarray(at, at + count * info.size));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) out[i] = info.read(view, at + i * info.size);
  }
  return out;
}

export function writeSafetensorsAtomic(path: string, tensors: NamedTensor[], metadata?: Record<string, string>): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** A header larger than this is not one this app wrote (its headers are a few kilobytes). */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * Reads a safetensors file: a regular file only (no FIFO, device or link loop), its header length
 * and every tensor's offsets checked against the file's size before the tensors are read.
 */
export function readSafetensors(path: string): DecodedSafetensors {
  const fail = failer(path);
  let size: number;
  try {
    size = statRegularFile(path).size;
  } catch (e) {
    throw e instanceof UnreadableFileError ? fail(e.problem) : e;
  }
  if (size < 8) fail(`file is ${size} bytes, too short for the 8-byte header length`);
  if (size > MAX_READ_BYTES) fail(`file is ${byteSize(size)}, more than the ${byteSize(MAX_READ_BYTES)} a tensor file may have`);
  const declared = readRegularFileRange(path, 0, 8).readBigUInt64LE(0);
  if (declared > BigInt(size - 8)) fail(`header length runs beyond the end of the file (${size - 8} bytes after the length)`);
  const headerLen = Number(declared);
  if (headerLen > MAX_HEADER_BYTES) fail(`header length is more than the ${MAX_HEADER_BYTES} bytes a header may have`);
  parseHeader(readRegularFileRange(path, 8, headerLen), size - 8 - headerLen, fail);
  return decodeSafetensors(readRegularFile(path, size), path);
}

/** The index of the first NaN or ±Infinity in `data`, or -1 when every value is finite. */
export function firstNonFinite(data: TensorData): number {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return -1;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}
