// The feature atlas in a real browser, served by the web host over a real workspace with two
// tiny runs trained on digits (bilinear and SQS, same seed): the analysis started as the atlas
// opens, with its progress, every class of the atlas, a class switch, a feature's detail with its
// test examples, an input drawn with the mouse, centred like an MNIST digit and explained, the
// features of the two runs matched, figures exported as SVG, PNG and PDF downloads (a column-wide
// one among them), and the whole atlas downloaded as one file (the HTML page, or a zip of the
// figures) and, when asked, saved in the workspace too. The atlas's figures on screen are the
// exported figures drawn as SVG; an eigenvector is a button. Screenshots go to test-results/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { tempDir } from '../helpers/cli';
import { buildRenderer, HAVE_BROWSER, launch } from './browser';

const ROOT = resolve(import.meta.dirname, '../..');
const TINY = { d: 24, h: 24, batch: 256, epochs: 2, seed: 5, lr: 0.01 };
const LONG = { timeout: 120_000, interval: 100 };
const CLASSES = 10;

/** In the page from its first script on: when the selected class first shows its heatmaps, and every analysis stage shown. */
function watchAtlas(): void {
  const w = window as unknown as { atlasShownAt?: number; stagesSeen: string[] };
  w.stagesSeen = [];
  new MutationObserver(() => {
    const stage = document.querySelector('[data-testid="analysis-stage"]')?.textContent;
    if (stage && w.stagesSeen.at(-1) !== stage) w.stagesSeen.push(stage);
    if (w.atlasShownAt === undefined && document.querySelectorAll('g.eigenvector').length > 0) w.atlasShownAt = performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

describe.skipIf(!HAVE_BROWSER && process.env.REQUIRE_BROWSER !== '1')('feature atlas in Chromium', () => {
  let host: WebHost;
  let browser: Browser;
  let bilinear: number;
  let sqs: number;
  const shots = join(ROOT, 'test-results');

  beforeAll(async () => {
    const staticDir = await buildRenderer(join(tempDir(), 'renderer'));
    host = await startWebHost({ port: 0, workspaceDir: tempDir(), staticDir });
    browser = await launch();
    mkdirSync(join(shots, 'ui-edges'), { recursive: true });
    bilinear = (await host.service.call('train.start', { config: { ...TINY, gate: 'bilinear' }, name: 'bilinear' })).runId;
    sqs = (await host.service.call('train.start', { config: { ...TINY, gate: 'sqs' }, name: 'sqs' })).runId;
    await host.service.idle();
    for (const id of [bilinear, sqs]) expect((await host.service.call('runs.show', { id })).run.status).toBe('completed');
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  async function open(hash: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.addInitScript(watchAtlas);
    await page.goto(`${host.url}?token=${host.token}${hash}`);
    return page;
  }

  /** Opens the export menu named `what`, picks a format (and a size), and returns the downloaded file as latin1 text. */
  async function exportedFile(page: Page, what: string, format: 'SVG' | 'PNG' | 'PDF', o: { dpi?: 150 | 300 | 600; size?: 'column' | 'page' } = {}): Promise<string> {
    await page.getByLabel(`export ${what}`, { exact: true }).click();
    const menu = page.getByRole('group', { name: `export ${what} as` });
    if (o.dpi) await menu.getByLabel('PNG resolution').selectOption(String(o.dpi));
    if (o.size) await menu.getByLabel('figure size').selectOption(o.size);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), menu.getByRole('button', { name: format, exact: true }).click()]);
    const path = await download.path();
    return readFileSync(path).toString('latin1');
  }
  const exported = async (page: Page, what: string, format: 'SVG' | 'PNG' | 'PDF', dpi?: 150 | 300 | 600) => (await exportedFile(page, what, format, { dpi })).slice(0, 8);

  const tiles = (page: Page, cls: number) => page.locator(`g.eigenvector.pick[aria-label^="class ${cls} eigenvector rank "]`);

  it('analyses a run as its atlas opens, then shows every class, switches class fast and opens a feature', async () => {
    const page = await open(`#/run/${bilinear}`);
    await page.getByRole('link', { name: 'Feature atlas' }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/run/${bilinear}/atlas$`));

    // not analysed yet: the analysis starts by itself, its progress shown, no button to press
    await expect.poll(() => tiles(page, 0).count(), LONG).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Analyse', exact: true }).count()).toBe(0);
    const stages = await page.evaluate(() => (window as unknown as { stagesSeen: string[] }).stagesSeen);
    expect(stages.length).toBeGreaterThan(0);
    expect(stages.every((s) => /· \d+%$/.test(s))).toBe(true);

    // the facts and every class
    const facts = page.getByTestId('atlas-facts');
    await expect.poll(() => facts.textContent()).toMatch(/gate\s*bilinear/);
    expect(await facts.textContent()).toMatch(/d\s*24/);
    expect(await facts.textContent()).toMatch(/logit correlation\s*[\d.]+/);
    expect(await page.locator('.note.exact').count()).toBe(1);
    const classButtons = page.getByRole('group', { name: 'class', exact: true }).getByRole('button');
    expect(await classButtons.count()).toBe(CLASSES);
    expect(await classButtons.allTextContents()).toEqual(Array.from({ length: CLASSES }, (_, i) => String(i)));
    expect(await page.locator('section.grid[data-sign="positive"] g.eigenvector').count()).toBeGreaterThan(0);
    expect(await page.locator('section.grid[data-sign="negative"] g.eigenvector').count()).toBeGreaterThan(0);
    expect(await page.locator('section[data-figure="spectrum"] g.bar').count()).toBe(TINY.d);
    expect(await page.locator('section[aria-label="truncation curve"] g.series path').count()).toBe(2);
    expect(await page.locator('section[aria-label="truncation curve"] g.reference').getAttribute('data-label')).toBe('model');
    expect(await page.locator('section.grid g.colour-bar').count()).toBe(2);
    // the screen's numbers are the export's: true minus signs, no e-notation
    const shown = (await page.locator('body').textContent()) ?? '';
    expect(shown).not.toMatch(/\d-\d|\de-\d/);
    expect(shown).toContain('−');

    // every class has its features; ← and → switch class and the address follows
    for (let c = 1; c < CLASSES; c++) {
      await classButtons.nth(c).click();
      await expect.poll(() => tiles(page, c).count()).toBeGreaterThan(0);
    }
    await classButtons.nth(0).click();
    await expect.poll(() => tiles(page, 0).count()).toBeGreaterThan(0);
    const switchMs = await page.evaluate(async () => {
      const start = performance.now();
      (document.activeElement ?? document.body).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      while (!document.querySelector('g.eigenvector[aria-label^="class 1 "]')) {
        if (performance.now() - start > 5000) return Number.POSITIVE_INFINITY;
        await new Promise((r) => requestAnimationFrame(r));
      }
      return performance.now() - start;
    });
    expect(switchMs).toBeLessThan(5000);
    await expect.poll(() => page.url()).toMatch(/atlas\?class=1$/);
    console.log(`class switch: ${switchMs.toFixed(1)} ms`);

    // a feature's detail: by click, then by Enter on another tile
    const first = tiles(page, 1).first();
    const rank = Number((await first.getAttribute('aria-label'))!.match(/rank (\d+)/)![1]);
    await first.click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`class=1&feature=${rank}$`));
    const detail = page.getByRole('complementary', { name: 'feature detail' });
    await expect.poll(() => detail.locator('.item').count(), LONG).toBe(16);
    expect(await detail.getByTestId('detail-eigenvalue').textContent()).toMatch(/^−?[\d.e+-]+$/);
    expect(await detail.locator('rect.bar').count()).toBe(CLASSES);
    expect(await detail.locator('rect.bar.highlight').getAttribute('data-class')).toBe('1');
    await page.screenshot({ path: join(shots, 'atlas-ui-feature.png'), fullPage: true });
    // what the colours mean, and the examples by contribution unless switched to the signed projection
    expect(await detail.getByTestId('gauge-legend').textContent()).toBe('red: ink there raises vᵀz, blue: lowers it; signs set so that class 1 test images have mean vᵀz > 0');
    expect(await detail.getByRole('figure', { name: 'test examples it contributes most to: largest |λ(vᵀz)²|' }).count()).toBe(1);
    await detail.getByRole('button', { name: 'by signed projection vᵀz' }).click();
    await expect.poll(() => detail.getByRole('figure', { name: 'test examples by signed projection: largest vᵀz = (Eᵀv)·x' }).count()).toBe(1);
    expect(await detail.locator('.item .projection').first().textContent()).toMatch(/^vᵀz [+−]?[\d.e+-]+$/);
    const second = tiles(page, 1).nth(1);
    const rank2 = Number((await second.getAttribute('aria-label'))!.match(/rank (\d+)/)![1]);
    await second.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(new RegExp(`feature=${rank2}$`));
    await page.goBack();
    await expect.poll(() => page.url()).toMatch(new RegExp(`feature=${rank}$`));
    await expect.poll(() => tiles(page, 1).and(page.locator('[aria-pressed="true"]')).getAttribute('aria-label')).toMatch(new RegExp(`rank ${rank},`));

    // figures as files: the same renderer as the command line; a column wide is 3.25 in = 234 pt
    expect(await exported(page, 'spectrum of class 1', 'SVG')).toMatch(/^<svg/);
    expect(await exportedFile(page, 'spectrum of class 1', 'PDF', { size: 'column' })).toMatch(/\/MediaBox \[0 0 234 [\d.]+\]/);
    expect(await exported(page, 'positive eigenvectors of class 1', 'PDF')).toMatch(/^%PDF/);
    expect(await exported(page, 'truncation curve', 'PNG', 150)).toMatch(/^\x89PNG/);
    await page.close();
  });

  it('renders a ready atlas quickly from a fresh load', async () => {
    const page = await open(`#/run/${bilinear}/atlas?class=4`);
    await expect.poll(() => tiles(page, 4).count(), LONG).toBeGreaterThan(0);
    const shownAt = await page.evaluate(() => (window as unknown as { atlasShownAt: number }).atlasShownAt);
    const answeredAt = await page.evaluate(() => (performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/atlas.get')) as PerformanceResourceTiming).responseEnd);
    const heatmaps = await page.locator('g.eigenvector').count();
    console.log(`atlas of ${CLASSES} classes: ${heatmaps} heatmaps of class 4 on screen ${shownAt.toFixed(0)} ms after navigation, ${(shownAt - answeredAt).toFixed(0)} ms after atlas.get answered`);
    await page.screenshot({ path: join(shots, 'atlas-ui-class.png'), fullPage: true });

    // the whole atlas as one download: the self-contained page, nothing written on the server
    const exports = join((await host.service.call('settings.get', {})).workspaceDir, 'exports');
    const exportsBefore = existsSync(exports);
    await page.getByLabel('atlas export format').selectOption('html');
    const [pageFile] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export atlas' }).click()]);
    expect(pageFile.suggestedFilename()).toBe(`run-${bilinear}-atlas.html`);
    expect(readFileSync(await pageFile.path(), 'utf8')).toMatch(/^<!doctype html>[\s\S]*Content-Security-Policy/i);
    await expect.poll(() => page.getByTestId('atlas-download').textContent()).toMatch(new RegExp(`Downloaded run-${bilinear}-atlas.html`));
    expect(await page.getByTestId('atlas-export-result').count()).toBe(0);
    expect(existsSync(exports)).toBe(exportsBefore);

    // the figures as one zip, and (asked) a copy in the workspace's exports folder, listed under it
    await page.getByLabel('atlas export format').selectOption('svg');
    await page.getByLabel("also save in the workspace's exports folder").check();
    const [zipFile] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Export atlas' }).click()]);
    expect(zipFile.suggestedFilename()).toBe(`run-${bilinear}-atlas-svg.zip`);
    const figures = [...Array(CLASSES).keys()].flatMap((c) => [`class-${c}-positive.svg`, `class-${c}-negative.svg`, `spectrum-${c}.svg`]).concat('truncation.svg');
    const zipBytes = readFileSync(await zipFile.path());
    expect(zipBytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    if (existsSync('/usr/bin/unzip')) {
      const listed = execFileSync('/usr/bin/unzip', ['-Z1', await zipFile.path()], { encoding: 'utf8' }).trim().split('\n');
      expect(listed.sort()).toEqual(figures.map((f) => `run-${bilinear}-atlas-svg/${f}`).sort());
    }
    const written = page.getByTestId('atlas-export-result');
    await expect.poll(() => written.textContent(), LONG).toMatch(/Saved \d+ files in/);
    const outDir = (await written.locator('code.folder').textContent())!;
    expect(outDir.startsWith(join(exports, `run-${bilinear}-svg-`))).toBe(true);
    const files = await written.locator('li code').allTextContents();
    expect(files.sort()).toEqual([...figures].sort()); // each by its own name, the folder once
    for (const f of files) expect(existsSync(join(outDir, f)), f).toBe(true);
    // the folder wraps rather than being cut off
    expect(await written.locator('p').evaluate((p) => p.scrollWidth <= p.clientWidth)).toBe(true);
    await page.screenshot({ path: join(shots, 'ui-edges', 'atlas-export.png'), fullPage: true });
    await page.close();
  });

  it('says plainly that an SQS run is read to first order, and how faithful that reading is', async () => {
    const page = await open(`#/run/${sqs}/atlas`);
    await expect.poll(() => tiles(page, 0).count(), LONG).toBeGreaterThan(0);
    const note = page.getByRole('note').filter({ hasText: 'First-order reading' });
    expect(await note.textContent()).toMatch(/sqs gate is read as the identity.*same class as the model on \d+\.\d% of \d+ test examples.*r = −?[01]\.\d{3}/s);
    expect(await page.locator('.note.exact').count()).toBe(0);
    await page.close();
  });

  it('explains an input drawn with the mouse, and a test example, class by class', async () => {
    const page = await open(`#/run/${bilinear}/explain`);
    await expect.poll(() => page.getByRole('button', { name: /^test example \d+, label \d$/ }).count(), LONG).toBe(24);

    // a "7": a bar across the top, then a stroke down to the lower left
    const pad = page.getByTestId('drawing-pad');
    const box = (await pad.boundingBox())!;
    const at = (x: number, y: number) => [box.x + (x / 28) * box.width, box.y + (y / 28) * box.height] as const;
    await page.mouse.move(...at(7, 7));
    await page.mouse.down();
    await page.mouse.move(...at(21, 7), { steps: 8 });
    await page.mouse.move(...at(11, 23), { steps: 10 });
    await page.mouse.up();

    // what is explained is the drawing centred and scaled like an MNIST digit, shown beside the pad
    await expect.poll(() => page.getByTestId('processed-drawing').count()).toBe(1);
    const logits = page.locator('figure[aria-label="logits"]');
    await expect.poll(() => logits.locator('rect.bar').count(), LONG).toBe(2 * CLASSES);
    expect(await logits.locator('rect.bar.highlight').count()).toBe(2);
    expect(await page.getByTestId('prediction').textContent()).toMatch(/^predicted \d$/);
    const components = page.locator('ol.components li[data-rank]');
    expect(await components.count()).toBeGreaterThan(0);
    expect(await page.getByTestId('contribution').first().textContent()).toMatch(/^[+−]/);
    expect(await page.getByTestId('remainder').count()).toBe(1);

    // break down another class's logit
    const breakdown = page.getByRole('group', { name: 'break down the logit of' });
    await breakdown.getByRole('button', { name: '3', exact: true }).click();
    await expect.poll(() => page.locator('.sum').textContent()).toMatch(/^\s*class 3:/);
    expect(await breakdown.getByRole('button', { name: '3', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: join(shots, 'atlas-ui-explain-drawn.png'), fullPage: true });

    // a test example: its label is known
    await page.getByRole('button', { name: /^test example 0, label/ }).click();
    await expect.poll(() => page.getByTestId('prediction').textContent()).toMatch(/^predicted \d · label \d$/);
    await page.screenshot({ path: join(shots, 'atlas-ui-explain-example.png'), fullPage: true });
    expect(await exported(page, 'explanation', 'SVG')).toMatch(/^<svg/);
    await page.close();
  });

  it('matches the features of two runs picked in the runs table', async () => {
    const page = await open('#/runs');
    for (const id of [bilinear, sqs]) await page.getByLabel(`select run ${id}`).check();
    await page.getByRole('button', { name: 'Compare features' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/atlas-compare\?a=\d+&b=\d+$/);
    const pairs = page.locator('section[data-figure="compare-pairs"] g.eigenvector');
    await expect.poll(() => pairs.count(), LONG).toBeGreaterThan(0);
    expect((await pairs.count()) % 2).toBe(0); // each of A's over its match in B
    expect(await page.getByRole('note').filter({ hasText: 'sign' }).count()).toBe(1);
    // both were analysed above, and the comparison says so as the atlas would
    const sources = page.getByRole('list', { name: 'where the features come from' }).locator('li');
    await expect.poll(() => sources.allTextContents()).toEqual([bilinear, sqs].map((id) => `Run #${id}'s features come from its feature analysis.`));
    const chart = page.locator('section[aria-label="similarity by rank"]');
    expect(await chart.locator('g.series path').count()).toBe(2);
    expect(await chart.locator('svg').innerHTML()).not.toContain('NaN');
    const pairTexts = await page.locator('section[data-figure="compare-pairs"] svg text').allTextContents();
    expect(pairTexts.filter((t) => /^\|cos\| = [01]\.\d\d$/.test(t)).length).toBe((await pairs.count()) / 2);
    expect(pairTexts.some((t) => /^A #\d+$/.test(t)) && pairTexts.some((t) => /^B #\d+$/.test(t))).toBe(true);

    await page.getByRole('group', { name: 'class', exact: true }).getByRole('button', { name: '2', exact: true }).click();
    await expect.poll(() => page.url()).toMatch(/&class=2$/);
    await expect.poll(() => page.getByRole('region', { name: 'matched pairs, class 2' }).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'atlas-ui-compare.png'), fullPage: true });
    expect(await exported(page, 'similarity chart', 'SVG')).toMatch(/^<svg/);
    await page.close();
  });
});
