// `bench ui`: the runs view with 10,000 runs in Chromium, through the web host. A developer's
// benchmark: it needs the dev dependencies (playwright-core, electron-vite) and a Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startWebHost } from '../web/server';
import { benchStore } from '../../store/bench-store';

export interface BenchUiResult {
  runs: number;
  /** navigation start to the first table row on screen */
  first_paint_ms: number;
  /** a filter typed into the box to the table showing its result */
  filter_ms: number;
  /** frame times while scrolling through the table */
  scroll_frame_ms_p50: number;
  scroll_frame_ms_p95: number;
}

const ROOT = resolve(import.meta.dirname, '../../..');

// Run inside the page; kept as source text so that neither the DOM's types nor this file's
// compiled helpers leak across.
const IN_PAGE = {
  filter: `(async () => {
    const input = document.querySelector('input[aria-label="filter runs"]');
    const count = () => document.querySelector('.count')?.textContent;
    const before = count();
    const t0 = performance.now();
    input.value = 'gate=sqs test_accuracy>=0.9';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    while (count() === before) await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  })()`,
  clearFilter: `(() => {
    const input = document.querySelector('input[aria-label="filter runs"]');
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  })()`,
  allShown: `document.querySelectorAll('[role=grid] [role=row]').length > 0 && !(document.querySelector('.count')?.textContent ?? '').startsWith('0 ')`,
  scroll: `(async () => {
    const viewport = document.querySelector('[role=grid]');
    const deltas = [];
    let last = performance.now();
    for (let i = 0; i < 120; i++) {
      viewport.scrollTop += 400;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      deltas.push(now - last);
      last = now;
    }
    return deltas.sort((a, b) => a - b);
  })()`,
};

export async function benchUi(opts: { runs: number; chromium: string }): Promise<BenchUiResult> {
  if (!existsSync(opts.chromium)) throw new Error(`no browser at ${opts.chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
  execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'sqs-bench-ui-'));
  benchStore({ runs: opts.runs, points: 10, dir });
  const host = await startWebHost({ port: 0, workspaceDir: dir, staticDir: join(ROOT, 'out/renderer') });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: opts.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${host.url}?token=${host.token}`);
    await page.locator('[role=grid] [role=row]').first().waitFor();
    const firstPaint = (await page.evaluate('performance.now()')) as number;

    const filterMs = (await page.evaluate(IN_PAGE.filter)) as number;
    await page.evaluate(IN_PAGE.clearFilter);
    await page.waitForFunction(IN_PAGE.allShown, undefined, { timeout: 30_000 }).catch(() => undefined);
    const frames = (await page.evaluate(IN_PAGE.scroll)) as number[];
    const pick = (q: number) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))];
    const round = (x: number) => Math.round(x * 10) / 10;
    return { runs: opts.runs, first_paint_ms: round(firstPaint), filter_ms: round(filterMs), scroll_frame_ms_p50: round(pick(0.5)), scroll_frame_ms_p95: round(pick(0.95)) };
  } finally {
    await browser.close();
    await host.close();
  }
}
