import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  writeSafetensorsAtomic,
} from '../../../src-main/engine/util/safetensors';

// Builds a file byte by byte, independently of encodeSafetensors.
function handMade(header: string, data: number[], lengthOverride?: number): Uint8Array {
  const json = [...Buffer.from(header, 'utf8')];
  const len = lengthOverride ?? json.length;
  const prefix = [len & 0xff, (len >>> 8) & 0xff, (len >>> 16) & 0xff, (len >>> 24) & 0xff, 0, 0, 0, 0];
  return Uint8Array.from([...prefix, ...json, ...data]);
}

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe('safetensors encode/decode', () => {
  it('round-trips tensors and metadata', () => {
    const a = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 3);
    const b = Float32Array.from([Math.PI, -0, 1e-30, 3.4e38, Number.NaN, Infinity]);
    const bytes = encodeSafetensors(
      [
        { name: 'embed.weight', shape: [3, 4], data: a },
        { name: 'scalar', shape: [], data: Float32Array.of(7) },
        { name: 'b', shape: [2, 3], data: b },
        { name: 'empty', shape: [0, 5], data: new Float32Array(0) },
      ],
      { format: 'sqs-workbench', note: 'ünïcödé ✓' },
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'sqs-workbench', note: 'ünïcödé ✓' });
    expect([...tensors.keys()]).toEqual(['embed.weight', 'scalar', 'b', 'empty']);
    const ew = tensors.get('embed.weight')!;
    expect(ew.dtype).toBe('F32');
    expect(ew.shape).toEqual([3, 4]);
    expect(ew.data).toBeInstanceOf(Float32Array);
    expect([...ew.data]).toEqual([...a]);
    expect(tensors.get('scalar')!.shape).toEqual([]);
    expect([...tensors.get('scalar')!.data]).toEqual([7]);
    expect(Object.is(tensors.get('b')!.data[1], -0)).toBe(true);
    expect([...tensors.get('b')!.data]).toEqual([...b]);
    expect(tensors.get('empty')!.data.length).toBe(0);
  });

  it('decodes to empty metadata when none is given', () => {
    const { metadata, tensors } = decodeSafetensors(encodeSafetensors([]));
    expect(metadata).toEqual({});
    expect(tensors.size).toBe(0);
  });

  it('pads the header with spaces so the data starts 8-byte aligned, tensors contiguous', () => {
    for (const name of ['x', 'xy', 'xyz', 'abcd', 'abcde', 'abcdef', 'abcdefg', 'abcdefgh']) {
      const bytes = encodeSafetensors([
        { name, shape: [3], data: Float32Array.of(1, 2, 3) },
        { name: 'second', shape: [1], data: Float32Array.of(4) },
      ]);
      const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      expect((8 + n) % 8).toBe(0);
      const header = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
      const trimmed = header.trimEnd();
      expect(header.length - trimmed.length).toBeLessThan(8);
      expect(header.slice(trimmed.length)).toMatch(/^ *$/);
      const parsed = JSON.parse(header);
      expect(parsed[name].data_offsets).toEqual([0, 12]);
      expect(parsed.second.data_offsets).toEqual([12, 16]);
      expect(bytes.length).toBe(8 + n + 16);
    }
  });

  it('writes exactly the bytes of a hand-built file', () => {
    const header = '{"__metadata__":{"k":"v"},"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(header.length).toBe(79); // one space of padding brings it to 80
    // 1.0f = 0x3f800000, -2.0f = 0xc0000000, little-endian
    const expected = handMade(header + ' ', [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    const bytes = encodeSafetensors([{ name: 't', shape: [2], data: Float32Array.of(1, -2) }], { k: 'v' });
    expect([...bytes]).toEqual([...expected]);
  });

  it('reads a hand-built file with every dtype at unaligned offsets', () => {
    const header =
      '{"u":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},' +
      '"i":{"dtype":"I32","shape":[1,2],"data_offsets":[3,11]},' +
      '"d":{"dtype":"F64","shape":[1],"data_offsets":[11,19]},' +
      '"f":{"dtype":"F32","shape":[1],"data_offsets":[19,23]}}';
    const data = [
      1, 2, 255, // U8
      0xff, 0xff, 0xff, 0xff, 0x2a, 0x00, 0x00, 0x00, // I32: -1, 42
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f, // F64: 1.5
      0x00, 0x00, 0x20, 0xc1, // F32: -10
    ];
    const file = handMade(header, data);
    // Sit the file at an odd offset of a bigger buffer, as a pooled Buffer would.
    const host = new Uint8Array(file.length + 3);
    host.set(file, 3);
    const { tensors } = decodeSafetensors(host.subarray(3), 'hand.safetensors');
    expect(tensors.get('u')!.data).toEqual(Uint8Array.of(1, 2, 255));
    expect(tensors.get('i')!.data).toEqual(Int32Array.of(-1, 42));
    expect(tensors.get('i')!.shape).toEqual([1, 2]);
    expect(tensors.get('d')!.data).toEqual(Float64Array.of(1.5));
    expect(tensors.get('f')!.data).toEqual(Float32Array.of(-10));
    expect(tensors.get('f')!.data.byteOffset).toBe(0);
  });

  it('rejects inconsistent input when encoding', () => {
    expect(() => encodeSafetensors([{ name: 'a', shape: [2, 2], data: new Float32Array(3) }])).toThrow(/'a'.*4 elements.*3 values/);
    const t = { name: 'a', shape: [1], data: new Float32Array(1) };
    expect(() => encodeSafetensors([t, t])).toThrow(/duplicate tensor name 'a'/);
    expect(() => encodeSafetensors([{ ...t, name: '__metadata__' }])).toThrow(/__metadata__/);
    expect(() => encodeSafetensors([{ ...t, shape: [-1] }])).toThrow(/invalid shape/);
  });
});

