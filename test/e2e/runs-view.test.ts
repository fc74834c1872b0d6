// The runs view in a real browser, served by the web host over a real workspace: the table
// shows the workspace's runs, the filter narrows them and lives in the address bar, groups show
// their size and mean ± std under headers aligned with their values, and a note written inline
// shows in its row.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { createRun, finishRun, recordMetrics } from '../../src-main/store/runs';
import { Workspace } from '../../src-main/store/workspace';
import { tempDir } from '../helpers/cli';
import { buildRenderer, HAVE_BROWSER, launch } from './browser';

const ROOT = resolve(import.meta.dirname, '../..');
const run = HAVE_BROWSER || process.env.REQUIRE_BROWSER === '1';

describe.skipIf(!run)('runs view in Chromium', () => {
  let host: WebHost;
  const shots = join(ROOT, 'test-results');

  beforeAll(async () => {
    const staticDir = await buildRenderer(join(tempDir(), 'renderer'));
    const dir = tempDir();
    const ws = Workspace.open(dir);
    for (const [gate, seed, acc] of [['bilinear', 0, 0.9], ['sqs', 0, 0.93], ['sqs', 1, 0.94]] as const) {
      const id = createRun(ws, { config: { ...DEFAULT_CONFIG, gate, seed }, tags: gate === 'sqs' ? ['paper'] : [] });
      recordMetrics(ws, id, [{ epoch: 1, step: 4, train_loss: 0.5, test_loss: 0.4, test_accuracy: acc, lr: 1e-3, seconds: 1 }]);
      finishRun(ws, id, 'completed');
    }
    ws.close();
    host = await startWebHost({ port: 0, workspaceDir: dir, staticDir });
    mkdirSync(join(shots, 'ui-edges'), { recursive: true });
  });
  afterAll(async () => host?.close());

  it('lists the runs, filters them from the box and keeps the filter in the address', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.goto(`${host.url}?token=${host.token}`);
      await expect.poll(() => page.locator('[role=grid] [role=row]').count()).toBe(3);
      await page.screenshot({ path: join(shots, 'runs-view.png') });
      await page.keyboard.press('/');
      await page.keyboard.type('gate=sqs test_accuracy>=0.935');
      await expect.poll(() => page.locator('[role=grid] [role=row]').count()).toBe(1);
      expect(await page.locator('[role=grid] [role=row] .cell').nth(7).textContent()).toBe('94.00%');
      expect(page.url()).toContain('filter=gate%3Dsqs');
      expect(page.url()).not.toContain('token=');
      await page.locator('input[aria-label="filter runs"]').fill('tag=nosuch foo>1');
      await expect.poll(() => page.locator('[role=alert]').textContent()).toMatch(/unknown field 'foo'/);

      // group by gate: counts and mean accuracy per gate
      await page.locator('input[aria-label="filter runs"]').fill('');
      await page.locator('input[aria-label="group by"]').fill('gate');
      await page.locator('input[aria-label="group by"]').press('Enter');
      await expect.poll(() => page.locator('table.groups tbody tr').count()).toBe(2);
      const cells = (row: number) => page.locator('table.groups tbody tr').nth(row).locator('td').allTextContents();
      // sqs: two runs, 93 and 94 %, std 0.71; bilinear: one run, whose std is undefined
      expect((await cells(1)).slice(0, 3)).toEqual(['sqs', '2', '93.50 ± 0.71']);
      expect((await cells(0)).slice(0, 3)).toEqual(['bilinear', '1', '90.00 ± —']);
      expect(await page.locator('table.groups thead th').allTextContents()).toEqual(['gate', 'runs', 'test accuracy (%)', 'test loss', 'train loss']);
      // numeric headers sit over their values: right-aligned, their right edges on the cells'
      for (let col = 1; col < 5; col++) {
        const th = page.locator('table.groups thead th').nth(col);
        expect(await th.evaluate((el) => getComputedStyle(el).textAlign)).toBe('right');
        const [h, d] = [await th.boundingBox(), await page.locator('table.groups tbody tr').first().locator('td').nth(col).boundingBox()];
        expect(Math.abs(h!.x + h!.width - (d!.x + d!.width))).toBeLessThan(1);
      }
      await page.screenshot({ path: join(shots, 'ui-edges', 'group-table.png') });

      // inline tags, then the keyboard: arrows move, space selects, Enter opens the run
      await page.locator('button[aria-label="add tag"]').first().click();
      await page.keyboard.type('checked');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.tag').filter({ hasText: 'checked' }).count()).toBe(1);
      await page.locator('button[aria-label="add note"]').first().click();
      await page.keyboard.type('looks converged');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.saved').count()).toBe(1);
      await expect.poll(() => page.getByTestId('latest-note').allTextContents()).toEqual(['looks converged']);
      const shown = await host.service.call('runs.show', { id: 3 });
      expect(shown.notes.map((n) => n.body)).toEqual(['looks converged']);
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press(' ');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press(' ');
      await expect.poll(() => page.locator('button', { hasText: 'compare 2' }).isEnabled()).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.url()).toMatch(/#\/run\/\d+$/);
    } finally {
      await browser.close();
    }
  });
});
