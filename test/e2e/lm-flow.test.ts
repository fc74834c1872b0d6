// Language-model runs in a real browser, served by the web host over a workspace whose runs were
// written through the store (helpers/lm-runs.ts): the New run form's language-model family (a bad
// head count refused in words, nothing sent; a valid form sends an LM patch), a sweep's grid over
// a language model's keys, an LM run's page (final validation loss and perplexity, tokens, loss
// curves against steps or tokens, its config, its samples newest first, generate errors shown
// inline), the runs table with an LM beside a classifier, and LM runs compared. Screenshots go to
// test-results/lm-ui/.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFixed } from '../../src-main/common/number-format';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { Workspace } from '../../src-main/store/workspace';
import { tempDir } from '../helpers/cli';
import { seedClassifierRun, seedLmRun, type SeededLmRun } from '../helpers/lm-runs';
import { buildRenderer, HAVE_BROWSER, launch } from './browser';

const ROOT = resolve(import.meta.dirname, '../..');

describe.skipIf(!HAVE_BROWSER && process.env.REQUIRE_BROWSER !== '1')('language-model runs in Chromium', () => {
  let host: WebHost;
  let browser: Browser;
  let lm: SeededLmRun;
  let lm2: SeededLmRun;
  let classifier: number;
  const shots = join(ROOT, 'test-results', 'lm-ui');

  beforeAll(async () => {
    const staticDir = await buildRenderer(join(tempDir(), 'renderer'));
    const dir = tempDir();
    const ws = Workspace.open(dir);
    classifier = seedClassifierRun(ws, { name: 'digits-bilinear' });
    lm = seedLmRun(ws, { name: 'stories-bilinear', evaluations: 5 });
    lm2 = seedLmRun(ws, { name: 'stories-swiglu', config: { gate: 'swiglu', seed: 1 }, evaluations: 5, startLoss: 7 });
    ws.close();
    host = await startWebHost({ port: 0, workspaceDir: dir, staticDir });
    browser = await launch();
    mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  async function open(hash: string): Promise<{ page: Page; sent: { method: string; body: unknown }[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => console.error('page error:', e));
    const sent: { method: string; body: unknown }[] = [];
    page.on('request', (r) => {
      const m = /\/api\/([\w.]+)$/.exec(new URL(r.url()).pathname);
      if (m) sent.push({ method: m[1], body: JSON.parse(r.postData() ?? 'null') });
    });
    await page.goto(`${host.url}?token=${host.token}${hash}`);
    return { page, sent };
  }
  const fieldError = (page: Page, name: string) => page.locator(`.error[data-field="${name}"]`);

  it("offers a language model's form, refuses a head count that does not divide d_model in words, and sends an LM patch", async () => {
    const { page, sent } = await open('#/new');
    await page.getByLabel('language model').check();
    expect(await page.locator('#field-dataset').inputValue()).toBe('stories');
    expect(await page.locator('#field-dataset option').allTextContents()).toEqual(["synthetic children's stories (shipped)", 'TinyStories ($SQS_DATA/tinystories)', 'your own text: a file or folder']);
    expect(await page.locator('input[name="tokenizer"]').getAttribute('placeholder')).toBe('empty: train a BPE on the corpus');
    expect(await page.locator('input[name="epochs"]').count()).toBe(0);
    await page.locator('input[name="heads"]').fill('3');
    await expect.poll(() => fieldError(page, 'heads').textContent()).toBe('--d-model 128 is not divisible by --heads 3');
    expect(await fieldError(page, 'd_model').textContent()).toBe('--d-model 128 is not divisible by --heads 3');
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect.poll(() => page.locator('.invalid').textContent()).toBe('Fix the fields marked in red; nothing was sent.');
    await page.screenshot({ path: join(shots, 'new-run-lm-bad-heads.png'), fullPage: true });
    expect(sent.map((s) => s.method)).not.toContain('train.start');

    const tiny = { vocab: '64', layers: '1', heads: '2', d_model: '16', d_hidden: '16', ctx: '8', batch: '2', steps: '2', warmup: '0', eval_every: '1' };
    for (const [name, v] of Object.entries(tiny)) await page.locator(`input[name="${name}"]`).fill(v);
    await page.locator('#field-dataset').selectOption('text');
    await expect.poll(() => fieldError(page, 'dataset').count()).toBe(1);
    await page.locator('#field-dataset').selectOption('stories');
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/run\/\d+$/);
    const start = sent.find((s) => s.method === 'train.start')!.body as { config: Record<string, unknown> };
    expect(start.config).toEqual({ family: 'lm', dataset: 'stories', gate: 'bilinear', tokenizer: '', vocab: 64, layers: 1, heads: 2, d_model: 16, d_hidden: 16, ctx: 8, batch: 2, steps: 2, lr: 0.001, wd: 0.1, warmup: 0, schedule: 'cosine', clip: 1, eval_every: 1, seed: 0 });
    await page.close();
  });

  it("builds a sweep over a language model's keys", async () => {
    const { page } = await open('#/sweep');
    await page.getByLabel('language model').check();
    const keys = await page.locator('select[aria-label="grid key 1"] option').allTextContents();
    expect(keys).toContain('d_model');
    expect(keys).not.toContain('epochs');
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.locator('input[aria-label="values of lr"]').fill('1e-3 3e-3 1e-2');
    await expect.poll(() => page.locator('output.count').textContent()).toBe('6 runs');
    await page.screenshot({ path: join(shots, 'new-sweep-lm.png'), fullPage: true });
    await page.close();
  });

  it("shows an LM run's final figures, loss curves, config, samples newest first, and a generate error inline", async () => {
    const { page } = await open(`#/run/${lm.id}`);
    const last = lm.records.at(-1)!;
    const facts = page.getByTestId('lm-facts');
    await expect.poll(() => facts.locator('dd').allTextContents()).toEqual([formatFixed(last.val_loss, 4), formatFixed(last.val_ppl, 2), last.tokens.toLocaleString('en'), Math.round(last.tokens_per_s).toLocaleString('en')]);
    expect(await page.getByTestId('progress-facts').textContent()).toMatch(/step 1000 \/ 1000/);
    expect(await page.getByTestId('progress-facts').textContent()).not.toMatch(/epoch/);
    expect(await page.locator('figure[aria-label="accuracy"]').count()).toBe(0);
    const loss = page.locator('figure[aria-label="loss"]');
    expect(await loss.locator('g.series').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-label'), g.querySelectorAll('circle').length]))).toEqual([['train loss', 5], ['validation loss', 5]]);
    await page.locator('label.x select').selectOption('tokens');
    await expect.poll(() => loss.locator('.axis.bottom text.label').textContent()).toBe('tokens');
    expect(await loss.locator('circle title').first().textContent()).toMatch(/tokens · step 200 ·/);

    const samples = page.getByRole('region', { name: 'samples' });
    expect(await samples.locator('.step').allTextContents()).toEqual(['step 1,000', 'step 800', 'step 600', 'step 400', 'step 200']);
    expect(await samples.locator('li p').first().textContent()).toBe(`${lm.samples[4].prompt}${lm.samples[4].text}`);
    const config = page.getByRole('region', { name: 'configuration' });
    expect(await config.locator('dt').allTextContents()).toEqual(expect.arrayContaining(['family', 'd_model', 'heads', 'tokenizer']));

    const generate = page.getByRole('region', { name: 'generate' });
    await generate.locator('input[name="generate-temperature"]').fill('abc');
    await expect.poll(() => generate.locator('.error[data-field="generate-temperature"]').textContent()).toMatch(/is not a number/);
    expect(await generate.getByRole('button', { name: 'Generate' }).isDisabled()).toBe(true);
    await generate.locator('input[name="generate-temperature"]').fill('0.8');
    await generate.getByRole('button', { name: 'Generate' }).click();
    // the seeded run has no weights to sample from: the refusal is shown in place
    await expect.poll(() => generate.getByTestId('generate-error').textContent()).toMatch(/\S/);
    await page.screenshot({ path: join(shots, 'lm-run-page.png'), fullPage: true });
    await page.close();
  });

  it('lists an LM run beside a classifier: the family shown, the held-out loss of either, no accuracy for the LM', async () => {
    const { page } = await open('#/runs');
    await expect.poll(() => page.locator('[role=grid] [role=row]').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.head button').allTextContents()).toEqual(expect.arrayContaining(['family', 'test/val loss', 'test acc.']));
    const row = async (id: number) => page.locator('[role=grid] [role=row]', { has: page.locator(`a[href="#/run/${id}"]`) }).locator('.cell').allTextContents();
    const lmCells = await row(lm.id);
    expect(lmCells[3]).toBe('LM');
    expect(await page.locator(`[role=grid] [role=row]:has(a[href="#/run/${lm.id}"]) abbr`).getAttribute('title')).toBe('language model');
    expect(lmCells[7]).toBe('—');
    expect(lmCells[8]).toBe(formatFixed(lm.records.at(-1)!.val_loss, 4));
    const clfCells = await row(classifier);
    expect(clfCells[3]).toBe('classifier');
    expect(clfCells[7]).toBe('94.00%');
    await page.screenshot({ path: join(shots, 'runs-table-lm-beside-classifier.png') });
    await page.close();
  });

  it('overlays the loss curves of compared LM runs', async () => {
    const { page } = await open(`#/compare?ids=${lm.id},${lm2.id}`);
    const chart = page.locator('figure[aria-label="validation loss"]');
    await expect.poll(() => chart.locator('g.series').count()).toBe(2);
    expect(await page.locator('figure[aria-label="test accuracy (%)"]').count()).toBe(0);
    expect(await page.locator('table.final td:first-child').allTextContents()).toEqual(['validation loss', 'perplexity', 'train loss', 'status']);
    await page.screenshot({ path: join(shots, 'compare-lm-runs.png'), fullPage: true });
    await page.goto(`${host.url}?token=${host.token}#/compare?ids=${classifier},${lm.id}`);
    await expect.poll(() => page.locator('figure[aria-label="test / val loss"] g.series').count()).toBe(2);
    await page.screenshot({ path: join(shots, 'compare-lm-and-classifier.png'), fullPage: true });
    await page.close();
  });
});
