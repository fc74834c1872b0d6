// Garbage in, one clear line out: generated sweeps of a malformed run folder through the real
// command line (in-process), `analyze <folder>`: its weights (safetensors) and its config.json;
// and its run.json and metrics.jsonl read as regular files only. Every case: exit 1, one line
// naming the file and the problem, no stack, nothing in the folder changed and no analysis written.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetrics, readSummary, RunFileError } from '../../src-main/engine/train/run-files';
import { writeIdxFolder } from '../engine/data/idx-fixtures';
import { tempDir } from '../helpers/cli';
import { expectOneLine, snapshot } from './harness';
import { escapeRegExp as re, runMain as cli } from './run-main';

const root = tempDir('sqs-faults-run-files-');
let run: string;
let n = 0;

beforeAll(async () => {
  // a run on 4×4 images, small enough that a sweep over every byte of its weights stays fast
  const data = join(root, 'idx');
  mkdirSync(data);
  writeIdxFolder({ dir: data });
  run = join(root, 'run');
  const r = await cli(['train', '--dataset', `idx:${data}`, '--d', '2', '--h', '2', '--epochs', '1', '--out', run]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const copy = (src: string) => {
  const dir = join(root, `case-${n++}`);
  cpSync(src, dir, { recursive: true });
  return dir;
};

/** `analyze` of the run folder `dir` is refused with `message`; nothing in it changes. */
async function analyzeRefused(dir: string, message: RegExp, what: string): Promise<void> {
  const before = snapshot(dir);
  expectOneLine(await cli(['analyze', dir]), 1, message);
  expect(snapshot(dir), what).toEqual(before);
  expect(existsSync(join(dir, 'analysis')), what).toBe(false);
}

/** The run's weights file, its header parsed: for writing variants of it by hand. */
function weights() {
  const bytes = readFileSync(join(run, 'weights.safetensors'));
  const headerLen = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLen).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  return { bytes, headerLen, header, data: bytes.subarray(8 + headerLen) };
}

/** A safetensors file from a header object and data bytes, written independently of our encoder. */
function safetensorsOf(header: unknown, data: Uint8Array, declared?: bigint): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(declared ?? BigInt(json.length));
  return Buffer.concat([len, json, data]);
}

async function weightsRefused(bytes: Uint8Array, message: RegExp, what: string): Promise<void> {
  const dir = copy(run);
  writeFileSync(join(dir, 'weights.safetensors'), bytes);
  await analyzeRefused(dir, new RegExp(`${re(join(dir, 'weights.safetensors'))}: (.* )?(${message.source})`), what);
}

describe('safetensors weights', () => {
  const TENSORS = ['embed', 'layers.0.w', 'layers.0.v', 'head'];

  it('every truncation', async () => {
    const { bytes } = weights();
    for (let len = 0; len < bytes.length; len++) {
      await weightsRefused(bytes.subarray(0, len), /(file is \d+ bytes, too short|header length runs beyond the end|header is not valid UTF-8 JSON|data_offsets \[\d+, \d+\] out of range)/, 'safetensors truncation');
    }
  });

  it('every header length but the true one, and lengths far beyond the file', async () => {
    const { bytes, headerLen } = weights();
    const lengths = [...Array.from({ length: bytes.length - 8 + 1 }, (_, i) => BigInt(i)), 2n ** 31n, 2n ** 53n, 2n ** 64n - 1n].filter((l) => l !== BigInt(headerLen));
    for (const l of lengths) {
      const b = Buffer.from(bytes);
      b.writeBigUInt64LE(l);
      await weightsRefused(b, /(header length runs beyond the end|header is not valid UTF-8 JSON|header is not a JSON object|out of range|belong to no tensor|spans \d+ bytes)/, 'safetensors header length');
    }
  });

  it('offsets out of range, reversed, overlapping or not integers', async () => {
    const { header, data } = weights();
    for (const name of TENSORS) {
      const [begin, end] = header[name].data_offsets;
      const variants: [unknown, RegExp][] = [
        [[begin, data.length + 4], /out of range of the \d+-byte data section|spans/],
        [[end, begin], /out of range/],
        [[begin, end + 4], /spans|out of range/],
        [[begin + 4, end + 4], /overlap|out of range|belong to no tensor/],
        [[-1, end], /invalid data_offsets/],
        [[begin + 0.5, end], /invalid data_offsets/],
        [[begin], /invalid data_offsets/],
        ['x', /invalid data_offsets/],
        [null, /invalid data_offsets/],
      ];
      for (const [offsets, message] of variants) {
        await weightsRefused(safetensorsOf({ ...header, [name]: { ...header[name], data_offsets: offsets } }, data), message, 'safetensors offsets');
      }
    }
  });

  it('wrong dtypes and shapes', async () => {
    const { header, data } = weights();
    for (const name of TENSORS) {
      const { shape } = header[name];
      const variants: [Record<string, unknown>, RegExp][] = [
        ...['F16', 'BF16', 'I64', 'BOOL', 'f32', ''].map((dtype): [Record<string, unknown>, RegExp] => [{ dtype }, new RegExp(`tensor '${re(name)}' has unsupported dtype '${dtype}'`)]),
        [{ dtype: 42 }, new RegExp(`tensor '${re(name)}' has no dtype`)],
        [{ dtype: 'I32' }, new RegExp(`tensor '${re(name)}' has dtype I32; expected F32 or F64`)],
        [{ dtype: 'U8' }, new RegExp(`tensor '${re(name)}' spans \\d+ bytes but shape .* of U8 needs`)],
        [{ dtype: 'F64' }, new RegExp(`tensor '${re(name)}' spans \\d+ bytes but shape .* of F64 needs`)],
        // (a square matrix transposed is the same shape: left out)
        ...(shape[0] === shape[1] ? [] : [[{ shape: [shape[1], shape[0]] }, new RegExp(`tensor '${re(name)}' has shape \\[${shape[1]},${shape[0]}\\] but the architecture needs \\[${shape[0]},${shape[1]}\\]`)] as [Record<string, unknown>, RegExp]]),
        [{ shape: [shape[0] * shape[1]] }, new RegExp(`tensor '${re(name)}' has shape`)],
        [{ shape: [1, shape[0], shape[1]] }, new RegExp(`tensor '${re(name)}' has shape`)],
        [{ shape: [-shape[0], -shape[1]] }, new RegExp(`tensor '${re(name)}' has an invalid shape`)],
        [{ shape: 'x' }, new RegExp(`tensor '${re(name)}' has an invalid shape`)],
      ];
      for (const [change, message] of variants) {
        await weightsRefused(safetensorsOf({ ...header, [name]: { ...header[name], ...change } }, data), message, 'safetensors dtype and shape');
      }
    }
  });

  it('a missing tensor, an extra one, another gate, a header that is not an object', async () => {
    const { header, data } = weights();
    const [hb, he] = header.head.data_offsets;
    const withoutHead = Object.fromEntries(Object.entries(header).filter(([k]) => k !== 'head'));
    const cases: [unknown, Uint8Array, RegExp][] = [
      [withoutHead, data.subarray(0, hb), /tensor 'head' is missing \(expected 10×2 for this architecture\)/],
      [{ ...header, extra: { dtype: 'F32', shape: [1], data_offsets: [he, he + 4] } }, Buffer.concat([data, Buffer.alloc(4)]), /unexpected tensors extra for a 1-layer bilinear model/],
      [{ ...header, __metadata__: { ...(header.__metadata__ as object), gate: 'sqs' } }, data, /weights are for gate 'sqs' but the config says 'bilinear'/],
      [{ ...header, __metadata__: 'x' }, data, /'__metadata__' is not an object/],
      [{ ...header, __metadata__: { seed: 0 } }, data, /metadata 'seed' is not a string/],
      [{ ...header, head: 'x' }, data, /tensor 'head' entry is not an object/],
      [[1, 2], new Uint8Array(0), /header is not a JSON object/],
      [null, new Uint8Array(0), /header is not a JSON object/],
    ];
    for (const [h, d, message] of cases) await weightsRefused(safetensorsOf(h, d), message, 'safetensors entries');
  });

  it('a non-finite value at every position of every tensor', async () => {
    const { bytes, headerLen, header } = weights();
    for (const name of TENSORS) {
      const [begin, end] = header[name].data_offsets;
      for (let i = 0; i < (end - begin) / 4; i++) {
        const value = [NaN, Infinity, -Infinity][i % 3];
        const b = Buffer.from(bytes);
        b.writeFloatLE(value, 8 + headerLen + begin + 4 * i);
        await weightsRefused(b, new RegExp(`tensor '${re(name)}' holds ${value} at index ${i}; weights must be finite numbers`), 'safetensors non-finite');
      }
    }
  });

  it('a weights file that is not a regular file', async () => {
    const hazards: [(p: string) => void, RegExp][] = [
      [(p) => execFileSync('mkfifo', [p]), /a FIFO, not a regular file/],
      [(p) => symlinkSync('/dev/zero', p), /a character device, not a regular file/],
      [(p) => symlinkSync(p, p), /a symbolic link loop/],
      [(p) => symlinkSync(join(root, 'nowhere'), p), /a symbolic link to a missing file/],
      [(p) => mkdirSync(p), /a directory, not a regular file/],
      [() => {}, /missing/],
    ];
    for (const [make, message] of hazards) {
      const dir = copy(run);
      rmSync(join(dir, 'weights.safetensors'));
      make(join(dir, 'weights.safetensors'));
      await analyzeRefused(dir, new RegExp(`^safetensors ${re(join(dir, 'weights.safetensors'))}: ${message.source}$`, 'm'), 'safetensors not a regular file');
    }
  });
});

describe("a run's config.json", () => {
  const config = () => JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as Record<string, unknown>;

  async function configRefused(text: string, message: RegExp, what: string): Promise<void> {
    const dir = copy(run);
    writeFileSync(join(dir, 'config.json'), text);
    await analyzeRefused(dir, new RegExp(`^${re(join(dir, 'config.json'))}: ${message.source}`, 'm'), what);
  }

  it('not a JSON object', async () => {
    const cases: [string, RegExp][] = [
      ['null', /not a JSON object but null/],
      ['[]', /not a JSON object but an array/],
      ['42', /not a JSON object but number/],
      ['"config"', /not a JSON object but string/],
      ['true', /not a JSON object but boolean/],
      ['', /not valid JSON/],
      ['{', /not valid JSON/],
      ['{"gate": "bilinear",}', /not valid JSON/],
    ];
    for (const [text, message] of cases) await configRefused(text, message, 'config.json not an object');
  });

  it('each field that reading the weights needs, missing', async () => {
    for (const key of ['gate', 'd', 'h', 'layers', 'd_in', 'classes', 'dataset']) {
      const c = config();
      delete c[key];
      await configRefused(JSON.stringify(c), key === 'gate' ? /'gate' is missing/ : new RegExp(`'${key}' must be .*, got nothing`), 'config.json missing field');
    }
  });

  it('each field with a value of the wrong type or out of range', async () => {
    const wrong: unknown[] = [null, '2', 1.5, 0, -1, true, [], {}, 2 ** 53];
    for (const key of ['d', 'h', 'layers', 'd_in', 'classes']) {
      for (const v of wrong) await configRefused(JSON.stringify({ ...config(), [key]: v }), new RegExp(`'${key}' must be a positive integer, got ${re(JSON.stringify(v))}`), 'config.json wrong type');
    }
    for (const v of [null, 42, 'tanh', '', []]) await configRefused(JSON.stringify({ ...config(), gate: v }), new RegExp(`unknown gate ${re(JSON.stringify(v))}`), 'config.json wrong type');
    for (const [v, m] of [[null, /'dataset' must be a dataset spec \(text\), got null/], [42, /'dataset' must be a dataset spec/], ['mnist', /'dataset': 'mnist' is not one of digits, fashion-mnist, idx:<dir>/], ['idx:', /'dataset': 'idx:' names no folder/]] as const) {
      await configRefused(JSON.stringify({ ...config(), dataset: v }), m, 'config.json wrong type');
    }
    for (const v of ['transformer', 42]) await configRefused(JSON.stringify({ ...config(), family: v }), new RegExp(`unknown model family ${re(JSON.stringify(v))}; known: classifier`), 'config.json wrong type');
    // a gate's parameters, for the gate that has them
    const sqs = { ...config(), gate: 'sqs' };
    const params: [unknown, RegExp][] = [
      [null, /'sqs\.c' must be a number >= 0, got nothing/],
      [{ c: 'x', lambda: 0.5, p: 1 }, /'sqs\.c' must be a number >= 0, got "x"/],
      [{ c: -1, lambda: 0.5, p: 1 }, /'sqs\.c' must be a number >= 0, got -1/],
      [{ c: 0.01, lambda: 0, p: 1 }, /'sqs\.lambda' must be a number > 0, got 0/],
      [{ c: 0.01, lambda: 0.5, p: 0.5 }, /'sqs\.p' must be a number >= 1, got 0\.5/],
      [{ c: 0.01, lambda: 0.5 }, /'sqs\.p' must be a number >= 1, got nothing/],
    ];
    for (const [v, m] of params) await configRefused(JSON.stringify({ ...sqs, sqs: v }), m, 'config.json wrong type');
  });

  it('a width that does not match the weights is named by the weights file', async () => {
    const dir = copy(run);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config(), d: 3 }));
    await analyzeRefused(dir, /weights\.safetensors: tensor 'embed' has shape \[2,16\] but the architecture needs \[3,16\]/, 'config.json wrong type');
  });

  it('a config.json beyond 1 MiB, or not a regular file', async () => {
    await configRefused(JSON.stringify(config()) + ' '.repeat(2 ** 20), /1\.0 MiB, more than the 1\.0 MiB a run's config\.json may have/, 'config.json size and kind');
    const hazards: [(p: string) => void, RegExp][] = [
      [(p) => execFileSync('mkfifo', [p]), /a FIFO, not a regular file/],
      [(p) => symlinkSync('/dev/zero', p), /a character device, not a regular file/],
      [(p) => symlinkSync(p, p), /a symbolic link loop/],
      [(p) => mkdirSync(p), /a directory, not a regular file/],
      [() => {}, /missing \(is .* a run folder\?\)/],
    ];
    for (const [make, message] of hazards) {
      const dir = copy(run);
      rmSync(join(dir, 'config.json'));
      make(join(dir, 'config.json'));
      await analyzeRefused(dir, new RegExp(`^${re(join(dir, 'config.json'))}: ${message.source}$`, 'm'), 'config.json size and kind');
    }
  });
});

describe("a run's run.json and metrics.jsonl", () => {
  it('are read only as regular files: a FIFO run.json reads as no summary, a FIFO metrics.jsonl is named', () => {
    const dir = copy(run);
    rmSync(join(dir, 'run.json'));
    execFileSync('mkfifo', [join(dir, 'run.json')]);
    expect(readSummary(dir)).toBeNull();
    rmSync(join(dir, 'metrics.jsonl'));
    execFileSync('mkfifo', [join(dir, 'metrics.jsonl')]);
    expect(() => readMetrics(dir, Infinity)).toThrow(RunFileError);
    expect(() => readMetrics(dir, Infinity)).toThrow(`${join(dir, 'metrics.jsonl')}: a FIFO, not a regular file`);
  });
});
