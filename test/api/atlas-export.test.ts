// Figures and whole atlases exported through the service, as the UI's export buttons ask for them:
// every figure kind in every format, named for what it holds, carrying its provenance; the atlas
// written into the workspace's exports folder or handed back as one file to download; refusals
// for runs that are not analysed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type FigureSpec } from '../../src-main/common/contract';
import { createService, type Service } from '../../src-main/api/service';
import { EventLog, TINY, tempWorkspace, trainBilinearAndSqs } from './service-helpers';

const decode = (b64: string) => Buffer.from(b64, 'base64');

/** The PNG's width and height (IHDR) and its pHYs pixels per metre. */
function pngFacts(bytes: Buffer): { width: number; height: number; ppm: number | null } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let ppm: number | null = null;
  for (let at = 8; at < bytes.length; ) {
    const len = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (type === 'pHYs') ppm = bytes.readUInt32BE(at + 8);
    at += 12 + len;
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), ppm };
}

describe('export calls', () => {
  let service: Service;
  let workspace: string;
  const log = new EventLog();
  let a = 0;
  let b = 0;

  beforeAll(async () => {
    workspace = tempWorkspace();
    service = createService({ workspaceDir: workspace });
    service.on(log.push);
    [a, b] = await trainBilinearAndSqs(service, log);
  });
  afterAll(() => service.close());

  it('refuses to export a run that is not analysed yet, saying how to analyse it', async () => {
    const call = service.call('export.figure', { id: a, figure: { kind: 'truncation' }, format: 'svg' });
    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('atlas.analyze') });
    await expect(service.call('export.atlas', { id: a, format: 'svg' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('exports every figure kind as SVG with the provenance of the run', async () => {
    await service.call('atlas.analyze', { id: a });
    await log.until((e) => e.type === 'analysis' && e.runId === a && e.state === 'ready', 'analysis of run a');
    // the workspace records it, so the run's page and `runs show` report its headline
    const shown = await service.call('runs.show', { id: a });
    expect(shown.analysis).toMatchObject({ kind: 'spectra', summary: { gate: 'bilinear', exact: true, model_accuracy: expect.any(Number), effective_rank: expect.any(Number) } });
    expect((shown.analysis!.summary as { surrogate_accuracy: number }).surrogate_accuracy).toBeCloseTo((shown.analysis!.summary as { model_accuracy: number }).model_accuracy, 2);
    const figures: FigureSpec[] = [
      { kind: 'eigenvectors', class: 3, sign: 'positive', count: 4 },
      { kind: 'eigenvectors', class: 3, sign: 'negative', count: 4 },
      { kind: 'spectrum', class: 0 },
      { kind: 'truncation' },
      { kind: 'feature', class: 2, rank: 1 },
      { kind: 'explanation', input: { testIndex: 5 } },
      { kind: 'explanation', input: { pixels: Array.from({ length: 784 }, (_, i) => ((i % 28) + Math.floor(i / 28)) % 7 === 0 ? 1 : 0) }, class: 1, count: 3 },
      { kind: 'compare-pairs', b, class: 7, count: 4 },
      { kind: 'compare-similarity', b, count: 6 },
    ];
    const names = new Set<string>();
    for (const figure of figures) {
      const out = await service.call('export.figure', { id: a, figure, format: 'svg' });
      expect(out.mime).toBe('image/svg+xml');
      expect(out.filename).toMatch(new RegExp(`^run-${a}-${figure.kind}.*\\.svg$`));
      names.add(out.filename);
      const svg = decode(out.base64).toString('utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      const provenance = JSON.parse(svg.match(/<provenance[^>]*>([^<]*)<\/provenance>/)![1].replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&apos;/g, "'"));
      expect(provenance).toMatchObject({ run_id: String(a), gate: 'bilinear', config: { gate: 'bilinear', d: TINY.d }, app_version: expect.any(String) });
    }
    expect(names.size).toBe(figures.length); // each figure gets its own file name
  });

  it('exports PNG at the chosen DPI and PDF as a vector page', async () => {
    const at96 = pngFacts(decode((await service.call('export.figure', { id: a, figure: { kind: 'spectrum', class: 1 }, format: 'png', dpi: 96 })).base64));
    const png = await service.call('export.figure', { id: a, figure: { kind: 'spectrum', class: 1 }, format: 'png', dpi: 300 });
    expect(png.mime).toBe('image/png');
    const at300 = pngFacts(decode(png.base64));
    expect(at300.width).toBe(Math.round((at96.width * 300) / 96));
    expect(at300.height).toBe(Math.round((at96.height * 300) / 96));
    expect(at300.ppm).toBe(Math.round(300 / 0.0254));
    const pdf = await service.call('export.figure', { id: a, figure: { kind: 'eigenvectors', class: 0, sign: 'positive', count: 3 }, format: 'pdf' });
    expect(pdf.mime).toBe('application/pdf');
    expect(pdf.filename).toMatch(/\.pdf$/);
    const bytes = decode(pdf.base64);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // text stays text: the page's content stream shows text operators, not only paths
    const streams = [...bytes.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)].map((m) => {
      const raw = Buffer.from(m[1], 'latin1');
      try {
        return inflateSync(raw).toString('latin1');
      } catch {
        return raw.toString('latin1');
      }
    });
    expect(streams.some((s) => /BT[\s\S]*Tj|TJ[\s\S]*ET/.test(s))).toBe(true);
  });

  it('exports at a journal size, without the title on request, the truncation curve with a class’s recall', async () => {
    const svg = await service.call('export.figure', { id: a, figure: { kind: 'truncation', class: 3 }, format: 'svg', size: 'column', title: false });
    expect(svg.filename).toBe(`run-${a}-truncation-class-3.svg`);
    const text = decode(svg.base64).toString('utf8');
    expect(text).toMatch(/^<svg [^>]*width="312"/); // 3.25 in at 96 px per inch
    expect(text).toContain('data-label="class-3 recall"');
    expect(text).not.toMatch(/<text[^>]*>surrogate accuracy keeping/); // the document's <title> still names it
    const pdf = decode((await service.call('export.figure', { id: a, figure: { kind: 'spectrum', class: 1 }, format: 'pdf', size: 'page' })).base64).toString('latin1');
    expect(pdf).toMatch(/\/MediaBox \[0 0 486 [\d.]+\]/); // 6.75 in
    const atlas = await service.call('export.atlas', { id: a, format: 'svg', classes: [2], count: 2, size: 'column', title: false });
    for (const f of atlas.files) expect(readFileSync(f, 'utf8'), f).toMatch(/^<svg [^>]*width="312"/);
    await expect(service.call('export.figure', { id: a, figure: { kind: 'truncation' }, format: 'svg', size: 'poster' as never })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('screen, column, page') });
  });

  it('refuses a class or rank the run does not have, naming the range', async () => {
    await expect(service.call('export.figure', { id: a, figure: { kind: 'spectrum', class: 10 }, format: 'svg' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/class 10/) });
    await expect(service.call('export.figure', { id: a, figure: { kind: 'feature', class: 0, rank: 999 }, format: 'pdf' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(service.call('export.figure', { id: a, figure: { kind: 'truncation' }, format: 'png', dpi: 5 })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('dpi') });
  });

  it('writes the whole atlas into a new folder of the workspace exports folder, never one the caller names', async () => {
    const r = await service.call('export.atlas', { id: a, format: 'pdf', classes: [0, 3], count: 2 });
    expect(r.outDir.startsWith(join(workspace, 'exports', `run-${a}-pdf-`))).toBe(true);
    expect(readdirSync(r.outDir).sort()).toEqual(['class-0-negative.pdf', 'class-0-positive.pdf', 'class-3-negative.pdf', 'class-3-positive.pdf', 'spectrum-0.pdf', 'spectrum-3.pdf', 'truncation.pdf']);
    // the same export again within the second: a folder of its own beside the first
    const [one, two] = [await service.call('export.atlas', { id: a, format: 'html', count: 1 }), await service.call('export.atlas', { id: a, format: 'html', count: 1 })];
    expect(two.outDir).not.toBe(one.outDir);
    expect(readFileSync(join(two.outDir, 'atlas.html'), 'utf8')).toContain('Content-Security-Policy');
    const chosen = join(workspace, 'my-atlas');
    await expect(service.call('export.atlas', { id: a, format: 'html', outDir: chosen } as never)).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('outDir: cannot be chosen by a call') });
    expect(existsSync(chosen)).toBe(false);
  });

  it('hands the whole atlas back as one file to download, the same files as written, nothing left on the server', async () => {
    const exportsBefore = readdirSync(join(workspace, 'exports')).sort();
    const page = await service.call('export.atlasFile', { id: a, format: 'html', classes: [1], count: 2 });
    expect(page).toMatchObject({ filename: `run-${a}-atlas.html`, mime: 'text/html', files: [`run-${a}-atlas.html`], analyzed: false });
    expect(decode(page.base64).toString('utf8')).toMatch(/^<!doctype html>[\s\S]*Content-Security-Policy/i);
    const zip = await service.call('export.atlasFile', { id: a, format: 'pdf', classes: [0, 3], count: 2 });
    expect(zip).toMatchObject({ filename: `run-${a}-atlas-pdf.zip`, mime: 'application/zip' });
    expect(zip.files.sort()).toEqual(['class-0-negative.pdf', 'class-0-positive.pdf', 'class-3-negative.pdf', 'class-3-positive.pdf', 'spectrum-0.pdf', 'spectrum-3.pdf', 'truncation.pdf'].map((f) => `run-${a}-atlas-pdf/${f}`));
    expect(decode(zip.base64).subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    expect(readdirSync(join(workspace, 'exports')).sort()).toEqual(exportsBefore);
    await expect(service.call('export.atlasFile', { id: b, format: 'svg' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('atlas.analyze') });
    await expect(service.call('export.atlasFile', { id: a, format: 'svg', outDir: workspace } as never)).rejects.toMatchObject({ code: 'bad_request' });
  });
});
