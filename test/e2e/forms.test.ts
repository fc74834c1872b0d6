// The New run, New sweep and Settings forms in a real browser, served by the web host over a
// real workspace: reference defaults, inline errors that keep anything from being sent, a bad
// IDX folder refused with the reason (never the file's bytes), a tiny run and a two-run sweep
// started from the forms, a warning when the data and batch give too few steps per epoch, the
// detected execution providers, and what a browser may not choose: the workspace (shown read-only,
// with how to switch it) and a dataset folder outside the server's data roots. Screenshots go to
// test-results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { tempDir } from '../helpers/cli';
import { buildRenderer, HAVE_BROWSER, launch } from './browser';

const ROOT = resolve(import.meta.dirname, '../..');
const run = HAVE_BROWSER || process.env.REQUIRE_BROWSER === '1';

describe.skipIf(!run)('run, sweep and settings forms in Chromium', () => {
  let host: WebHost;
  /** the same page from a server started without --data-root */
  let rootless: WebHost;
  let workspace: string;
  let dataRoot: string;
  let badIdx: string;
  const shots = join(ROOT, 'test-results');

  beforeAll(async () => {
    const staticDir = await buildRenderer(join(tempDir(), 'renderer'));
    workspace = tempDir();
    // four files with the right names and the wrong contents, under the server's data root
    dataRoot = tempDir();
    badIdx = join(dataRoot, 'bad-idx');
    mkdirSync(badIdx);
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) writeFileSync(join(badIdx, f), 'not an IDX file');
    host = await startWebHost({ port: 0, workspaceDir: workspace, staticDir, dataRoots: [dataRoot] });
    rootless = await startWebHost({ port: 0, workspaceDir: tempDir(), staticDir });
    mkdirSync(join(shots, 'ui-edges'), { recursive: true });
    mkdirSync(join(shots, 'api-reach'), { recursive: true });
  });
  afterAll(async () => {
    await host?.close();
    await rootless?.close();
  });

  /** A page on `hash`, and the api calls it makes (method names, in order). On close, no message
   * of the browser may report a Content-Security-Policy violation (zod must never probe eval). */
  async function open(hash: string, server: WebHost = host, prepare?: (page: Page) => Promise<void>): Promise<{ page: Page; calls: string[]; close: () => Promise<void> }> {
    const browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    page.setDefaultTimeout(10_000);
    const calls: string[] = [];
    page.on('request', (r) => {
      const m = /\/api\/([\w.]+)$/.exec(new URL(r.url()).pathname);
      if (m) calls.push(m[1]);
    });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy|unsafe-eval/i.test(m.text())) violations.push(m.text());
    });
    await page.exposeFunction('reportViolation', (what: string) => violations.push(what));
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation: (s: string) => void }).reportViolation(`${e.violatedDirective}: ${e.blockedURI}`)));
    await prepare?.(page);
    await page.goto(`${server.url}?token=${server.token}${hash}`);
    return {
      page,
      calls,
      close: async () => {
        await browser.close();
        expect(violations).toEqual([]);
      },
    };
  }

  const field = (page: Page, name: string) => page.locator(`input[name="${name}"]`);
  const errorOf = (page: Page, name: string) => page.locator(`.error[data-field="${name}"]`);

  it('new run: reference defaults, inline errors send nothing, a bad IDX folder is refused, a tiny run starts', async () => {
    const { page, calls, close } = await open('#/new');
    try {
      await expect.poll(() => field(page, 'd').inputValue()).toBe('256');
      const defaults = Object.fromEntries(await Promise.all(['h', 'batch', 'lr', 'wd', 'noise', 'epochs'].map(async (n) => [n, await field(page, n).inputValue()])));
      expect(defaults).toEqual({ h: '256', batch: '2048', lr: '0.001', wd: '0.1', noise: '0.4', epochs: '20' });
      await expect.poll(() => page.locator('#field-dataset option').first().textContent()).toMatch(/digits/);

      await field(page, 'lr').fill('0');
      await expect.poll(() => errorOf(page, 'lr').textContent()).toBe('0 is out of range: must be a number > 0');
      await page.getByRole('button', { name: 'Start run' }).click();
      await expect.poll(() => page.locator('.invalid').textContent()).toMatch(/nothing was sent/);
      expect(calls).not.toContain('train.start');

      expect(await page.locator('[data-testid="data-roots"]').textContent()).toBe(`Folders under ${dataRoot} may be imported.`);
      await page.locator('input[aria-label="IDX folder to import"]').fill(badIdx);
      await page.getByRole('button', { name: 'Import IDX folder' }).click();
      await expect.poll(() => page.locator('.import-error').textContent()).toMatch(/cannot be imported: .*train-images-idx3-ubyte: not an IDX file of images \(unsigned bytes, 3 dimensions\): it does not start with the magic number 0x00000803$/);
      expect(await page.locator('.import-error').textContent()).not.toMatch(/0x6e6f7420/); // 'not ', the file's first bytes
      await page.screenshot({ path: join(shots, 'new-run.png'), fullPage: true });
      await page.locator('.picker').screenshot({ path: join(shots, 'api-reach', 'dataset-import-refused.png') });
      // a folder outside the data root: refused with how to allow it, nothing imported
      await page.locator('input[aria-label="IDX folder to import"]').fill(workspace);
      await page.getByRole('button', { name: 'Import IDX folder' }).click();
      await expect.poll(() => page.locator('.import-error').textContent()).toMatch(/is outside the folders this server may read \(only folders under .*\); to allow a folder, start the server with sqs-workbench serve --data-root DIR$/);

      await page.selectOption('#field-gate', 'sqs');
      expect(await field(page, 'sqs.c').inputValue()).toBe('0.01');
      for (const [name, value] of [['lr', '0.001'], ['d', '16'], ['h', '16'], ['batch', '1024'], ['epochs', '1'], ['sqs.lambda', '0.25']]) await field(page, name).fill(value);
      await expect.poll(() => errorOf(page, 'lr').count()).toBe(0);
      await page.getByRole('button', { name: 'Start run' }).click();
      await expect.poll(() => new URL(page.url()).hash).toMatch(/^#\/run\/\d+$/);
      const id = Number(new URL(page.url()).hash.split('/')[2]);
      expect(calls.filter((c) => c === 'train.start')).toHaveLength(1);
      const detail = await host.service.call('runs.show', { id });
      expect(detail.run.config).toMatchObject({ dataset: 'digits', gate: 'sqs', d: 16, h: 16, batch: 1024, epochs: 1, lr: 1e-3, wd: 0.1, noise: 0.4, sqs: { c: 0.01, lambda: 0.25, p: 1 } });
    } finally {
      await close();
    }
  });

  it('new sweep: the grid previews its run count and starts that many runs', async () => {
    const { page, calls, close } = await open('#/sweep');
    try {
      await expect.poll(() => page.locator('output.count').textContent()).toBe('2 runs');
      await page.locator('input[aria-label="values of seed"]').fill('0, 1, 2');
      await expect.poll(() => page.locator('output.count').textContent()).toBe('3 runs');
      await page.locator('input[aria-label="values of seed"]').fill('0, -1');
      await expect.poll(() => page.locator('.error[data-field="grid-0"]').textContent()).toBe('seed: -1 is out of range: must be an integer from 0 to 2147483647');
      await page.locator('input[aria-label="values of seed"]').fill('0,1');
      await page.getByRole('button', { name: 'Add key' }).click();
      await page.locator('input[aria-label="values of lr"]').fill('1e-3, 1e-2');
      await expect.poll(() => page.locator('output.count').textContent()).toBe('4 runs');
      await page.getByRole('button', { name: 'remove lr' }).click();
      for (const [name, value] of [['d', '16'], ['h', '16'], ['batch', '1024'], ['epochs', '1']]) await field(page, name).fill(value);
      await expect.poll(() => page.locator('output.count').textContent()).toBe('2 runs');
      await page.screenshot({ path: join(shots, 'new-sweep.png'), fullPage: true });

      await page.getByRole('button', { name: 'Start 2 runs' }).click();
      await expect.poll(() => new URL(page.url()).hash).toBe('#/runs');
      expect(calls.filter((c) => c === 'sweep.start')).toHaveLength(1);
      const filter = new URL(page.url()).searchParams.get('filter');
      expect(filter).toMatch(/^sweep_id=\d+$/);
      const listed = await host.service.call('runs.list', { filters: [filter!] });
      expect(listed.rows.map((r) => r.seed).sort()).toEqual([0, 1]);
    } finally {
      await close();
    }
  });

  it('warns, in the New run and New sweep forms, when too few optimiser steps per epoch will barely learn', async () => {
    const { page, close } = await open('#/new');
    try {
      const warning = page.getByTestId('few-steps');
      // the reference batch on the bundled digits: 8,000 examples in batches of 2,048
      await expect.poll(() => warning.getAttribute('data-steps')).toBe('4');
      expect(await warning.textContent()).toMatch(/^Only 4 optimiser steps per epoch \(8,000 training examples of MNIST digits \(bundled\) in batches of 2,048\)/);
      await field(page, 'batch').fill('800');
      await expect.poll(() => warning.count()).toBe(0); // exactly 10
      await field(page, 'batch').fill('1000');
      await expect.poll(() => warning.getAttribute('data-steps')).toBe('8');
      await page.screenshot({ path: join(shots, 'ui-edges', 'new-run-few-steps.png'), fullPage: true });
    } finally {
      await close();
    }
    const sweep = await open('#/sweep');
    try {
      const warning = sweep.page.getByTestId('few-steps');
      await field(sweep.page, 'batch').fill('256');
      await expect.poll(() => warning.count()).toBe(0);
      // a grid over the batch: the worst of its values is named
      await sweep.page.getByRole('button', { name: 'Add key' }).click();
      await sweep.page.getByLabel('grid key 2').selectOption('batch');
      await sweep.page.locator('input[aria-label="values of batch"]').fill('128, 4096');
      await expect.poll(() => warning.getAttribute('data-steps')).toBe('2');
      expect(await warning.textContent()).toMatch(/^Some runs of this sweep take only 2 optimiser steps per epoch \(8,000 training examples of MNIST digits \(bundled\) in batches of 4,096\)/);
      await sweep.page.screenshot({ path: join(shots, 'ui-edges', 'new-sweep-few-steps.png'), fullPage: true });
    } finally {
      await sweep.close();
    }
  });

  it('settings: the workspace read-only with how to switch it, the detected execution providers, and concurrency checked before saving', async () => {
    const { page, calls, close } = await open('#/settings');
    try {
      await expect.poll(() => page.locator('[data-testid="detected"]').textContent()).toMatch(/\bcpu\b/);
      // a browser cannot choose a folder: the workspace is shown, not typed, with the sentence saying how to switch it
      await expect.poll(() => page.locator('[data-testid="workspace-dir"]').textContent()).toBe(resolve(workspace));
      expect(await field(page, 'workspaceDir').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Choose…' }).count()).toBe(0);
      expect((await page.locator('[data-testid="workspace-hint"]').textContent())?.trim()).toBe('To switch workspace, restart the server with sqs-workbench serve --workspace DIR.');
      await page.screenshot({ path: join(shots, 'api-reach', 'settings-browser.png'), fullPage: true });
      expect(await page.locator('#field-ep option[value="cpu"]').textContent()).toBe('cpu (detected)');

      await field(page, 'concurrency').fill('0');
      await expect.poll(() => errorOf(page, 'concurrency').textContent()).toBe('0 is out of range: must be an integer from 1 to 64');
      await page.getByRole('button', { name: 'Save' }).click();
      expect(calls).not.toContain('settings.set');

      await field(page, 'concurrency').fill('2');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
      expect((await host.service.call('settings.get', {})).concurrency).toBe(2);
      await page.screenshot({ path: join(shots, 'settings.png'), fullPage: true });
    } finally {
      await close();
    }
  });

  it('a server started without --data-root offers no folder import, and says how to allow one', async () => {
    const { page, calls, close } = await open('#/new', rootless);
    try {
      await expect.poll(() => page.locator('[data-testid="data-roots"]').textContent()).toBe('No folder may be imported from this page: to allow a folder, start the server with sqs-workbench serve --data-root DIR.');
      expect(await page.locator('input[aria-label="IDX folder to import"]').count()).toBe(0);
      expect(await page.getByRole('button', { name: /Import IDX folder/ }).count()).toBe(0);
      expect(calls).not.toContain('datasets.import');
      await page.locator('.picker').screenshot({ path: join(shots, 'api-reach', 'dataset-picker-no-roots.png') });
    } finally {
      await close();
    }
  });

  it("as in the desktop app, where the host has a folder dialog: a Choose… button for the workspace and an import button that opens the dialog", async () => {
    // the desktop app's answers, played by the browser: system.host says there is a dialog, the dialog "chooses"
    const other = { workspaceDir: '/home/someone/other-workspace', executionProvider: 'cpu', concurrency: 1 };
    const bodies: Record<string, unknown[]> = {};
    const { page, calls, close } = await open('#/settings', host, async (p) => {
      const reply = (value: unknown) => async (route: import('playwright-core').Route) => {
        const name = new URL(route.request().url()).pathname.split('/').pop()!;
        (bodies[name] ??= []).push(route.request().postDataJSON());
        await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(value) });
      };
      await p.route('**/api/system.host', reply({ folderChooser: true, dataRoots: [] }));
      await p.route('**/api/settings.chooseWorkspace', reply(other));
      await p.route('**/api/datasets.import', reply(null));
    });
    try {
      await expect.poll(() => page.locator('[data-testid="workspace-dir"]').textContent()).toBe(resolve(workspace));
      expect(await page.locator('[data-testid="workspace-hint"]').count()).toBe(0);
      await page.getByRole('button', { name: 'Choose…' }).click();
      await expect.poll(() => page.locator('[data-testid="workspace-dir"]').textContent()).toBe(other.workspaceDir);
      expect(await page.getByRole('status').textContent()).toBe('Workspace switched.');
      expect(bodies['settings.chooseWorkspace']).toEqual([{}]);
      await page.screenshot({ path: join(shots, 'api-reach', 'settings-desktop.png'), fullPage: true });

      await page.goto(`${host.url}?token=${host.token}#/new`);
      await page.getByRole('button', { name: 'Import IDX folder…' }).click();
      await expect.poll(() => bodies['datasets.import']).toEqual([{}]); // no path: the host's dialog picks the folder
      expect(await page.locator('input[aria-label="IDX folder to import"]').count()).toBe(0);
      expect(await page.locator('.import-error').count()).toBe(0); // cancelled: nothing to say
      await page.locator('.picker').screenshot({ path: join(shots, 'api-reach', 'dataset-picker-desktop.png') });
      expect(calls).not.toContain('settings.set');
    } finally {
      await close();
    }
  });
});
