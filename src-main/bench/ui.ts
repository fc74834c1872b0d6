// `bench ui`: the runs view with 10,000 runs in Chromium, through the web host. A developer's
// benchmark: it needs the dev dependencies (playwright-core, electron-vite) and a Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebHost } from '../hosts/web/server';
import { APP_ROOT } from '../engine/util/app-files';
import { benchStore } from './store';

export interface BenchUiResult {
  runs: number;
  /** navigation start to the first table row on screen */
  first_paint_ms: number;
  /** a filter typed into the box to the table showing its result */
  filter_ms: number;
  /** frame times while scrolling through the table */
  scroll_frame_ms_p50: number;
  scroll_frame_ms_p95: number;
  /** a live run's metrics event leaving the host to its point on the chart (median, max) */
  event_to_chart_ms_p50: number;
  event_to_chart_ms_max: number;
}

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
  // the wall-clock time of every change in the number of points on the run's charts
  watchChart: `(() => {
    window.__chartTimes = [];
    let last = 0;
    new MutationObserver(() => {
      const n = document.querySelectorAll('g.series circle').length;
      if (n !== last) { last = n; window.__chartTimes.push([Date.now(), n]); }
    }).observe(document.body, { subtree: true, childList: true });
  })()`,
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
  execFileSync(process.execPath, [join(APP_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: APP_ROOT, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'sqs-bench-ui-'));
  benchStore({ runs: opts.runs, points: 10, dir });
  const host = await startWebHost({ port: 0, workspaceDir: dir, staticDir: join(APP_ROOT, 'out/renderer') });
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
    const latency = await eventToChart(host, page);
    const pick = (q: number) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))];
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      runs: opts.runs,
      first_paint_ms: round(firstPaint),
      filter_ms: round(filterMs),
      scroll_frame_ms_p50: round(pick(0.5)),
      scroll_frame_ms_p95: round(pick(0.95)),
      event_to_chart_ms_p50: round(latency.p50),
      event_to_chart_ms_max: round(latency.max),
    };
  } finally {
    await browser.close();
    await host.close();
  }
}

/** Trains a small run live and times each metrics event from the host to its point on the chart. */
async function eventToChart(host: Awaited<ReturnType<typeof startWebHost>>, page: import('playwright-core').Page): Promise<{ p50: number; max: number }> {
  // watch from the start: the run's first metrics may come before its chart has any points
  await page.goto(`${host.url}#/runs`);
  const { runId: id } = await host.service.call('train.start', { config: { d: 16, h: 16, batch: 2000, epochs: 12, lr: 3e-3 }, name: 'bench ui live run' });
  await page.goto(`${host.url}#/run/${id}`);
  await page.evaluate(IN_PAGE.watchChart);
  const sent: number[] = [];
  const done = new Promise<void>((resolveDone) => {
    const off = host.service.on((e) => {
      if (e.type === 'metrics' && e.runId === id) sent.push(Date.now());
      if (e.type === 'status' && e.runId === id && !['queued', 'running'].includes(e.status)) {
        off();
        resolveDone();
      }
    });
  });
  await done;
  await page.waitForTimeout(500);
  const seen = (await page.evaluate('window.__chartTimes')) as [number, number][];
  // each event's latency: until the first chart change at or after it
  const latencies = sent.map((t) => (seen.find(([at]) => at >= t)?.[0] ?? Number.NaN) - t).filter(Number.isFinite).sort((a, b) => a - b);
  return { p50: latencies[Math.floor(latencies.length / 2)] ?? Number.NaN, max: latencies.at(-1) ?? Number.NaN };
}
