// `bench atlas`: the feature atlas of a reference-sized run (d = 256, 10 classes, 6 positive and 6
// negative eigenvectors per class) in Chromium through the web host, and the export of the whole
// atlas in every format. A developer's benchmark: it needs the dev dependencies and a Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent } from '../common/contract';
import { ATLAS_EXPORT_FORMATS, type AtlasExportFormat } from '../common/formats';
import { startWebHost } from '../hosts/web/server';
import { APP_ROOT } from '../engine/util/app-files';

export interface BenchAtlasResult {
  d: number;
  classes: number;
  features_per_class: number;
  /** the atlas route entered to every heatmap of the first class drawn (first visit, then median of the next) */
  open_first_ms: number;
  open_ms_p50: number;
  /** a class button clicked to the new class's heatmaps drawn (median and max over the classes) */
  switch_ms_p50: number;
  switch_ms_max: number;
  /** export.atlas of every class, per format, and all four together */
  export_ms: Record<AtlasExportFormat, number>;
  export_total_ms: number;
}

export const ATLAS_TARGETS = { open_ms: 500, switch_ms: 100, export_total_ms: 10_000 } as const;

// Run inside the page as source text, so that neither the DOM's types nor this file's compiled
// helpers leak across. `drawn(c)`: class c's tiles are on screen and every heatmap has pixels.
const DRAWN = `(c, n) => {
  const grid = document.querySelector('.grids[data-class="' + c + '"]');
  if (!grid) return false;
  const canvases = grid.querySelectorAll('button.tile canvas');
  return canvases.length >= n && [...canvases].every((x) => x.width > 0 && x.dataset.drawn !== 'false');
}`;

const IN_PAGE = {
  open: (id: number, n: number) => `(async () => {
    const drawn = ${DRAWN};
    const t0 = performance.now();
    location.hash = '#/run/${id}/atlas';
    while (!drawn(0, ${n})) await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  })()`,
  leave: `(async () => {
    location.hash = '#/runs';
    while (document.querySelector('.grids')) await new Promise((r) => requestAnimationFrame(r));
  })()`,
  switchTo: (c: number, n: number) => `(async () => {
    const drawn = ${DRAWN};
    const button = [...document.querySelectorAll('[role=group][aria-label=class] button')][${c}];
    const t0 = performance.now();
    button.click();
    while (!drawn(${c}, ${n})) await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  })()`,
};

export async function benchAtlas(opts: { chromium: string; repeats?: number }): Promise<BenchAtlasResult> {
  if (!existsSync(opts.chromium)) throw new Error(`no browser at ${opts.chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
  execFileSync(process.execPath, [join(APP_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: APP_ROOT, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'sqs-bench-atlas-'));
  const host = await startWebHost({ port: 0, workspaceDir: dir, staticDir: join(APP_ROOT, 'out/renderer') });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: opts.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const count = 6;
  const perClass = 2 * count;
  try {
    const service = host.service;
    const ended = (pred: (e: ApiEvent) => boolean) => new Promise<ApiEvent>((done) => { const off = service.on((e) => pred(e) && (off(), done(e))); });
    const { runId: id } = await service.call('train.start', { config: { dataset: 'digits', gate: 'sqs', d: 256, h: 256, epochs: 1, batch: 1000, lr: 3e-3 }, name: 'bench atlas' });
    const trained = await ended((e) => e.type === 'status' && e.runId === id && !['queued', 'running'].includes(e.status));
    if (trained.type === 'status' && trained.status !== 'completed') throw new Error(`the benchmark's run ended ${trained.status}: ${trained.error}`);
    const analysed = ended((e) => e.type === 'analysis' && e.runId === id && e.state !== 'analyzing');
    await service.call('atlas.analyze', { id });
    const a = await analysed;
    if (a.type === 'analysis' && a.state !== 'ready') throw new Error(`the benchmark's analysis failed: ${a.error}`);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${host.url}?token=${host.token}#/runs`);
    await page.locator('[role=grid] [role=row]').first().waitFor();
    const opens: number[] = [];
    for (let i = 0; i < (opts.repeats ?? 6); i++) {
      opens.push((await page.evaluate(IN_PAGE.open(id, perClass))) as number);
      await page.evaluate(IN_PAGE.leave);
    }
    await page.evaluate(IN_PAGE.open(id, perClass));
    const switches: number[] = [];
    for (const c of [1, 2, 3, 4, 5, 6, 7, 8, 9, 0]) switches.push((await page.evaluate(IN_PAGE.switchTo(c, perClass))) as number);

    const exportMs = {} as Record<AtlasExportFormat, number>;
    for (const format of ATLAS_EXPORT_FORMATS) {
      const t0 = performance.now();
      const r = await service.call('export.atlas', { id, format, count });
      exportMs[format] = Math.round(performance.now() - t0);
      rmSync(r.outDir, { recursive: true, force: true });
    }
    const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
    const round = (x: number) => Math.round(x * 10) / 10;
    const warm = opens.slice(1);
    return {
      d: 256,
      classes: 10,
      features_per_class: perClass,
      open_first_ms: round(opens[0]),
      open_ms_p50: round(median(warm.length > 0 ? warm : opens)),
      switch_ms_p50: round(median(switches)),
      switch_ms_max: round(Math.max(...switches)),
      export_ms: exportMs,
      export_total_ms: Object.values(exportMs).reduce((s, x) => s + x, 0),
    };
  } finally {
    await browser.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
