// One rule, one verdict: the command line, the api contract, the store and the renderer's forms
// refuse the same tags, names, dataset specs and config values, in the same words, and accept
// the same ones. The expected messages are written out here, not taken from the rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { parseTrainArgs } from '../../src-main/hosts/cli/train-args';
import { UsageError } from '../../src-main/hosts/cli/usage';
import { ApiError, parseInput, type Method } from '../../src-main/common/contract';
import { gridPatch } from '../../src-main/common/train-config';
import type { ConfigPath } from '../../src-main/common/train-fields';
import { renameRun, RunEditError, tagRun } from '../../src-main/store/run-edits';
import { createRun } from '../../src-main/store/runs';
import type { Workspace } from '../../src-main/store/workspace';
import { svelteLoader, type SvelteLoader } from '../renderer/charts/svelte-ssr';
import { tempWorkspace } from '../store/store-fixtures';

type ConfigFormModule = typeof import('../../src-renderer/src/lib/forms/config-form.svelte');
type ListsModule = typeof import('../../src-renderer/src/lib/forms/lists');

/** null when accepted, else the message (the part after the boundary's own prefix). */
type Verdict = string | null;

function cli(argv: string[], flag: string): Verdict {
  try {
    parseTrainArgs(argv);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const prefix = `--${flag}: `;
    expect((e as Error).message.startsWith(prefix), (e as Error).message).toBe(true);
    return (e as Error).message.slice(prefix.length);
  }
}

function api(method: Method, input: unknown, field: string): Verdict {
  try {
    parseInput(method, input);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    const prefix = `${method}: ${field}: `;
    expect((e as Error).message.startsWith(prefix), (e as Error).message).toBe(true);
    return (e as Error).message.slice(prefix.length);
  }
}

function store(f: () => unknown, what: string): Verdict {
  try {
    f();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(RunEditError);
    return (e as Error).message.slice(`${what}: `.length);
  }
}

let svelte: SvelteLoader;
let forms: ConfigFormModule;
let lists: ListsModule;
let ws: Workspace;
let run: number;

beforeAll(async () => {
  svelte = await svelteLoader();
  forms = await svelte.load<ConfigFormModule>('src-renderer/src/lib/forms/config-form.svelte.ts');
  lists = await svelte.load<ListsModule>('src-renderer/src/lib/forms/lists.ts');
  ws = tempWorkspace();
  run = createRun(ws, { config: DEFAULT_CONFIG });
});
afterAll(async () => {
  ws?.close();
  await svelte?.close();
});

const x40 = 'x'.repeat(40);

describe('a tag', () => {
  it.each<[string, Verdict]>([
    ['paper', null],
    ['with inner space', null],
    ['x'.repeat(64), null],
    [' paper', "' paper' starts or ends with spaces"],
    ['paper ', "'paper ' starts or ends with spaces"],
    ['x'.repeat(65), `'${x40}'… is too long (65 characters): must be 1 to 64 characters`],
    ['a\u0007b', "'a b' contains control characters"],
    ['tab\there', "'tab here' contains control characters"],
  ])('%j: %j', (tag, want) => {
    expect(cli(['--tag', tag], 'tag')).toBe(want);
    expect(api('runs.tag', { id: 1, tag }, 'tag')).toBe(want);
    expect(api('runs.untag', { id: 1, tag }, 'tag')).toBe(want);
    expect(api('train.start', { tags: [tag] }, 'tags.0')).toBe(want);
    expect(api('sweep.start', { axes: [{ key: 'seed', values: [0] }], tags: [tag] }, 'tags.0')).toBe(want);
    expect(store(() => tagRun(ws, run, tag), 'tag')).toBe(want);
    expect(store(() => createRun(ws, { config: DEFAULT_CONFIG, tags: [tag] }), 'tag')).toBe(want);
    const form = new forms.ConfigForm();
    form.tags = tag;
    expect(form.error('tags')).toBe(want);
  });
});

