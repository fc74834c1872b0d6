// The executor choice of New sweep in a real browser over a real Slurm cluster: offered because
// sbatch is found, partitions from sinfo, a bad time limit refused inline with nothing sent, a
// two-run sweep submitted as one job array whose job ids and a held task's pending reason the runs table shows,
// and what Settings detected. Skips where no browser or no Slurm is installed (REQUIRE_SLURM=1 and
// REQUIRE_BROWSER=1 in CI make that a failure). Screenshots go to test-results/slurm/.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { tempDir } from '../helpers/cli';
import { buildRenderer, HAVE_BROWSER, launch } from './browser';
import { HAVE_SLURM, REQUIRE_SLURM } from '../helpers/slurm';

const ROOT = resolve(import.meta.dirname, '../..');
// the watch's passes 200 ms apart, so that a task waiting behind the other is seen waiting
process.env.SQS_SLURM_POLL_MS = '200';
const run = (HAVE_BROWSER || process.env.REQUIRE_BROWSER === '1') && (HAVE_SLURM || REQUIRE_SLURM);

describe.skipIf(!run)('New sweep on Slurm in Chromium', () => {
  let host: WebHost;
  const shots = join(ROOT, 'test-results', 'slurm');

  beforeAll(async () => {
    const staticDir = await buildRenderer(join(tempDir(), 'renderer'));
    host = await startWebHost({ port: 0, workspaceDir: tempDir(), staticDir });
    mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    await host?.close();
  });

  it('offers the executor, refuses a bad time limit inline, and submits a sweep the runs table shows with its job ids', async () => {
    const browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    page.setDefaultTimeout(10_000);
    const calls: string[] = [];
    page.on('request', (r) => {
      const m = /\/api\/([\w.]+)$/.exec(new URL(r.url()).pathname);
      if (m) calls.push(m[1]);
    });
    try {
      await page.goto(`${host.url}?token=${host.token}#/sweep`);
      await page.getByLabel(/on Slurm/).check();
      const partitions = execFileSync('sinfo', ['-h', '-o', '%P'], { encoding: 'utf8' }).split('\n').filter(Boolean).map((p) => p.replace(/\*$/, ''));
      expect(await page.locator('#field-partition option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(partitions);
      for (const [name, value] of [['d', '16'], ['h', '16'], ['epochs', '30']]) await page.locator(`input[name="${name}"]`).fill(value);
      await page.locator('input[name="time"]').fill('90 minutes');
      await page.getByRole('button', { name: 'Start 2 runs' }).click();
      await expect.poll(() => page.locator('.error[data-field="time"]').textContent()).toMatch(/^'90 minutes' is not a Slurm time limit/);
      expect(calls).not.toContain('sweep.start');
      await page.locator('input[name="time"]').fill('0:10:00');
      await page.locator('input[name="maxParallel"]').fill('1');
      await page.screenshot({ path: join(shots, 'new-sweep-slurm.png'), fullPage: true });

      await page.getByRole('button', { name: 'Start 2 runs' }).click();
      await expect.poll(() => new URL(page.url()).hash).toBe('#/runs');
      const filter = new URL(page.url()).searchParams.get('filter')!;
      const rows = (await host.service.call('runs.list', { filters: [filter] })).rows;
      expect(rows.map((r) => [r.executor, JSON.parse(r.executor_options!)])).toEqual(rows.map(() => ['slurm', { kind: 'slurm', partition: partitions[0], time: '0:10:00', maxParallel: 1 }]));
      // the runs table shows each run's Slurm job (and why a pending one waits)
      await expect.poll(() => page.getByTestId('slurm-job').allTextContents()).toEqual(expect.arrayContaining(rows.map((r) => expect.stringContaining(r.slurm_job!))));
      // one task at a time (maxParallel 1), so the second is still pending: held, it shows Slurm's
      // reason. (Waiting for JobArrayTaskLimit instead races the first task's few seconds.)
      const second = rows.map((r) => r.slurm_job!).find((j) => j.endsWith('_1'))!;
      execFileSync('scontrol', ['uhold', second]);
      await expect.poll(async () => (await page.getByTestId('slurm-job').allTextContents()).map((t) => t.trim()), { timeout: 15_000 }).toContain(`${second} · JobHeldUser`);
      await page.screenshot({ path: join(shots, 'runs-table-slurm.png') });
      execFileSync('scontrol', ['release', second]);
      await host.service.idle();
      await expect.poll(() => page.locator('.badge.completed').count()).toBe(2);
      await page.screenshot({ path: join(shots, 'runs-table-slurm-done.png') });

      await page.goto(`${host.url}?token=${host.token}#/settings`);
      await expect.poll(() => page.getByTestId('slurm-detected').textContent()).toMatch(/Detected: Slurm [\d.]+.*accounting (enabled|disabled)/s);
      await page.screenshot({ path: join(shots, 'settings-slurm.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
