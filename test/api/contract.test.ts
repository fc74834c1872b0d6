// The contract refuses malformed input before anything runs, naming each bad field.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError, METHOD_NAMES, parseInput, type Method } from '../../src-main/common/contract';
import { applyConfigPatch, TrainConfigSchema } from '../../src-main/common/train-config';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';

function refusal(method: Method, input: unknown): string {
  try {
    parseInput(method, input);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('bad_request');
    return (e as ApiError).message;
  }
  throw new Error(`${method} accepted ${JSON.stringify(input)}`);
}

describe('contract input schemas', () => {
  it('accepts well-formed inputs of every kind', () => {
    expect(parseInput('runs.list', { filters: ['gate=sqs'], sort: '-test_accuracy', groupBy: 'gate', limit: 10, offset: 0 })).toMatchObject({ limit: 10 });
    expect(parseInput('train.start', { config: { d: 16, h: 16, sqs: { c: 0.1 } }, name: 'tiny', tags: ['paper'] })).toMatchObject({ config: { sqs: { c: 0.1 } } });
    expect(parseInput('sweep.start', { axes: [{ key: 'gate', values: ['bilinear', 'sqs'] }, { key: 'sqs.c', values: [0, 0.1] }], concurrency: 2 })).toBeTruthy();
    expect(parseInput('settings.get', undefined)).toBeUndefined();
    expect(parseInput('settings.set', { concurrency: 2 })).toEqual({ concurrency: 2 });
    expect(parseInput('datasets.import', { path: '/data/mnist' })).toEqual({ path: '/data/mnist' });
    expect(TrainConfigSchema.parse(DEFAULT_CONFIG)).toEqual(DEFAULT_CONFIG);
  });

  it('names the field and the allowed range, in the CLI flags\' words', () => {
    expect(refusal('train.start', { config: { lr: 0 } })).toBe('train.start: config.lr: 0 is out of range: must be a number > 0');
    expect(refusal('train.start', { config: { layers: 5 } })).toContain('config.layers: 5 is out of range: must be an integer from 1 to 4');
    expect(refusal('train.start', { config: { d: 1.5 } })).toContain('config.d: 1.5 is not an integer: must be an integer from 1 to 65536');
    expect(refusal('train.start', { config: { wd: '0.1' } })).toBe("train.start: config.wd: '0.1' is not a number: must be a number >= 0");
    expect(refusal('train.start', { config: { sqs: { lambda: 0 } } })).toContain('config.sqs.lambda: 0 is out of range: must be a number > 0');
    expect(refusal('train.start', { config: { gate: 'tanh' } })).toBe("train.start: config.gate: 'tanh' is not one of bilinear, sqs, swiglu, geglu, reglu, relu-mlp");
    expect(refusal('train.start', { config: { dataset: 'idx:   ' } })).toBe("train.start: config.dataset: 'idx:   ' names no folder: write idx:<dir>");
    expect(refusal('train.start', { config: { dataset: 'mnist' } })).toBe("train.start: config.dataset: 'mnist' is not one of digits, fashion-mnist, idx:<dir>");
    expect(refusal('train.start', { config: { ep: 'tpu' } })).toContain('config.ep:');
  });

  it('refuses unknown keys rather than ignoring them', () => {
    expect(refusal('train.start', { config: { lrate: 0.1 } })).toMatch(/config: .*lrate/);
    expect(refusal('runs.show', { id: 1, verbose: true })).toMatch(/verbose/);
  });

  it('checks ids, texts and paths', () => {
    expect(refusal('runs.show', { id: '7' })).toBe("runs.show: id: '7' is not a number: must be an integer >= 1");
    expect(refusal('runs.show', {})).toContain('id: required');
    expect(refusal('runs.diff', { a: 0, b: 2 })).toContain('a: 0 is out of range');
    expect(refusal('runs.tag', { id: 1, tag: '' })).toBe("runs.tag: tag: '' is empty: must be 1 to 64 characters");
    expect(refusal('runs.tag', { id: 1, tag: ' x' })).toBe("runs.tag: tag: ' x' starts or ends with spaces");
    expect(refusal('runs.rename', { id: 1, name: 'a\u0007b' })).toBe("runs.rename: name: 'a b' contains control characters");
    expect(refusal('runs.metrics', { ids: [] })).toContain('ids: must list at least one run');
    expect(refusal('runs.list', { limit: 0 })).toContain('limit: 0 is out of range: must be an integer from 1 to 10000');
    expect(refusal('runs.list', { filters: 'gate=sqs' })).toContain('filters:');
    expect(refusal('datasets.import', { path: 'relative/dir' })).toBe("datasets.import: path: 'relative/dir' is not an absolute folder path");
    expect(refusal('settings.set', { concurrency: 0 })).toContain('concurrency: 0 is out of range: must be an integer from 1 to 64');
    expect(refusal('settings.get', { x: 1 })).toMatch(/x/);
  });

  it('names a non-finite number as such, never as the null JSON would write for it', () => {
    // 1e400 in a JSON body is Infinity once parsed
    expect(refusal('runs.list', JSON.parse('{"limit": 1e400}'))).toBe('runs.list: limit: Infinity is not a finite number: must be an integer from 1 to 10000');
    expect(refusal('runs.show', { id: -Infinity })).toBe('runs.show: id: -Infinity is not a finite number: must be an integer >= 1');
    expect(refusal('runs.show', { id: Number.NaN })).toBe('runs.show: id: NaN is not a finite number: must be an integer >= 1');
    expect(refusal('train.start', JSON.parse('{"config": {"lr": 1e400}}'))).toBe('train.start: config.lr: Infinity is not a finite number: must be a number > 0');
    expect(refusal('sweep.start', { axes: [{ key: 'wd', values: [0.1, -1e400] }] })).toBe('sweep.start: axes.0.values.1: wd: -Infinity is not a finite number: must be a number >= 0');
    expect(refusal('atlas.examples', JSON.parse('{"id": 1, "indices": [1e400]}'))).toBe('atlas.examples: indices.0: Infinity is not a finite number: must be an integer >= 0');
    // inside a value quoted whole: still Infinity, not null; and long values cut
    expect(refusal('runs.list', JSON.parse('{"limit": [1e400, -1e400]}'))).toBe('runs.list: limit: [Infinity,-Infinity] is not a number: must be an integer from 1 to 10000');
    expect(refusal('runs.show', { id: Array(100).fill(1) })).toBe(`runs.show: id: [${'1,'.repeat(29)}1… is not a number: must be an integer >= 1`);
    // what only IPC's structured clone can carry: big integers and cycles
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(refusal('runs.show', { id: 7n })).toBe('runs.show: id: 7n is not a number: must be an integer >= 1');
    expect(refusal('runs.show', { id: cycle })).toBe('runs.show: id: an object is not a number: must be an integer >= 1');
  });

  it('bounds the pixels to explain to [0, 1], naming the first bad one by its index', () => {
    const explain = (pixels: unknown[]) => refusal('atlas.explain', { id: 1, input: { pixels }, class: 0 });
    expect(explain([0, 1e30, 0.5])).toBe('atlas.explain: input.pixels.1: 1e+30 is not a pixel value: must be a number from 0 to 1');
    expect(explain([-0.001])).toBe('atlas.explain: input.pixels.0: -0.001 is not a pixel value: must be a number from 0 to 1');
    expect(explain([0.5, Number.NaN])).toBe('atlas.explain: input.pixels.1: NaN is not a pixel value: must be a number from 0 to 1');
    expect(explain([Infinity])).toBe('atlas.explain: input.pixels.0: Infinity is not a pixel value: must be a number from 0 to 1');
    expect(explain(['0.5'])).toBe("atlas.explain: input.pixels.0: '0.5' is not a pixel value: must be a number from 0 to 1");
    expect(explain([null])).toBe('atlas.explain: input.pixels.0: null is not a pixel value: must be a number from 0 to 1');
    // one line however many are bad
    expect(explain(Array(784).fill(2))).toBe('atlas.explain: input.pixels.0: 2 is not a pixel value: must be a number from 0 to 1 (and 783 more values)');
    expect(parseInput('atlas.explain', { id: 1, input: { pixels: [0, 1, 0.25] }, class: 0 })).toMatchObject({ input: { pixels: [0, 1, 0.25] } });
    // figures explaining an input take the same rule
    expect(refusal('export.figure', { id: 1, figure: { kind: 'explanation', input: { pixels: [2] }, class: 0, count: 1 }, format: 'svg' })).toContain('2 is not a pixel value');
  });

  it('checks every sweep value as the config field it sets', () => {
    expect(refusal('sweep.start', { axes: [{ key: 'layers', values: [1, 9] }] })).toContain('axes.0.values.1: layers: 9 is out of range: must be an integer from 1 to 4');
    expect(refusal('sweep.start', { axes: [{ key: 'seed', values: ['0'] }] })).toBe("sweep.start: axes.0.values.0: seed: '0' is not a number: must be an integer from 0 to 2147483647");
    expect(refusal('sweep.start', { axes: [{ key: 'wd', values: [0.1] }, { key: 'wd', values: [0.5] }] })).toContain('axes: each key may appear once');
    expect(refusal('sweep.start', { axes: [{ key: 'colour', values: [1] }] })).toContain('axes.0.key:');
    expect(refusal('sweep.start', { axes: [] })).toContain('axes: must list at least one axis');
  });

  it('lays a config patch over the defaults', () => {
    const c = applyConfigPatch(DEFAULT_CONFIG, { d: 16, sqs: { c: 0.2 } });
    expect(c).toEqual({ ...DEFAULT_CONFIG, d: 16, sqs: { ...DEFAULT_CONFIG.sqs, c: 0.2 } });
    expect(DEFAULT_CONFIG.d).toBe(256);
  });

  it('lists every method once', () => {
    expect(new Set(METHOD_NAMES).size).toBe(METHOD_NAMES.length);
    expect(METHOD_NAMES).toContain('system.executionProviders');
  });
});