describe('a run name', () => {
  it.each<[string, Verdict]>([
    ['sqs c=0.05, the good one', null],
    [' leading spaces are fine', null],
    ['n'.repeat(200), null],
    ['n'.repeat(201), `'${'n'.repeat(40)}'… is too long (201 characters): must be 1 to 200 characters`],
    ['two\nlines', "'two lines' contains control characters"],
  ])('%j: %j', (name, want) => {
    expect(cli(['--name', name], 'name')).toBe(want);
    expect(api('runs.rename', { id: 1, name }, 'name')).toBe(want);
    expect(api('train.start', { name }, 'name')).toBe(want);
    expect(store(() => renameRun(ws, run, name), 'name')).toBe(want);
    expect(store(() => createRun(ws, { config: DEFAULT_CONFIG, name }), 'name')).toBe(want);
    const form = new forms.ConfigForm();
    form.name = name;
    expect(form.error('name')).toBe(want);
  });

  it('blank: refused where a name must be given, "no name" in the form', () => {
    const want = "'  ' is empty: must be 1 to 200 characters";
    expect(cli(['--name', '  '], 'name')).toBe(want);
    expect(api('runs.rename', { id: 1, name: '  ' }, 'name')).toBe(want);
    expect(store(() => renameRun(ws, run, '  '), 'name')).toBe(want);
    const form = new forms.ConfigForm();
    form.name = '  ';
    expect(form.error('name')).toBeNull();
    expect(form.labels()).toEqual({});
  });
});

describe('a dataset spec', () => {
  it.each<[string, Verdict]>([
    ['digits', null],
    ['fashion-mnist', null],
    ['idx:/data/my set', null],
    ['idx:   ', "'idx:   ' names no folder: write idx:<dir>"],
    ['idx:', "'idx:' names no folder: write idx:<dir>"],
    ['mnist', "'mnist' is not one of digits, fashion-mnist, idx:<dir>"],
    ['Digits', "'Digits' is not one of digits, fashion-mnist, idx:<dir>"],
  ])('%j: %j', (dataset, want) => {
    expect(cli(['--dataset', dataset], 'dataset')).toBe(want);
    expect(api('train.start', { config: { dataset } }, 'config.dataset')).toBe(want);
    expect(api('sweep.start', { axes: [{ key: 'dataset', values: [dataset] }] }, 'axes.0.values.0')).toBe(want && `dataset: ${want}`);
    const form = new forms.ConfigForm();
    form.dataset = dataset;
    expect(form.error('dataset')).toBe(want);
    const axis = lists.gridValuesFromText('dataset', dataset);
    expect(axis.ok ? null : axis.error).toBe(want && `dataset: ${want}`);
  });
});

describe('a config value', () => {
  // [config path, flag, typed text, verdict]
  it.each<[ConfigPath, string, string, Verdict]>([
    ['lr', 'lr', '1e-3', null],
    ['lr', 'lr', '0', '0 is out of range: must be a number > 0'],
    ['lr', 'lr', '-0.001', '-0.001 is out of range: must be a number > 0'],
    ['lr', 'lr', '0x10', "'0x10' is not a number: must be a number > 0"],
    ['lr', 'lr', 'Infinity', "'Infinity' is not a number: must be a number > 0"],
    ['lr', 'lr', ' 1 ', "' 1 ' is not a number: must be a number > 0"],
    ['sqs.lambda', 'sqs-lambda', '0', '0 is out of range: must be a number > 0'],
    ['sqs.c', 'sqs-c', '0', null],
    ['sqs.p', 'sqs-p', '0.5', '0.5 is out of range: must be a number >= 1'],
    ['layers', 'layers', '5', '5 is out of range: must be an integer from 1 to 4'],
    ['d', 'd', '2.5', '2.5 is not an integer: must be an integer from 1 to 65536'],
    ['seed', 'seed', '2147483647', null],
    ['seed', 'seed', '2147483648', '2147483648 is out of range: must be an integer from 0 to 2147483647'],
    ['wd', 'wd', '0', null],
  ])('%s = %j', (path, flag, text, want) => {
    expect(cli([`--${flag}=${text}`], flag)).toBe(want);
    // what a JSON client sends: the number when the text is one, else the text
    const sent = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : text;
    expect(api('train.start', { config: gridPatch(path, sent) }, `config.${path}`)).toBe(want);
    const form = new forms.ConfigForm();
    if (path.startsWith('sqs.')) form.gate = 'sqs';
    form.text[path] = text;
    expect(form.error(path)).toBe(want);
    expect(form.valid).toBe(want === null);
    if (text.trim() === text) {
      expect(api('sweep.start', { axes: [{ key: path, values: [sent] }] }, 'axes.0.values.0')).toBe(want && `${path}: ${want}`);
      const axis = lists.gridValuesFromText(path, text);
      expect(axis.ok ? null : axis.error).toBe(want && `${path}: ${want}`);
    }
  });
});
