// The runs view says what the workspace holds that its database does not know (a run folder left
// by a restored or lost workspace.db) and registers it where it lies with one click.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { runTraining } from '../../src-main/engine/train/run';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { Workspace } from '../../src-main/store/workspace';
import { tempDir } from '../helpers/cli';
import { buildRenderer, HAVE_BROWSER, launch } from './browser';

const run = HAVE_BROWSER || process.env.REQUIRE_BROWSER === '1';

describe.skipIf(!run)('workspace notices in Chromium', () => {
  let host: WebHost;

  beforeAll(async () => {
    const staticDir = await buildRenderer(join(tempDir(), 'renderer'));
    const dir = tempDir();
    Workspace.open(dir).close();
    // a run the database does not know, in the folder a run of this workspace would have
    await runTraining({ ...DEFAULT_CONFIG, d: 16, h: 16, batch: 1024, epochs: 1 }, join(dir, 'runs', '5'));
    host = await startWebHost({ port: 0, workspaceDir: dir, staticDir });
  });
  afterAll(async () => host?.close());

  it('names the unknown run folder and registers it in place', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.goto(`${host.url}?token=${host.token}`);
      const notices = page.locator('aside[aria-label="workspace notices"]');
      await expect.poll(() => notices.textContent()).toMatch(/runs\/5/);
      expect(await page.locator('[role=grid] [role=row]').count()).toBe(0);
      await notices.getByRole('button', { name: 'Register' }).click();
      await expect.poll(() => page.locator('[role=grid] [role=row]').count()).toBe(1);
      await expect.poll(() => notices.count()).toBe(0);
      expect(await page.locator('[role=grid] [role=row] .cell').nth(1).textContent()).toMatch(/bilinear/);
    } finally {
      await browser.close();
    }
  });
});
