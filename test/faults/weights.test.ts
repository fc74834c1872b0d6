// Weights that are not numbers: NaN or ±Infinity in any tensor of a run folder's weights, in its
// checkpoint, or an F64 value beyond float32. Reading, comparing and exporting the run refuse it
// with one line naming the file and the tensor, and write nothing.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFor } from '../../src-main/engine/train/trainer';
import { readCheckpoint, RunFileError } from '../../src-main/engine/train/run-files';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { encodeSafetensors, readSafetensors } from '../../src-main/engine/util/safetensors';
import { tempDir } from '../helpers/cli';
import { expectOneLine, snapshot } from './harness';
import { runMain as cli } from './run-main';

let root: string;
let good: string;
let n = 0;
const TENSORS = ['embed', 'layers.0.w', 'layers.0.v', 'head'];

beforeAll(async () => {
  root = tempDir('sqs-faults-weights-');
  good = join(root, 'good');
  const r = await cli(['train', '--d', '8', '--h', '8', '--epochs', '1', '--batch', '1024', '--out', good, '--json']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the good run whose `file` has `value` at `index` of `tensor`, written independently of our encoder. */
function poisoned(file: string, tensor: string, value: number, index = 3): string {
  const dir = join(root, `run-${n++}`);
  cpSync(good, dir, { recursive: true });
  const bytes = readFileSync(join(dir, file));
  const headerLen = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLen).toString('utf8'));
  bytes.writeFloatLE(value, 8 + headerLen + header[tensor].data_offsets[0] + 4 * index);
  writeFileSync(join(dir, file), bytes);
  return dir;
}

describe('non-finite weights', () => {
  const cases = TENSORS.flatMap((t) => [NaN, Infinity, -Infinity].map((v) => [t, v] as const));

  it.each(cases)('analyze refuses %s holding %s, naming the file and the tensor, and writes nothing', async (tensor, value) => {
    const dir = poisoned('weights.safetensors', tensor, value);
    const before = snapshot(dir);
    const r = await cli(['analyze', dir]);
    expectOneLine(r, 1, new RegExp(`${join(dir, 'weights.safetensors')}: tensor '${tensor.replace('.', '\\.')}' holds ${value} at index 3; weights must be finite`));
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(join(dir, 'analysis'))).toBe(false);
  });

  it.each(TENSORS)('compare-features refuses NaN in %s of either run', async (tensor) => {
    const dir = poisoned('weights.safetensors', tensor, NaN);
    for (const pair of [[good, dir], [dir, good]]) {
      const before = [snapshot(good), snapshot(dir)];
      expectOneLine(await cli(['compare-features', ...pair]), 1, new RegExp(`weights\\.safetensors: tensor '${tensor.replace('.', '\\.')}' holds NaN`));
      expect([snapshot(good), snapshot(dir)]).toEqual(before);
    }
  });

  it.each(['svg', 'html'])('export atlas --format %s refuses an infinite head and creates no output folder', async (format) => {
    const dir = poisoned('weights.safetensors', 'head', Infinity);
    const out = join(root, `out-${n++}`);
    const before = snapshot(dir);
    expectOneLine(await cli(['export', 'atlas', dir, '--format', format, '--out', out]), 1, /tensor 'head' holds Infinity at index 3/);
    expect(existsSync(out)).toBe(false);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an F64 weight beyond the float32 range is refused as the Infinity it would become', async () => {
    const dir = join(root, `run-${n++}`);
    cpSync(good, dir, { recursive: true });
    const { tensors, metadata } = readSafetensors(join(good, 'weights.safetensors'));
    // F64 tensors built by hand: the encoder writes F32 only
    const names = [...tensors.keys()];
    const header: Record<string, unknown> = { __metadata__: metadata };
    let at = 0;
    const chunks: Buffer[] = [];
    for (const name of names) {
      const t = tensors.get(name)!;
      const data = Float64Array.from(t.data);
      if (name === 'head') data[7] = 1e300;
      header[name] = { dtype: 'F64', shape: t.shape, data_offsets: [at, at + 8 * data.length] };
      at += 8 * data.length;
      chunks.push(Buffer.from(data.buffer));
    }
    const json = Buffer.from(JSON.stringify(header));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    writeFileSync(join(dir, 'weights.safetensors'), Buffer.concat([len, json, ...chunks]));
    const before = snapshot(dir);
    expectOneLine(await cli(['analyze', dir]), 1, /weights\.safetensors: tensor 'head' holds Infinity at index 7/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('the good run itself is read: the check refuses nothing the app wrote', async () => {
    const dir = join(root, `run-${n++}`);
    cpSync(good, dir, { recursive: true });
    const r = await cli(['analyze', dir, '--top-k', '4', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('a checkpoint that is not numbers', () => {
  const config = { ...DEFAULT_CONFIG, d: 8, h: 8 };
  const model = modelFor(config, { inputDim: 784, classes: 10 });
  const parts = TENSORS.flatMap((t) => ['param', 'm', 'v'].map((p) => `${p}.${t}`));

  it('reads the good checkpoint', () => {
    expect(readCheckpoint(good, model)?.epoch).toBe(1);
  });

  it.each(parts)('refuses NaN in %s, naming the file and the tensor', (tensor) => {
    const dir = poisoned('checkpoint.safetensors', tensor, NaN, 0);
    const path = join(dir, 'checkpoint.safetensors');
    expect(() => readCheckpoint(dir, model)).toThrow(RunFileError);
    expect(() => readCheckpoint(dir, model)).toThrow(`${path}: tensor '${tensor}' holds NaN at index 0; weights must be finite numbers`);
  });

  it('refuses a checkpoint that is not a tensor file as a RunFileError naming it', () => {
    const dir = join(root, `run-${n++}`);
    cpSync(good, dir, { recursive: true });
    writeFileSync(join(dir, 'checkpoint.safetensors'), encodeSafetensors([]).subarray(0, 5));
    expect(() => readCheckpoint(dir, model)).toThrow(RunFileError);
    expect(() => readCheckpoint(dir, model)).toThrow(`safetensors ${join(dir, 'checkpoint.safetensors')}: file is 5 bytes`);
  });
});
