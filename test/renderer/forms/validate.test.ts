// The renderer's field checks (src-renderer/src/lib/forms/validate.ts) against the contract's
// schemas: the same values are refused, with the same words, so a form never sends what the
// server would refuse and never refuses what it would take.
import { describe, expect, it } from 'vitest';
import { METHODS, MAX_SWEEP_RUNS as SERVER_MAX, SweepStartInput } from '../../../src-main/shared/contract';
import { gridFieldSchema, GRID_KEYS as SERVER_GRID_KEYS } from '../../../src-main/shared/train-config';
import { DEFAULT_CONFIG, EXECUTION_PROVIDERS, GATE_NAMES } from '../../../src-main/engine/train/config';
import { REFERENCE } from '../../../src-renderer/src/lib/forms/reference';
import {
  checkAbsolutePath,
  checkGridSize,
  checkGridValue,
  checkGridValues,
  checkNumber,
  checkTag,
  checkTags,
  checkText,
  CONCURRENCY,
  GATES,
  GRID_KEYS,
  MAX_SWEEP_RUNS,
  PROVIDERS,
  RULES,
  type Checked,
  type NumericKey,
} from '../../../src-renderer/src/lib/forms/validate';
import type { z } from 'zod';

/** What the form would send for a typed text: nothing, a number, or the text itself. */
const sent = (text: string): unknown => (text.trim() === '' ? undefined : Number.isFinite(Number(text.trim())) ? Number(text.trim()) : text);

function server(schema: z.ZodType, input: unknown): Checked<unknown> {
  const r = schema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: r.error.issues[0].message };
}

const NUMBERS: [NumericKey, string][] = [
  ['lr', '0'], ['lr', '0.001'], ['lr', '1e-3'], ['lr', '-1'], ['lr', ''], ['lr', 'abc'], ['lr', ' 0.5 '],
  ['d', '16'], ['d', '0'], ['d', '1.5'], ['d', '-2.5'], ['d', '1e3'], ['d', 'x16'],
  ['h', '256'], ['batch', '1024'], ['batch', '0'], ['epochs', '1'], ['epochs', '0.5'],
  ['layers', '1'], ['layers', '4'], ['layers', '5'], ['layers', '0'],
  ['wd', '0'], ['wd', '-0.1'], ['noise', '0.4'], ['noise', '-1e-9'], ['warmup', '0'], ['warmup', '-1'],
  ['seed', '0'], ['seed', '2147483647'], ['seed', '2147483648'], ['seed', '-1'],
  ['sqs.c', '0'], ['sqs.c', '-0.01'], ['sqs.lambda', '0'], ['sqs.lambda', '0.5'], ['sqs.p', '1'], ['sqs.p', '0.9'],
];

describe('form validators agree with the contract', () => {
  it('mirrors the rules, names and limits', () => {
    expect(GATES).toEqual(GATE_NAMES);
    expect(PROVIDERS).toEqual(EXECUTION_PROVIDERS);
    expect(GRID_KEYS).toEqual(SERVER_GRID_KEYS);
    expect(MAX_SWEEP_RUNS).toBe(SERVER_MAX);
    const { ep: _ep, ...reference } = DEFAULT_CONFIG;
    expect(REFERENCE).toEqual(reference);
  });

  it.each(NUMBERS)('%s = %j', (key, text) => {
    const mine = checkNumber(RULES[key], text);
    const theirs = server(gridFieldSchema(key), sent(text));
    expect(mine).toEqual(theirs);
  });

  it.each([
    ['gate', 'sqs'], ['gate', 'SQS'], ['gate', 'glu'], ['ep', 'cpu'], ['ep', 'tpu'],
    ['dataset', 'digits'], ['dataset', 'fashion-mnist'], ['dataset', 'idx:/data/x'], ['dataset', 'idx:'], ['dataset', 'mnist'],
  ] as const)('grid %s = %j', (key, text) => {
    expect(checkGridValue(key, text)).toEqual(server(gridFieldSchema(key), text));
  });

  it.each(['1', '64', '0', '65', '2.5', ''])('concurrency = %j', (text) => {
    expect(checkNumber(CONCURRENCY, text)).toEqual(server(METHODS['settings.set'].shape.concurrency.unwrap(), sent(text)));
  });

  it.each(['/tmp/ws', 'C:\\ws', 'D:/ws', '\\\\server\\share', 'relative/ws', '~/ws', ''])('workspace folder %j', (path) => {
    expect(checkAbsolutePath(path)).toEqual(server(METHODS['datasets.import'].shape.path, path));
  });

  it.each(['paper', ' paper', 'a\u0007b', 'x'.repeat(64), 'x'.repeat(65), '   '])('tag %j', (tag) => {
    expect(checkTag(tag)).toEqual(server(METHODS['runs.tag'].shape.tag, tag));
  });

  it.each(['my run', 'x'.repeat(201), 'tab\there'])('name %j', (name) => {
    expect(checkText(name, 200)).toEqual(server(METHODS['runs.rename'].shape.name, name));
  });

  it('splits tags and grid values, naming the first bad one', () => {
    expect(checkTags('paper, seeds ,paper')).toEqual({ ok: true, value: ['paper', 'seeds'] });
    expect(checkTags('')).toEqual({ ok: true, value: [] });
    expect(checkGridValues('seed', '0, 1 2')).toEqual({ ok: true, value: [0, 1, 2] });
    expect(checkGridValues('gate', 'sqs,bilinear')).toEqual({ ok: true, value: ['sqs', 'bilinear'] });
    expect(checkGridValues('dataset', 'idx:/a b, digits')).toEqual({ ok: true, value: ['idx:/a b', 'digits'] });
    expect(checkGridValues('lr', '1e-3, 0')).toEqual({ ok: false, error: 'lr: 0 is out of range: must be a number > 0' });
    expect(checkGridValues('seed', ' ,')).toEqual({ ok: false, error: 'must list at least one value' });
  });

  it('counts runs and refuses grids as sweep.start does', () => {
    expect(checkGridSize([{ key: 'seed', count: 2 }, { key: 'lr', count: 3 }])).toEqual({ ok: true, value: 6 });
    const tooMany = [{ key: 'seed', values: Array.from({ length: 101 }, (_, i) => i) }, { key: 'lr', values: Array.from({ length: 100 }, (_, i) => (i + 1) / 1000) }] as const;
    const mine = checkGridSize(tooMany.map((a) => ({ key: a.key, count: a.values.length })));
    const r = SweepStartInput.safeParse({ axes: tooMany });
    expect(r.success).toBe(false);
    expect(mine).toEqual({ ok: false, error: r.error!.issues[0].message });
    const dup = SweepStartInput.safeParse({ axes: [{ key: 'seed', values: [0] }, { key: 'seed', values: [1] }] });
    expect(checkGridSize([{ key: 'seed', count: 1 }, { key: 'seed', count: 1 }])).toEqual({ ok: false, error: dup.error!.issues[0].message });
  });
});