describe('safetensors corruption', () => {
  const ok = '{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const eight = [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0];
  const decode = (bytes: Uint8Array) => () => decodeSafetensors(bytes, 'bad.safetensors');

  it('accepts the uncorrupted hand-built file', () => {
    expect(decodeSafetensors(handMade(ok, eight)).tensors.get('t')!.data).toEqual(Float32Array.of(1, -2));
  });

  it('names the source and the defect', () => {
    expect(decode(Uint8Array.of(1, 2, 3))).toThrow(/^safetensors bad\.safetensors: .*too short/);
    expect(decode(handMade(ok, eight, 10_000))).toThrow(/bad\.safetensors: header length runs beyond the end/);
    const huge = handMade(ok, eight);
    huge[7] = 0xff; // a u64 far beyond any file
    expect(decode(huge)).toThrow(/bad\.safetensors: header length runs beyond the end/);
    expect(decode(handMade('{"t":{"dtype":', []))).toThrow(/bad\.safetensors: header is not valid UTF-8 JSON/);
    expect(decode(handMade('[1,2]', []))).toThrow(/bad\.safetensors: header is not a JSON object/);
    expect(decode(handMade(ok.replace('F32', 'F16'), eight))).toThrow(
      /bad\.safetensors: tensor 't' has unsupported dtype 'F16'/,
    );
    expect(decode(handMade(ok.replace('[0,8]', '[0,12]'), eight))).toThrow(
      /bad\.safetensors: tensor 't' data_offsets \[0, 12\] out of range of the 8-byte data section/,
    );
    expect(decode(handMade(ok.replace('[0,8]', '[8,0]'), eight))).toThrow(/data_offsets \[8, 0\] out of range/);
    expect(decode(handMade(ok.replace('[0,8]', '[0,4]'), eight))).toThrow(
      /bad\.safetensors: tensor 't' spans 4 bytes but shape \[2\] of F32 needs 8/,
    );
    expect(decode(handMade(ok.replace('[0,8]', '[0,-8]'), eight))).toThrow(/invalid data_offsets/);
    expect(decode(handMade(ok.replace('[2]', '"2"'), eight))).toThrow(/tensor 't' has an invalid shape/);
    expect(decode(handMade('{"__metadata__":{"n":1}}', []))).toThrow(/metadata 'n' is not a string/);
  });

  it('rejects overlapping tensors', () => {
    const header =
      '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' + '"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expect(decode(handMade(header, eight))).toThrow(/bad\.safetensors: tensors 'a' \[0, 8\] and 'b' \[4, 8\] overlap/);
  });

  it('rejects a data section the tensors do not tile exactly: a gap, or bytes after the last', () => {
    const gap = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' + '"b":{"dtype":"F32","shape":[0],"data_offsets":[8,8]}}';
    expect(decode(handMade(gap, eight))).toThrow(/bad\.safetensors: the last 4 bytes of the 8-byte data section belong to no tensor/);
    const hole = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expect(decode(handMade(hole, eight))).toThrow(/bad\.safetensors: bytes \[0, 4\) of the data section belong to no tensor/);
    expect(decode(handMade('{}', [0]))).toThrow(/the last 1 bytes of the 1-byte data section belong to no tensor/);
  });

  it('rejects a header that is not UTF-8', () => {
    const bytes = handMade('{"t":1}', []);
    bytes[10] = 0xff;
    expect(decode(bytes)).toThrow(/bad\.safetensors: header is not valid UTF-8 JSON/);
  });
});

describe('safetensors files', () => {
  it('writes atomically and reads back, leaving no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'safetensors-'));
    tmpDirs.push(dir);
    const path = join(dir, 'weights.safetensors');
    const w = Float32Array.from({ length: 6 }, (_, i) => i / 7);
    writeSafetensorsAtomic(path, [{ name: 'w', shape: [2, 3], data: w }], { step: '3' });
    writeSafetensorsAtomic(path, [{ name: 'w', shape: [2, 3], data: w.map((x) => -x) }], { step: '4' });
    expect(readdirSync(dir)).toEqual(['weights.safetensors']);
    const { tensors, metadata } = readSafetensors(path);
    expect(metadata).toEqual({ step: '4' });
    expect(tensors.get('w')!.data).toEqual(w.map((x) => -x));
    expect(readFileSync(path).length).toBe(encodeSafetensors([{ name: 'w', shape: [2, 3], data: w }], { step: '4' }).length);
  });

  it('names the path when reading a corrupt file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'safetensors-'));
    tmpDirs.push(dir);
    const path = join(dir, 'corrupt.safetensors');
    writeFileSync(path, handMade('{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', [0, 0, 0, 0]));
    expect(() => readSafetensors(path)).toThrow(`safetensors ${path}: tensor 't' data_offsets [0, 8] out of range`);
  });

  it('fails cleanly when the directory does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'safetensors-'));
    tmpDirs.push(dir);
    expect(() => writeSafetensorsAtomic(join(dir, 'missing', 'x.safetensors'), [])).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
