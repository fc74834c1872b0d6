// A language model's features read in a real browser, over two tiny language models trained by the
// web host's own service (bilinear and SQS, same seed): Read features from the run's page, a token
// found by search with the tokenizer's pieces shown, the spectrum and truncation curve with the
// reading said as exact (bilinear) or first order (SQS), eigenvector cards with their tokens and
// contexts, a difference of two tokens, unknown and multi-token input refused inline in words, a
// prompt explained, the other run compared with the caveat shown, a figure and the atlas exported.
// Screenshots go to test-results/lm-atlas/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { LM_COMPARISON_CAVEAT } from '../../src-main/common/contract';
import { TINY_LM } from '../api/service-helpers';
import { tempDir } from '../helpers/cli';
import { buildRenderer, cancelledFavicon, HAVE_BROWSER, launch } from './browser';

const ROOT = resolve(import.meta.dirname, '../..');

describe.skipIf(!HAVE_BROWSER && process.env.REQUIRE_BROWSER !== '1')('language-model features in Chromium', () => {
  let host: WebHost;
  let browser: Browser;
  let bilinear: number;
  let sqs: number;
  const shots = join(ROOT, 'test-results', 'lm-atlas');

  beforeAll(async () => {
    const staticDir = await buildRenderer(join(tempDir(), 'renderer'));
    host = await startWebHost({ port: 0, workspaceDir: tempDir(), staticDir });
    browser = await launch();
    mkdirSync(shots, { recursive: true });
    const config = { ...TINY_LM, steps: 60, eval_every: 30 };
    bilinear = (await host.service.call('train.start', { config: { ...config, gate: 'bilinear' }, name: 'tiny-bilinear' } as never)).runId;
    sqs = (await host.service.call('train.start', { config: { ...config, gate: 'sqs' }, name: 'tiny-sqs' } as never)).runId;
    await host.service.idle();
    for (const id of [bilinear, sqs]) expect((await host.service.call('runs.show', { id })).run.status).toBe('completed');
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  /** What the browser complained about on the page last opened: console errors, page errors, failed or refused requests. */
  let problems: string[] = [];
  async function open(hash: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.setDefaultTimeout(30_000);
    problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => cancelledFavicon(r) || problems.push(`request failed: ${r.url()}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(`${host.url}?token=${host.token}${hash}`);
    return page;
  }
  const read = async (page: Page, token: string) => {
    await page.getByLabel('output token').fill(token);
    await page.getByRole('button', { name: 'Read', exact: true }).click();
  };
  const spectrumTitle = (page: Page) => page.locator('[data-figure="lm-spectrum"] svg > title').textContent();

  it('opens from the run page, finds a token by search with its piece, and reads it: spectrum, truncation, exact, eigenvector cards', async () => {
    const page = await open(`#/run/${bilinear}`);
    await page.getByRole('link', { name: 'Read features' }).click();
    await expect.poll(() => page.url()).toContain(`#/run/${bilinear}/lm-atlas`);
    await expect.poll(() => page.getByTestId('lm-info').textContent()).toMatch(/bilinear gate · 2 layers · d_model 32/);
    await page.getByLabel('output token').fill('the');
    const match = page.getByRole('list', { name: 'matching tokens' }).getByRole('button').first();
    await expect.poll(() => match.textContent()).toBe('‘ the’ ▁the');
    await page.screenshot({ path: join(shots, 'view-search.png') });
    await match.click();
    await expect.poll(() => page.url()).toContain('token=the');
    await expect.poll(() => spectrumTitle(page)).toMatch(/^spectrum of Q for ‘ the’, layer 0: \d+ positive, \d+ negative$/);
    expect(await page.getByTestId('lm-faithfulness').textContent()).toMatch(/^\s*exact: for a bilinear MLP/);
    expect(await page.locator('[data-figure="lm-spectrum"] g.bar').count()).toBe(32);
    expect(await page.locator('[data-figure="lm-truncation"] svg > title').textContent()).toBe('fraction explained by the top k components of Q for ‘ the’, layer 0');
    const cards = page.getByRole('article');
    await expect.poll(() => cards.count()).toBe(4);
    await expect.poll(() => page.locator('[data-figure="lm-tokens"] g.token').count()).toBeGreaterThan(4 * 4);
    await expect.poll(() => page.locator('[data-figure="lm-contexts"] g.context').count()).toBeGreaterThan(4);
    await page.screenshot({ path: join(shots, 'view-layer-0-the.png'), fullPage: true });

    // what the page holds is kept as the address changes: the typed prompt survives a layer and a feature chosen
    await page.getByLabel('prompt', { exact: true }).fill('the cat sat');
    await page.getByRole('group', { name: 'layer' }).getByRole('button', { name: '1' }).click();
    await expect.poll(() => spectrumTitle(page)).toMatch(/^spectrum of Q for ‘ the’, layer 1: /);
    await cards.nth(1).getByRole('button', { name: /^eigenvector #2/ }).click();
    await expect.poll(() => page.url()).toContain('feature=2');
    expect(await cards.nth(1).getAttribute('class')).toContain('selected');
    expect(await page.getByLabel('prompt', { exact: true }).inputValue()).toBe('the cat sat');
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(shots, 'view-layer-1-the-feature-2.png'), fullPage: true });
  });

  it('reads a difference of two tokens, and refuses an unknown token and a multi-token word inline, in words', async () => {
    const page = await open(`#/run/${bilinear}/lm-atlas?layer=0`);
    await read(page, 'he-she');
    await expect.poll(() => spectrumTitle(page)).toMatch(/^spectrum of Q for ‘ he’ − ‘ she’, layer 0: /);
    await page.screenshot({ path: join(shots, 'view-he-she.png') });
    await read(page, 'zzqx');
    const error = page.getByRole('alert');
    await expect.poll(() => error.first().textContent()).toMatch(/zzqx/);
    await page.screenshot({ path: join(shots, 'view-unknown-token.png') });
    expect(await page.locator('[data-figure="lm-spectrum"]').count()).toBe(0);
    await read(page, 'the dog');
    expect(await page.getByLabel('output token').inputValue()).toBe('the dog'); // kept, to be corrected
    await expect.poll(() => error.first().textContent()).toMatch(/^'the dog' is \d tokens with this run's tokenizer \(▁the [^)]+\), not one; give a single token$/);
    await page.screenshot({ path: join(shots, 'view-multi-token.png') });
  });

  it('says first order for an SQS gate, explains a prompt per position and layer, and compares with the bilinear run, caveat shown', async () => {
    const page = await open(`#/run/${sqs}/lm-atlas?layer=1&token=the`);
    await expect.poll(() => page.getByTestId('lm-faithfulness').textContent()).toMatch(/first order: for a sqs gate/);
    await page.getByLabel('prompt', { exact: true }).fill('once upon a time the dog');
    await page.getByRole('button', { name: 'Explain the logit of the' }).click();
    // a row per prompt token (six words, some of them more than one token here) in each layer's column
    const rows = (layer: number) => page.locator(`[data-figure="lm-explanation"] g.layer-${layer} g.position`).count();
    await expect.poll(() => rows(0)).toBeGreaterThanOrEqual(6);
    expect(await rows(1)).toBe(await rows(0));
    await page.getByRole('combobox', { name: 'run' }).selectOption(String(bilinear));
    await expect.poll(() => page.getByTestId('lm-compare-caveat').textContent()).toBe(LM_COMPARISON_CAVEAT);
    await expect.poll(() => page.locator('[data-figure="lm-compare"] g.series').count()).toBe(2);
    await page.screenshot({ path: join(shots, 'view-sqs-explain-compare.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('exports a figure as SVG and PDF, and the atlas for the token and layer as one HTML page', async () => {
    const page = await open(`#/run/${bilinear}/lm-atlas?layer=1&token=the`);
    await expect.poll(() => spectrumTitle(page)).toMatch(/layer 1/);
    const exported = async (format: 'SVG' | 'PDF') => {
      await page.getByLabel('export spectrum', { exact: true }).click();
      const menu = page.getByRole('group', { name: 'export spectrum as' });
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), menu.getByRole('button', { name: format, exact: true }).click()]);
      return { name: download.suggestedFilename(), text: readFileSync((await download.path())!).toString('latin1') };
    };
    const svg = await exported('SVG');
    expect(svg.name).toBe(`run-${bilinear}-lm-spectrum-layer-1-the.svg`);
    expect(svg.text).toContain('&quot;figure&quot;:&quot;lm-spectrum&quot;');
    expect(svg.text).toMatch(/&quot;weights_sha256&quot;:&quot;[0-9a-f]{64}&quot;/);
    const pdf = await exported('PDF');
    expect(pdf.text.slice(0, 5)).toBe('%PDF-');
    await page.getByLabel('atlas export format').selectOption('html');
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export atlas' }).click()]);
    expect(file.suggestedFilename()).toBe(`run-${bilinear}-atlas.html`);
    const html = readFileSync((await file.path())!).toString('utf8');
    expect([...html.matchAll(/<section class="reading" id="([^"]+)"/g)].map((m) => m[1])).toEqual(['layer-1-the']);
    const atlas = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await atlas.setContent(html);
    await atlas.screenshot({ path: join(shots, 'exported-atlas-html.png') });
    await atlas.close();
  });
});
