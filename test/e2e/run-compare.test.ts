// The live run view and the compare view in a real browser, served by the web host over a real
// workspace with real (tiny) training: the progress bar reaches the end and the curves grow a
// point per epoch; two runs overlay in one chart with a legend, a log scale and their diff.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { tempDir } from '../helpers/cli';
import { buildRenderer, HAVE_BROWSER, launch } from './browser';

const ROOT = resolve(import.meta.dirname, '../..');
const TINY = { d: 16, h: 16, batch: 1024, epochs: 3 };
const LONG = { timeout: 60_000, interval: 100 };

describe.skipIf(!HAVE_BROWSER && process.env.REQUIRE_BROWSER !== '1')('run and compare views in Chromium', () => {
  let host: WebHost;
  let browser: Browser;
  const shots = join(ROOT, 'test-results');
  const ids: number[] = [];

  beforeAll(async () => {
    const staticDir = await buildRenderer(join(tempDir(), 'renderer'));
    host = await startWebHost({ port: 0, workspaceDir: tempDir(), staticDir });
    browser = await launch();
    mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  async function open(hash: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(`${host.url}?token=${host.token}${hash}`);
    return page;
  }

  async function finished(id: number): Promise<void> {
    await expect.poll(async () => (await host.service.call('runs.show', { id })).run.status, LONG).toBe('completed');
  }

  it('follows a run to completion: progress bar, step, epoch and a point per epoch on each curve', async () => {
    const { runId } = await host.service.call('train.start', { config: TINY, name: 'first' });
    ids.push(runId);
    const page = await open(`#/run/${runId}`);
    const bar = page.getByRole('progressbar', { name: 'training progress' });
    await expect.poll(() => bar.getAttribute('aria-valuenow'), LONG).toBe('100');
    await expect.poll(() => page.getByTestId('status').textContent(), LONG).toBe('completed');
    await expect.poll(() => page.locator('.facts').textContent()).toMatch(/step 24\b.*epoch 3 \/ 3/s);
    for (const label of ['train loss', 'test loss', 'test accuracy']) {
      await expect.poll(() => page.locator(`g.series[data-label="${label}"] circle`).count(), LONG).toBe(3);
      expect(await page.locator(`g.series[data-label="${label}"] path`).getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
    }
    expect(await page.locator('.axis.left text').count()).toBeGreaterThan(2);
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    await page.screenshot({ path: join(shots, 'run.png'), fullPage: true });
    expect(page.url()).not.toContain('token=');
  });

  it('overlays two runs with a legend, a log scale and the config keys that differ', async () => {
    const { runId } = await host.service.call('train.start', { config: { ...TINY, seed: 1 }, name: 'second' });
    ids.push(runId);
    await finished(ids[0]);
    await finished(runId);
    const page = await open(`#/compare?ids=${ids.join(',')}`);
    const chart = page.locator('figure[aria-label="test loss"]');
    await expect.poll(() => chart.locator('.legend li').allTextContents(), LONG).toEqual([`#${ids[0]} first`, `#${ids[1]} second`]);
    await expect.poll(() => chart.locator('g.series circle').count(), LONG).toBe(6);
    // the y ticks move (their labels may stay: within a decade a log axis ticks the same round values)
    const yTicks = () => chart.locator('.axis.left text').evaluateAll((ts) => ts.map((t) => `${t.textContent} @ ${t.getAttribute('y')}`));
    const linear = await yTicks();
    await page.getByLabel('log scale').check();
    await expect.poll(yTicks).not.toEqual(linear);
    expect((await chart.locator('svg').innerHTML()).includes('NaN')).toBe(false);
    expect(await chart.locator('g.series path').count()).toBe(2);
    const rows = page.locator('table.diff tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator('td').allTextContents()).toEqual(['seed', '0', '1']);
    expect(await page.locator('table.final thead th').allTextContents()).toEqual(['metric', `#${ids[0]}`, `#${ids[1]}`]);
    expect(await page.locator('table.final tbody tr').first().locator('td').nth(1).textContent()).toMatch(/^\d+\.\d\d%$/);
    await page.screenshot({ path: join(shots, 'compare.png'), fullPage: true });
  });

  it('cancels a run that is training', async () => {
    const { runId } = await host.service.call('train.start', { config: { ...TINY, epochs: 10_000 }, name: 'long' });
    const page = await open(`#/run/${runId}`);
    await expect.poll(() => page.getByTestId('status').textContent(), LONG).toBe('running');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('status').textContent(), LONG).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
  });
});
