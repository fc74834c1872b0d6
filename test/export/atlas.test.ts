// The feature atlas of a real (tiny) run: SVG files and one self-contained HTML page, written
// completely or not at all, with provenance; the page makes no network request and shows every
// class; bad inputs are refused with clear errors and leave nothing behind.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { runTraining } from '../../src-main/engine/train/run';
import { exportAtlas, ExportError } from '../../src-main/export/atlas';
import { exportCommand } from '../../src-main/hosts/cli/export-command';
import { UsageError } from '../../src-main/hosts/cli/train-args';
import { APP_VERSION } from '../../src-main/store/app-info';
import { HAVE_BROWSER, launch } from '../e2e/browser';
import { tempDir } from '../helpers/cli';
import { provenanceOf, xmlProblems } from './xml';

let root = '';
let run = '';

beforeAll(async () => {
  root = tempDir('sqs-atlas-');
  run = (await runTraining({ ...DEFAULT_CONFIG, d: 16, h: 16, batch: 1024, epochs: 1 }, join(root, 'run'))).run_dir;
});

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await exportCommand(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('export atlas', () => {
  it('svg: analyses the run first, one well-formed SVG per figure, with provenance', async () => {
    const out = join(root, 'svg');
    const r = await cli(['atlas', run, '--format', 'svg', '--out', out, '--classes', '0,3,7', '--top-k', '4']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('analysed the run first');
    expect(existsSync(join(run, 'analysis', 'spectra.safetensors'))).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['class-0.svg', 'class-3.svg', 'class-7.svg', 'spectrum-0.svg', 'spectrum-3.svg', 'spectrum-7.svg', 'truncation.svg']);
    for (const name of readdirSync(out)) {
      const svg = readFileSync(join(out, name), 'utf8');
      expect(xmlProblems(svg), name).toEqual([]);
      expect(svg).not.toMatch(/href=|src=|url\(|<image/);
      const p = provenanceOf(svg);
      expect(p.run_dir).toBe(run);
      expect(p.gate).toBe(DEFAULT_CONFIG.gate);
      expect(p.app_version).toBe(APP_VERSION);
      expect((p.config as { d: number }).d).toBe(16);
    }
    const grid = readFileSync(join(out, 'class-3.svg'), 'utf8');
    expect(grid.match(/<g class="eigenvector"/g)).toHaveLength(4);
    expect(provenanceOf(grid).class).toBe(3);
    const summary = JSON.parse(readFileSync(join(run, 'analysis', 'summary.json'), 'utf8'));
    const first = Number(/data-eigenvalue="([^"]+)"/.exec(grid)![1]);
    expect(first).toBeCloseTo(summary.per_class[3].top_eigenvalues[0], 5);
    // no staging folder left beside the output
    expect(readdirSync(root).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('html: one self-contained page with every class (reusing the saved analysis)', async () => {
    const out = join(root, 'html');
    mkdirSync(out); // an existing empty folder is fine
    const r = await exportAtlas({ runDir: run, outDir: out, format: 'html' });
    expect(r.analyzed).toBe(false);
    expect(readdirSync(out)).toEqual(['atlas.html']);
    const html = readFileSync(join(out, 'atlas.html'), 'utf8');
    expect(html).not.toMatch(/\s(?:src|href)=|url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
    for (let c = 0; c < 10; c++) expect(html).toContain(`data-class="${c}"`);
    expect(html.match(/<svg /g)).toHaveLength(21);
    expect(html).toContain(APP_VERSION);
  });

  it('refuses bad inputs with clear errors and leaves nothing behind', async () => {
    const before = readdirSync(root).sort();
    await expect(exportAtlas({ runDir: run, outDir: join(root, 'bad1'), format: 'svg', classes: [10] })).rejects.toThrow(/unknown class 10: this run has 10 classes \(0 to 9\)/);
    await expect(exportAtlas({ runDir: run, outDir: join(root, 'bad2'), format: 'svg', classes: [1.5] })).rejects.toBeInstanceOf(ExportError);
    await expect(exportAtlas({ runDir: run, outDir: join(root, 'bad3'), format: 'png' as 'svg' })).rejects.toThrow(/unknown format 'png'.*png and pdf are not available yet/);
    await expect(exportAtlas({ runDir: run, outDir: join(root, 'bad4'), format: 'svg', topK: 0 })).rejects.toThrow(/top-k must be a positive integer, got 0/);
    expect(readdirSync(root).sort()).toEqual(before);

    const full = join(root, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    await expect(exportAtlas({ runDir: run, outDir: full, format: 'html' })).rejects.toThrow(/exists and is not empty/);
    expect(readdirSync(full)).toEqual(['keep.txt']);

    const bad = await cli(['atlas', run, '--format', 'svg', '--out', join(root, 'bad5'), '--classes', '2,11']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown class 11/);
    await expect(cli(['atlas', run, '--format', 'png', '--out', join(root, 'bad6')])).rejects.toThrow(/allowed: svg, html \(png and pdf are not available yet\)/);
    await expect(cli(['atlas', run, '--format', 'svg', '--out', join(root, 'bad7'), '--classes', 'a,b'])).rejects.toBeInstanceOf(UsageError);
    await expect(cli(['atlas', run, '--format', 'svg', '--out', join(root, 'bad8'), '--top-k', '0'])).rejects.toThrow(/--top-k/);
    await expect(cli(['atlas', run, '--format', 'svg'])).rejects.toThrow(/--out/);
    await expect(cli(['figures', run])).rejects.toThrow(/unknown export 'figures'; available: atlas/);
    await expect(cli(['atlas', run, '--colour', 'x'])).rejects.toBeInstanceOf(UsageError);
    expect(readdirSync(root).sort()).toEqual([...before, 'full'].sort());
    expect(readdirSync(run).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe.skipIf(!HAVE_BROWSER && process.env.REQUIRE_BROWSER !== '1')('atlas in Chromium', () => {
  let browser: Awaited<ReturnType<typeof launch>>;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the HTML page makes no network request and shows every class; each SVG parses and renders', async () => {
    const out = join(root, 'browser');
    await exportAtlas({ runDir: run, outDir: out, format: 'html', topK: 6 });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const url = pathToFileURL(join(out, 'atlas.html')).href;
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    for (let c = 0; c < 10; c++) {
      await page.click(`nav button[data-show="${c}"]`);
      expect(await page.isVisible(`#class-${c}`)).toBe(true);
      expect(await page.locator(`#class-${c} g.eigenvector`).count()).toBe(6);
      const others = await page.locator('section.class:visible').count();
      expect(others).toBe(1);
    }
    await page.click('nav button[data-show="all"]');
    expect(await page.locator('section.class:visible').count()).toBe(10);
    const box = await page.locator('#class-0 svg').first().boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/atlas.png', fullPage: true });
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);

    // every SVG of the svg export is well-formed XML to the browser's own parser
    const svgOut = join(root, 'svg-browser');
    await exportAtlas({ runDir: run, outDir: svgOut, format: 'svg', classes: [5] });
    for (const name of readdirSync(svgOut)) {
      const text = readFileSync(join(svgOut, name), 'utf8');
      // a string, so that the node-side type check needs no DOM types
      const parsed = await page.evaluate(`(() => {
        const d = new DOMParser().parseFromString(${JSON.stringify(text)}, 'image/svg+xml');
        return { error: d.getElementsByTagName('parsererror').length, root: d.documentElement.nodeName, meta: d.getElementsByTagName('metadata').length };
      })()`);
      expect(parsed, name).toEqual({ error: 0, root: 'svg', meta: 1 });
    }
    await page.close();
  });
});
