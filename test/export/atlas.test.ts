// The feature atlas of a real (tiny) run through the command line: analysed first when needed,
// written in each of the four formats with provenance, a run found by its id in a workspace,
// bad flags refused with one clear line; the HTML page browsed in Chromium makes no request.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readAtlas } from '../../src-main/engine/analysis/atlas-data';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { runTraining } from '../../src-main/engine/train/run';
import { exportRunAtlas } from '../../src-main/export/atlas-run';
import { ExportError } from '../../src-main/export/errors';
import { exportCommand } from '../../src-main/hosts/cli/export-command';
import { UsageError } from '../../src-main/hosts/cli/usage';
import { APP_VERSION } from '../../src-main/common/version';
import { createRun, finishRun } from '../../src-main/store/runs';
import { Workspace } from '../../src-main/store/workspace';
import { HAVE_BROWSER, launch } from '../e2e/browser';
import { tempDir } from '../helpers/cli';
import { CHECK_PDF, pdfInfo, poppler, requirePoppler } from './poppler';
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

const files = (ext: string, classes: number[]) => [...classes.flatMap((c) => [`class-${c}-negative.${ext}`, `class-${c}-positive.${ext}`, `spectrum-${c}.${ext}`]), `truncation.${ext}`].sort();

describe('export atlas', () => {
  it('svg: analyses the run first, one well-formed SVG per figure, with provenance', async () => {
    const out = join(root, 'svg');
    const r = await cli(['atlas', run, '--format', 'svg', '--out', out, '--classes', '0,3,7', '--top-k', '4']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('analysed the run first');
    expect(existsSync(join(run, 'analysis', 'spectra.safetensors'))).toBe(true);
    expect(readdirSync(out).sort()).toEqual(files('svg', [0, 3, 7]));
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
    const atlas = readAtlas(run, 4);
    for (const sign of ['positive', 'negative'] as const) {
      const grid = readFileSync(join(out, `class-3-${sign}.svg`), 'utf8');
      expect(provenanceOf(grid)).toMatchObject({ class: 3, sign, figure: 'eigenvectors' });
      const drawn = [...grid.matchAll(/<g class="eigenvector" data-rank="(\d+)" data-eigenvalue="([^"]+)"/g)];
      expect(drawn.map((m) => Number(m[1]))).toEqual(atlas.classes[3][sign].map((f) => f.rank));
      expect(drawn.map((m) => Number(m[2]))).toEqual(atlas.classes[3][sign].map((f) => f.eigenvalue));
      for (const m of drawn) expect(Math.sign(Number(m[2]))).toBe(sign === 'positive' ? 1 : -1);
    }
    // no staging folder left beside the output
    expect(readdirSync(root).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('pdf and png: the same figures, vector with text as text, and raster at the DPI asked for', async () => {
    const pdf = join(root, 'pdf');
    expect((await cli(['atlas', run, '--format', 'pdf', '--out', pdf, '--classes', '1', '--top-k', '2'])).code).toBe(0);
    expect(readdirSync(pdf).sort()).toEqual(files('pdf', [1]));
    if (CHECK_PDF) {
      requirePoppler();
      const info = pdfInfo(join(pdf, 'class-1-positive.pdf'));
      expect(JSON.parse(info.Provenance)).toMatchObject({ run_dir: run, class: 1, sign: 'positive' });
      const text = poppler('pdftotext', [join(pdf, 'class-1-positive.pdf'), '-']);
      expect(text).toContain('top 2 positive eigenvectors');
      expect(text.match(/λ = /g)).toHaveLength(2);
    }
    const png = join(root, 'png');
    const r = await cli(['atlas', run, '--format', 'png', '--out', png, '--classes', '1', '--top-k', '2', '--dpi', '96', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ outDir: png, classes: [1], count: 2, analyzed: false });
    expect(readdirSync(png).sort()).toEqual(files('png', [1]));
    const head = readFileSync(join(png, 'truncation.png'));
    // at 96 dpi the PNG has the figure's own size in CSS pixels, as the SVG states it
    const svgSize = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(readFileSync(join(root, 'svg', 'truncation.svg'), 'utf8'))!;
    expect([head.readUInt32BE(16), head.readUInt32BE(20)]).toEqual([Number(svgSize[1]), Number(svgSize[2])]);
  });

  it('an analysis of an earlier version is analysed again first, not drawn under the old sign convention', async () => {
    const copy = join(root, 'old-analysis');
    cpSync(run, copy, { recursive: true });
    const summaryPath = join(copy, 'analysis', 'summary.json');
    const { format_version: _, ...old } = JSON.parse(readFileSync(summaryPath, 'utf8'));
    writeFileSync(summaryPath, JSON.stringify(old));
    const r = await exportRunAtlas({ runDir: copy, outDir: join(root, 'old-analysis-svg'), format: 'svg', classes: [2], count: 1 });
    expect(r.analyzed).toBe(true);
    expect(JSON.parse(readFileSync(summaryPath, 'utf8')).format_version).toBe(2);
  });

  it('a run id is found in the workspace', async () => {
    const wsDir = join(root, 'workspace');
    const ws = Workspace.open(wsDir);
    const id = createRun(ws, { config: { ...DEFAULT_CONFIG, d: 16, h: 16, batch: 1024, epochs: 1 }, name: 'tiny' });
    finishRun(ws, id, 'completed');
    ws.close();
    cpSync(run, join(wsDir, 'runs', String(id)), { recursive: true });
    const out = join(root, 'by-id');
    const r = await cli(['atlas', String(id), '--workspace', wsDir, '--format', 'html', '--out', out, '--classes', '2', '--top-k', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, 'atlas.html'), 'utf8');
    expect(html).toContain(`<title>Feature atlas: tiny (run ${id})</title>`);
    expect(JSON.parse(/<script type="application\/json" id="provenance">([^<]*)<\/script>/.exec(html)![1])).toMatchObject({ run_id: String(id), run_name: 'tiny' });
    await expect(cli(['atlas', '999', '--workspace', wsDir, '--format', 'svg', '--out', join(root, 'none')])).rejects.toThrow(/run 999 does not exist/);
    await expect(cli(['atlas', '5', '--workspace', join(root, 'nowhere'), '--format', 'svg', '--out', join(root, 'none')])).rejects.toThrow(/no workspace at/);
  });

  it('refuses bad inputs with clear errors and leaves nothing behind', async () => {
    const before = readdirSync(root).sort();
    await expect(exportRunAtlas({ runDir: run, outDir: join(root, 'bad1'), format: 'svg', classes: [10] })).rejects.toThrow(/unknown class 10: this run has 10 classes \(0 to 9\)/);
    await expect(exportRunAtlas({ runDir: run, outDir: join(root, 'bad2'), format: 'svg', classes: [1.5] })).rejects.toBeInstanceOf(ExportError);
    await expect(exportRunAtlas({ runDir: run, outDir: join(root, 'bad3'), format: 'gif' as 'svg' })).rejects.toThrow(/unknown format 'gif': choose svg, png, pdf, html/);
    await expect(exportRunAtlas({ runDir: run, outDir: join(root, 'bad4'), format: 'svg', count: 0 })).rejects.toThrow(/top-k\) must be an integer from 1 to 64, got 0/);
    await expect(exportRunAtlas({ runDir: run, outDir: run, format: 'svg' })).rejects.toThrow(/is the run folder itself/);
    expect(readdirSync(root).sort()).toEqual(before);

    await expect(cli(['atlas', run, '--format', 'svg', '--out', join(root, 'bad5'), '--classes', '2,11'])).rejects.toMatchObject({ code: 'bad_request', message: 'unknown class 11: this run has 10 classes (0 to 9)' });
    const usage: [string[], RegExp][] = [
      [['atlas', run, '--format', 'gif', '--out', 'x'], /^--format: unknown format 'gif'; allowed: svg, png, pdf, html$/],
      [['atlas', run, '--format', 'svg', '--out', 'x', '--classes', 'a,b'], /^--classes: 'a,b' must be comma-separated class indices/],
      [['atlas', run, '--format', 'svg', '--out', 'x', '--top-k', '0'], /^--top-k: 0 is out of range: must be an integer from 1 to 64$/],
      [['atlas', run, '--format', 'png', '--out', 'x', '--dpi', '20'], /^--dpi: 20 is out of range: must be an integer from 36 to 1200$/],
      [['atlas', run, '--format', 'svg', '--out', 'x', '--dpi', '300'], /^--dpi: only for --format png, not svg$/],
      [['atlas', run, '--format', 'svg'], /^export atlas: --out DIR is required$/],
      [['atlas', run, '--out', 'x'], /^export atlas: --format is required: svg, png, pdf, html$/],
      [['atlas', '--format', 'svg', '--out', 'x'], /^export atlas: expected one run folder or run id, got 0/],
      [['figures', run], /^export: unknown export 'figures'; available: atlas/],
      [['atlas', run, '--colour', 'x'], /^export: unknown flag '--colour'/],
    ];
    for (const [argv, message] of usage) {
      const err = await cli(argv).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((err as Error).message, argv.join(' ')).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
    expect(readdirSync(root).sort()).toEqual(before);
    expect(readdirSync(run).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('--help names every format and flag', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const s of ['--format svg', '--format pdf', '--format png', '--format html', '--classes', '--top-k', '--dpi', '--workspace', 'run_dir|run_id']) expect(r.stdout).toContain(s);
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

  it('the HTML page makes no network request, switches classes and shows a clicked feature', async () => {
    const out = join(root, 'browser');
    await exportRunAtlas({ runDir: run, outDir: out, format: 'html', count: 6, examples: 4 });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const url = pathToFileURL(join(out, 'atlas.html')).href;
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== url && !r.url().startsWith('data:')) requests.push(r.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    for (let c = 0; c < 10; c++) {
      await page.click(`nav button[data-show="${c}"]`);
      expect(await page.isVisible(`#class-${c}`)).toBe(true);
      const drawn = await page.locator(`#class-${c} g.eigenvector`).count();
      expect(drawn).toBeGreaterThanOrEqual(6);
      expect(drawn).toBeLessThanOrEqual(12);
      expect(await page.locator('section.class:visible').count()).toBe(1);
    }
    await page.click('nav button[data-show="all"]');
    expect(await page.locator('section.class:visible').count()).toBe(10);
    expect(await page.locator('#class-0 svg').count()).toBe(3);

    // the details panel: rank, λ, sparsity, what the colours mean, class logits, examples by contribution as images that loaded
    expect(await page.isVisible('#feature')).toBe(false);
    const first = page.locator('#class-4 g.eigenvector').first();
    const rank = await first.getAttribute('data-rank');
    await first.click();
    await page.waitForSelector('#feature:not([hidden])');
    const panel = await page.locator('#feature').innerText();
    expect(panel).toContain(`eigenvector #${rank}`);
    for (const s of ['λ', 'rank', 'sparsity', 'the logit it gives each class', 'contributes most to: largest |λ(vᵀz)²|', 'and least: smallest |λ(vᵀz)²|', 'vᵀz', 'colours', 'mean vᵀz > 0']) expect(panel).toContain(s);
    expect(await page.locator('#feature svg.class-logits rect.class-logit').count()).toBe(10);
    const images = page.locator('#feature img');
    expect(await images.count()).toBe(8);
    const loaded = await page.evaluate(`[...document.querySelectorAll('#feature img')].every((i) => i.complete && i.naturalWidth === 28)`);
    expect(loaded).toBe(true);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/atlas.png', fullPage: false });
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#feature')).toBe(false);
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);

    // every SVG of the svg export is well-formed XML to the browser's own parser
    const svgOut = join(root, 'svg-browser');
    await exportRunAtlas({ runDir: run, outDir: svgOut, format: 'svg', classes: [5] });
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
