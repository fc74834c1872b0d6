// The New run, New sweep and Settings forms as state: defaults, which fields apply, what is sent,
// and the messages shown as the user types (their agreement with the other boundaries is in
// same-verdict.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../../src-main/common/contract';
import { svelteLoader, type SvelteLoader } from '../charts/svelte-ssr';
import { FakeApi } from '../fake-api';

type ConfigFormModule = typeof import('../../../src-renderer/src/lib/forms/config-form.svelte');
type GridFormModule = typeof import('../../../src-renderer/src/lib/forms/grid-form.svelte');
type SettingsFormModule = typeof import('../../../src-renderer/src/lib/forms/settings-form.svelte');

let svelte: SvelteLoader;
let config: ConfigFormModule;
let grid: GridFormModule;
let settings: SettingsFormModule;

beforeAll(async () => {
  svelte = await svelteLoader();
  config = await svelte.load<ConfigFormModule>('src-renderer/src/lib/forms/config-form.svelte.ts');
  grid = await svelte.load<GridFormModule>('src-renderer/src/lib/forms/grid-form.svelte.ts');
  settings = await svelte.load<SettingsFormModule>('src-renderer/src/lib/forms/settings-form.svelte.ts');
});
afterAll(() => svelte?.close());

describe('the run form', () => {
  it('starts from the reference configuration and sends every field that applies', () => {
    const form = new config.ConfigForm();
    expect(form.text).toMatchObject({ d: '256', h: '256', layers: '1', epochs: '20', batch: '2048', lr: '0.001', wd: '0.1', noise: '0.4', warmup: '0', seed: '0', 'sqs.c': '0.01', 'sqs.lambda': '0.5', 'sqs.p': '1' });
    expect(form.valid).toBe(true);
    expect(form.patch()).toEqual({ dataset: 'digits', gate: 'bilinear', d: 256, h: 256, layers: 1, epochs: 20, batch: 2048, lr: 0.001, wd: 0.1, noise: 0.4, warmup: 0, seed: 0, train_percent: 100, subset_budget: 'steps' });
  });

  it("shows and sends a gate's parameters only with that gate", () => {
    const form = new config.ConfigForm();
    expect(form.modelFields.map((f) => f.path)).toEqual(['d', 'h', 'layers']);
    form.text['sqs.lambda'] = '0'; // not shown, so not in the way
    expect(form.valid).toBe(true);
    form.gate = 'sqs';
    expect(form.modelFields.map((f) => [f.path, f.label])).toEqual([['sqs.c', 'SQS c'], ['sqs.lambda', 'SQS λ'], ['sqs.p', 'SQS p'], ['d', 'd'], ['h', 'h'], ['layers', 'layers']]);
    expect(form.valid).toBe(false);
    expect(form.error('sqs.lambda')).toBe('0 is out of range: must be a number > 0');
    expect(form.patch()).toBeNull();
    form.text['sqs.lambda'] = '0.25';
    expect(form.patch()).toMatchObject({ gate: 'sqs', sqs: { c: 0.01, lambda: 0.25, p: 1 } });
  });

  it('reads numbers as plain decimals, like the train flags', () => {
    const form = new config.ConfigForm();
    const verdicts = ['1e-3', '0', '0x10', 'Infinity', ' 1 ', '', 'abc'].map((t) => {
      form.text.lr = t;
      return form.error('lr');
    });
    expect(verdicts).toEqual([
      null,
      '0 is out of range: must be a number > 0',
      "'0x10' is not a number: must be a number > 0",
      "'Infinity' is not a number: must be a number > 0",
      "' 1 ' is not a number: must be a number > 0",
      "'' is not a number: must be a number > 0",
      "'abc' is not a number: must be a number > 0",
    ]);
    form.text.d = '2.5';
    expect(form.error('d')).toBe('2.5 is not an integer: must be an integer from 1 to 65536');
  });

  it('takes an optional name and a comma-separated list of tags', () => {
    const form = new config.ConfigForm();
    expect(form.labels()).toEqual({});
    form.name = 'my run';
    form.tags = 'paper,  seeds ,paper,';
    expect(form.labels()).toEqual({ name: 'my run', tags: ['paper', 'seeds'] });
    form.tags = 'paper, x y';
    expect(form.labels().tags).toEqual(['paper', 'x y']);
    form.name = '   ';
    expect(form.labels()).toEqual({ tags: ['paper', 'x y'] });
  });
});

