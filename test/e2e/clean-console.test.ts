// Every page of the app in a real browser, served by the web host over a workspace with two tiny
// trained runs: not one console error, failed request or Content-Security-Policy violation on
// any of them (the atlas analysed on the way), and the favicon is the app's own SVG, served
// under the same policy.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { tempDir } from '../helpers/cli';
import { buildRenderer, cancelledFavicon, HAVE_BROWSER, launch } from './browser';

const TINY = { d: 16, h: 16, batch: 1024, epochs: 2, noise: 0, lr: 0.01 };
const LONG = { timeout: 120_000, interval: 100 };

describe.skipIf(!HAVE_BROWSER && process.env.REQUIRE_BROWSER !== '1')('a clean console on every page', () => {
  let host: WebHost;
  let browser: Browser;
  let a: number;
  let b: number;

  beforeAll(async () => {
    const staticDir = await buildRenderer(join(tempDir(), 'renderer'));
    host = await startWebHost({ port: 0, workspaceDir: tempDir(), staticDir });
    browser = await launch();
    a = (await host.service.call('train.start', { config: { ...TINY, gate: 'bilinear' }, name: 'a' })).runId;
    b = (await host.service.call('train.start', { config: { ...TINY, gate: 'sqs' }, name: 'b' })).runId;
    await host.service.idle();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  /** A page that records everything the browser complains about, from its first script on. */
  async function watched(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(30_000);
    const problems: string[] = [];
    page.on('console', (m) => (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) && problems.push(`console ${m.type()}: ${m.text()} at ${m.location().url}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // (the favicon test below checks that the favicon is served)
    page.on('requestfailed', (r) => cancelledFavicon(r) || problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.exposeFunction('reportViolation', (what: string) => problems.push(`CSP violation: ${what}`));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation: (s: string) => void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`)),
    );
    return { page, problems };
  }

  it('visits every page without a console error, a failed request or a CSP violation', async () => {
    const { page, problems } = await watched();
    await page.goto(`${host.url}?token=${host.token}#/runs`);
    const visits: [hash: string, ready: () => Promise<unknown>][] = [
      ['#/runs', () => expect.poll(() => page.locator('[role=grid] [role=row]').count()).toBe(2)],
      // the same page grouped by gate
      ['#/runs', async () => {
        await page.locator('input[aria-label="group by"]').fill('gate');
        await page.locator('input[aria-label="group by"]').press('Enter');
        await expect.poll(() => page.locator('table.groups tbody tr').count()).toBe(2);
      }],
      ['#/new', () => expect.poll(() => page.locator('#field-dataset option').count()).toBeGreaterThan(0)],
      ['#/sweep', () => expect.poll(() => page.locator('output.count').textContent()).toBe('2 runs')],
      ['#/settings', () => expect.poll(() => page.locator('[data-testid="detected"]').textContent()).toMatch(/cpu/)],
      [`#/run/${a}`, () => expect.poll(() => page.getByTestId('status').textContent()).toBe('completed')],
      [`#/compare?ids=${a},${b}`, () => expect.poll(() => page.locator('table.final tbody tr').count()).toBeGreaterThan(0)],
      [`#/run/${a}/atlas`, () => expect.poll(() => page.locator('g.eigenvector').count(), LONG).toBeGreaterThan(0)],
      [`#/run/${a}/atlas?class=3&feature=1`, () => expect.poll(() => page.getByRole('complementary', { name: 'feature detail' }).locator('.item').count(), LONG).toBeGreaterThan(0)],
      [`#/run/${a}/explain`, () => expect.poll(() => page.getByRole('button', { name: /^test example \d+, label \d$/ }).count(), LONG).toBeGreaterThan(0)],
      [`#/atlas-compare?a=${a}&b=${b}`, async () => {
        await expect.poll(() => page.locator('section[data-figure="compare-pairs"] g.eigenvector').count(), LONG).toBeGreaterThan(0);
        // a was analysed on its atlas page above, b not yet: the comparison says so, as their atlases would
        const sources = page.getByRole('list', { name: 'where the features come from' }).locator('li');
        await expect.poll(() => sources.evaluateAll((li) => li.map((l) => l.getAttribute('data-state')))).toEqual(['ready', 'missing']);
        expect(await sources.nth(1).textContent()).toMatch(new RegExp(`^\\s*Run #${b} has no feature analysis yet: its features here are computed from its weights`));
        expect((await host.service.call('atlas.status', { id: b })).state).toBe('missing');
      }],
      ['#/atlas-compare', () => expect.poll(() => page.getByText('Choose two completed runs').count()).toBe(1)],
      ['#/run/999', () => expect.poll(() => page.getByTestId('run-not-found').count()).toBe(1)],
      ['#/run/999/atlas', () => expect.poll(() => page.getByTestId('run-not-found').count()).toBe(1)],
    ];
    for (const [hash, ready] of visits) {
      await page.evaluate((h) => (window.location.hash = h), hash);
      await ready();
      expect(problems, hash).toEqual([]);
    }
    // and a fresh load of a deep page, where the first script runs on it
    await page.goto(`${host.url}?token=${host.token}#/run/${b}/atlas`);
    await expect.poll(() => page.locator('g.eigenvector').count(), LONG).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('has the app’s own SVG favicon, served under the strict policy', async () => {
    const { page, problems } = await watched();
    const icons: string[] = [];
    page.on('response', (r) => /favicon/.test(r.url()) && icons.push(`${r.status()} ${r.headers()['content-type']} ${r.url()}`));
    await page.goto(`${host.url}?token=${host.token}#/runs`);
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBe('./favicon.svg');
    const res = await page.request.get(new URL(href!, host.url).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('image/svg+xml');
    expect(res.headers()['content-security-policy']).toMatch(/default-src 'self'/);
    expect(await res.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    await expect.poll(() => icons.length).toBeGreaterThan(0);
    expect(icons.every((i) => i.startsWith('200 image/svg+xml'))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
