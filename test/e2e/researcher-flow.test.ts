// One researcher's path through the UI, end to end: start a run on the bundled digits from the
// form, watch it complete, find it in the runs table with a filter, and tag it.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { tempDir } from '../helpers/cli';
import { buildRenderer, HAVE_BROWSER, launch } from './browser';

const ROOT = resolve(import.meta.dirname, '../..');
const run = HAVE_BROWSER || process.env.REQUIRE_BROWSER === '1';

describe.skipIf(!run)('a run from the form to a tag', () => {
  let host: WebHost;

  beforeAll(async () => {
    host = await startWebHost({ port: 0, workspaceDir: tempDir(), staticDir: await buildRenderer(join(tempDir(), 'renderer')) });
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  });
  afterAll(async () => host?.close());

  it('starts a run on digits, follows it to completion, finds it by filter and tags it', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(30_000);
      await page.goto(`${host.url}?token=${host.token}#/new`);
      const field = (name: string) => page.locator(`input[name="${name}"]`);
      await expect.poll(() => field('d').inputValue()).toBe('256');
      for (const [name, value] of [['d', '16'], ['h', '16'], ['batch', '1024'], ['epochs', '2'], ['lr', '0.003'], ['name', 'from the form']]) await field(name).fill(value);
      await page.getByRole('button', { name: 'Start run' }).click();

      // the live view of the new run
      await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/#\/run\/\d+$/);
      await expect.poll(() => page.locator('.badge').first().textContent(), { timeout: 60_000 }).toBe('completed');
      await page.screenshot({ path: join(ROOT, 'test-results', 'researcher-run.png') });

      // back to the table (Esc), find it by name, tag it
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Escape');
      await expect.poll(() => page.url()).toMatch(/#\/(runs|new)/);
      await page.goto(`${host.url}#/runs`);
      await page.locator('input[aria-label="filter runs"]').fill('name~from');
      await expect.poll(() => page.locator('[role=grid] [role=row]').count()).toBe(1);
      await page.locator('button[aria-label="add tag"]').click();
      await page.keyboard.type('first-look');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.tag').filter({ hasText: 'first-look' }).count()).toBe(1);
      const listed = await host.service.call('runs.list', { filters: ['tag=first-look'] });
      expect(listed.rows.map((r) => r.name)).toEqual(['from the form']);
      expect(listed.rows[0].status).toBe('completed');
    } finally {
      await browser.close();
    }
  });
});