describe("the language model's run form", () => {
  it("starts from the language model's reference configuration and sends it as an LM patch", () => {
    const form = new config.ConfigForm('lm');
    expect(form.dataset).toBe('stories');
    expect(form.text).toMatchObject({ tokenizer: '', vocab: '4096', layers: '2', heads: '4', d_model: '128', d_hidden: '512', ctx: '128', steps: '1000', schedule: 'cosine', eval_every: '100' });
    expect(form.placeholder('tokenizer')).toBe('empty: train a BPE on the corpus');
    expect(form.fieldsIn('data').map((f) => f.path)).toEqual(['tokenizer', 'vocab']);
    expect(form.valid).toBe(true);
    expect(form.patch()).toEqual({
      family: 'lm', dataset: 'stories', gate: 'bilinear', tokenizer: '', vocab: 4096, layers: 2, heads: 4, d_model: 128, d_hidden: 512, ctx: 128,
      batch: 16, steps: 1000, lr: 0.001, wd: 0.1, warmup: 100, schedule: 'cosine', clip: 1, eval_every: 100, seed: 0,
    });
  });

  it('names the head-count rule at both heads and d_model, and sends nothing', () => {
    const form = new config.ConfigForm('lm');
    form.text.heads = '3';
    expect(form.error('heads')).toBe('--d-model 128 is not divisible by --heads 3');
    expect(form.error('d_model')).toBe('--d-model 128 is not divisible by --heads 3');
    expect(form.patch()).toBeNull();
    form.text.heads = '128'; // head width 1: odd
    expect(form.error('heads')).toBe('head width d_model/heads = 1 must be even for rotary embeddings');
    form.text.heads = 'x';
    expect(form.error('heads')).toBe("'x' is not a number: must be an integer from 1 to 256");
    expect(form.error('d_model')).toBeNull();
    form.text.heads = '8';
    expect(form.valid).toBe(true);
  });

  it('refuses a corpus that is none of stories, tinystories or text:<path>', () => {
    const form = new config.ConfigForm('lm');
    form.dataset = 'digits';
    expect(form.error('dataset')).toMatch(/stories, tinystories, text:<file\|dir>/);
    form.dataset = 'text:/data/my stories.txt';
    expect(form.error('dataset')).toBeNull();
    expect(form.patch()).toMatchObject({ family: 'lm', dataset: 'text:/data/my stories.txt' });
  });
});

