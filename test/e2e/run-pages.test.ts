// A run's pages in a real browser, served by the web host over a real workspace with real (tiny)
// training: notes read in the runs table and on the run page; the newest test accuracy while a
// run trains, accuracy charted in %, cancel, and resume from the run page after a cancel, going on
// from the last checkpoint; how long a completed run took instead of an empty ETA; and a plain
// page for a run that does not exist. Screenshots go to test-results/ui-edges/.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { tempDir } from '../helpers/cli';
import { buildRenderer, HAVE_BROWSER, launch } from './browser';

const ROOT = resolve(import.meta.dirname, '../..');
const TINY = { d: 16, h: 16, batch: 1024, epochs: 2, noise: 0, lr: 0.01 };
const LONG = { timeout: 60_000, interval: 100 };

describe.skipIf(!HAVE_BROWSER && process.env.REQUIRE_BROWSER !== '1')('run pages in Chromium', () => {
  let host: WebHost;
  let browser: Browser;
  let done: number;
  const shots = join(ROOT, 'test-results', 'ui-edges');

  beforeAll(async () => {
    const staticDir = await buildRenderer(join(tempDir(), 'renderer'));
    host = await startWebHost({ port: 0, workspaceDir: tempDir(), staticDir });
    browser = await launch();
    mkdirSync(shots, { recursive: true });
    done = (await host.service.call('train.start', { config: TINY, name: 'done' })).runId;
    await host.service.idle();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  async function open(hash: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(`${host.url}?token=${host.token}${hash}`);
    return page;
  }

  it('shows the newest note in the runs table and every note, newest first with its date, on the run page', async () => {
    await host.service.call('runs.note', { id: done, body: 'first look' });
    await host.service.call('runs.note', { id: done, body: 'second thought\nlr too high?' });
    const page = await open('#/runs');
    const cell = page.getByTestId('latest-note');
    await expect.poll(() => cell.textContent()).toBe('second thought\nlr too high?');
    expect(await page.locator('.note').getAttribute('title')).toMatch(/^2 notes, the newest \(\d{4}-\d\d-\d\d \d\d:\d\d\):\nsecond thought\nlr too high\?$/);
    expect(await page.locator('.note .more').textContent()).toBe('+1');
    await page.screenshot({ path: join(shots, 'runs-table-notes.png') });

    await page.getByRole('link', { name: 'done' }).click();
    const notes = page.getByRole('region', { name: 'notes' });
    await expect.poll(() => notes.locator('li p').allTextContents()).toEqual(['second thought\nlr too high?', 'first look']);
    await notes.getByLabel('new note').fill('third: converged');
    await notes.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => notes.locator('li p').allTextContents()).toEqual(['third: converged', 'second thought\nlr too high?', 'first look']);
    for (const t of await notes.locator('li time').allTextContents()) expect(t).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect((await host.service.call('runs.show', { id: done })).notes.map((n) => n.body)).toContain('third: converged');
    await page.screenshot({ path: join(shots, 'run-notes.png'), fullPage: true });
    await page.close();
  });

  it('says how long a completed run took, with no ETA, and charts its accuracy in %', async () => {
    const page = await open(`#/run/${done}`);
    await expect.poll(() => page.getByTestId('progress-facts').textContent()).toMatch(/done in \d+(\.\d)? (s|min)/);
    expect(await page.getByTestId('progress-facts').textContent()).not.toMatch(/ETA/);
    const accuracy = page.locator('figure[aria-label="accuracy"]');
    expect(await accuracy.locator('text.label').allTextContents()).toContain('test accuracy (%)');
    const ticks = (await accuracy.locator('.axis.left text:not(.label)').allTextContents()).map(Number);
    const acc = (await host.service.call('runs.show', { id: done })).run.test_accuracy!;
    // the axis spans the accuracy in percent, not as a fraction
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(100 * acc - 1e-9);
    expect(Math.max(...ticks)).toBeGreaterThan(1);
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(0);
    await page.close();
  });

  it('shows the newest test accuracy while training, cancels, and resumes after the cancel from the last checkpoint', async () => {
    const { runId } = await host.service.call('train.start', { config: { ...TINY, epochs: 300 }, name: 'long' });
    const page = await open(`#/run/${runId}`);
    const latest = page.getByTestId('latest-accuracy');
    const epochShown = async () => Number((await latest.textContent())?.match(/^· test accuracy \d+\.\d\d% \(epoch (\d+)\)$/)?.[1] ?? 0);
    await expect.poll(epochShown, LONG).toBeGreaterThanOrEqual(2);
    const first = await epochShown();
    await expect.poll(epochShown, LONG).toBeGreaterThan(first); // it follows the evaluations as they come
    expect(await page.getByTestId('progress-facts').textContent()).toMatch(/ETA/);
    await page.screenshot({ path: join(shots, 'run-training.png'), fullPage: true });

    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('status').textContent(), LONG).toBe('cancelled');
    await expect.poll(() => page.getByTestId('progress-facts').textContent()).not.toMatch(/ETA|done in/);
    const stoppedAt = (await host.service.call('runs.show', { id: runId })).run.epochs_done;
    // where it stopped, as the workspace recorded it, not the last progress event before the stop
    await expect.poll(() => page.getByTestId('progress-facts').textContent()).toMatch(new RegExp(`epoch ${stoppedAt} / 300`));
    await page.screenshot({ path: join(shots, 'run-cancelled.png'), fullPage: true });

    const resumedEpochs: number[] = [];
    const off = host.service.on((e) => e.type === 'metrics' && e.runId === runId && resumedEpochs.push(e.record.epoch));
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('status').textContent(), LONG).toBe('running');
    await expect.poll(() => resumedEpochs.length, LONG).toBeGreaterThan(0);
    off();
    // on from its last whole epoch, not from the start
    expect(resumedEpochs[0]).toBeGreaterThan(1);
    expect(resumedEpochs[0]).toBeLessThanOrEqual(stoppedAt + 1);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('status').textContent(), LONG).toBe('cancelled');
    await page.close();
  });

  it('says plainly that a run does not exist, on its page, its atlas and its explain page, and leads back to the runs', async () => {
    for (const hash of ['#/run/999', '#/run/999/atlas', '#/run/999/explain']) {
      const page = await open(hash);
      const missing = page.getByTestId('run-not-found');
      await expect.poll(() => missing.locator('h2').textContent()).toBe('Run 999 does not exist in this workspace');
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(await page.locator('svg, canvas').count()).toBe(0);
      if (hash === '#/run/999') await page.screenshot({ path: join(shots, 'run-not-found.png') });
      await missing.getByRole('link', { name: '← all runs' }).click();
      await expect.poll(() => new URL(page.url()).hash).toBe('#/runs');
      await page.close();
    }
  });
});