describe('the sweep grid', () => {
  it('counts the runs of its combinations as values are typed', () => {
    const g = new grid.GridForm();
    expect(g.preview).toBe('2 runs');
    g.axes[0].text = '0 1 2';
    g.add();
    expect(g.axes.map((a) => a.key)).toEqual(['seed', 'lr']);
    expect(g.preview).toBe('fix the values above');
    expect(g.axisError(1)).toBe('must list at least one value');
    g.axes[1].text = '1e-3, 1e-2, 1e-3';
    expect(g.preview).toBe('6 runs');
    expect(g.toInput()).toEqual({ axes: [{ key: 'seed', values: [0, 1, 2] }, { key: 'lr', values: [0.001, 0.01] }] });
  });

  it('names the first bad value, as sweep.start would', () => {
    const g = new grid.GridForm();
    g.axes[0].text = '0, -1';
    expect(g.axisError(0)).toBe('seed: -1 is out of range: must be an integer from 0 to 2147483647');
    g.axes[0] = { key: 'gate', text: 'sqs, tanh' };
    expect(g.axisError(0)).toBe("gate: 'tanh' is not one of bilinear, sqs, swiglu, geglu, reglu, relu-mlp");
    g.axes[0] = { key: 'dataset', text: 'idx:/a b, digits' };
    expect(g.toInput()?.axes).toEqual([{ key: 'dataset', values: ['idx:/a b', 'digits'] }]);
    expect(g.valid).toBe(true);
  });

  it("offers a language model's keys and judges values as its fields", () => {
    const g = new grid.GridForm();
    g.family = 'lm';
    expect(g.keys).toContain('d_model');
    expect(g.keys).not.toContain('epochs');
    expect(g.axes).toEqual([{ key: 'seed', text: '0, 1' }]);
    g.add();
    expect(g.axes[1].key).toBe('lr');
    g.axes[1] = { key: 'heads', text: '2 4 0' };
    expect(g.axisError(1)).toBe('heads: 0 is out of range: must be an integer from 1 to 256');
    g.axes[1] = { key: 'dataset', text: 'stories, text:/a b.txt' };
    expect(g.toInput()?.axes[1]).toEqual({ key: 'dataset', values: ['stories', 'text:/a b.txt'] });
    expect(g.preview).toBe('4 runs');
  });

  it('refuses a repeated key, too many runs, and a bad concurrency', () => {
    const g = new grid.GridForm();
    g.axes.push({ key: 'seed', text: '3' });
    expect(g.preview).toBe('each key may appear once');
    g.axes[1] = { key: 'wd', text: Array.from({ length: 101 }, (_, i) => i / 100).join(' ') };
    g.axes[0].text = Array.from({ length: 100 }, (_, i) => i).join(' ');
    expect(g.preview).toBe('10100 combinations: a sweep has at most 10000 runs');
    expect(g.valid).toBe(false);
    g.axes[0].text = '0';
    g.concurrency = '65';
    expect(g.concurrencyCheck).toEqual({ ok: false, error: '65 is out of range: must be an integer from 1 to 64' });
    g.concurrency = '2';
    expect(g.toInput()?.concurrency).toBe(2);
  });
});

describe('the settings form', () => {
  const saved: Settings = { workspaceDir: '/tmp/ws', executionProvider: 'cpu', concurrency: 1 };

  it('sends only what changed, after checking the concurrency; never a workspace folder', async () => {
    const api = new FakeApi({
      'settings.get': () => saved,
      'system.executionProviders': () => ({ available: ['cpu'], known: ['cpu', 'cuda', 'webgpu'] }),
      'system.host': () => ({ folderChooser: false, dataRoots: [] }),
      'settings.set': (patch) => ({ ...saved, ...(patch as Partial<Settings>) }),
    });
    const form = new settings.SettingsForm(api);
    await form.load();
    expect(form.host).toEqual({ folderChooser: false, dataRoots: [] });
    form.concurrency = '0';
    expect(form.concurrencyCheck).toEqual({ ok: false, error: '0 is out of range: must be an integer from 1 to 64' });
    expect(await form.save()).toBe(false);
    form.concurrency = '3';
    expect(await form.save()).toBe(true);
    expect(api.calls.at(-1)).toEqual(['settings.set', { concurrency: 3 }]);
  });

  it("switches workspace through the host's folder dialog, and not when it was cancelled", async () => {
    let chosen: Settings | null = null;
    const api = new FakeApi({
      'settings.get': () => saved,
      'system.executionProviders': () => ({ available: ['cpu'], known: ['cpu', 'cuda', 'webgpu'] }),
      'system.host': () => ({ folderChooser: true, dataRoots: [] }),
      'settings.chooseWorkspace': () => chosen,
    });
    const form = new settings.SettingsForm(api);
    await form.load();
    expect(await form.chooseWorkspace()).toBe(true);
    expect(form.saved?.workspaceDir).toBe('/tmp/ws');
    expect(form.notice).toBeNull();
    chosen = { ...saved, workspaceDir: '/tmp/other' };
    expect(await form.chooseWorkspace()).toBe(true);
    expect(form.saved?.workspaceDir).toBe('/tmp/other');
    expect(form.notice).toBe('Workspace switched.');
    expect(api.calls.at(-1)).toEqual(['settings.chooseWorkspace', {}]);
  });
});
