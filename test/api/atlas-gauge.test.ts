// One sign for each feature wherever it is shown, set by its class's test examples: in the atlas,
// a feature's detail, an explanation, a comparison (spectra from the weights alone included), the
// analysis file, the exported feature figure and the HTML atlas. And an analysis written before
// this convention is analysed again, not read as if it followed it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AtlasFeature } from '../../src-main/common/contract';
import { createService, type Service } from '../../src-main/api/service';
import { loadDigits } from '../../src-main/engine/data/digits';
import { readSafetensors } from '../../src-main/engine/util/safetensors';
import { EventLog, tempWorkspace, trainBilinearAndSqs } from './service-helpers';

const test = loadDigits().test;
const DIN = 784;

/** The mean over class c's test examples of u·x, in float64. */
function classMean(u: ArrayLike<number>, c: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < test.n; i++) {
    if (test.y[i] !== c) continue;
    n++;
    for (let j = 0; j < DIN; j++) sum += u[j] * test.x[i * DIN + j];
  }
  return sum / n;
}

/** The heatmap of the eigenvector group of this rank, read back from its rects' colours as values in [−1, 1]. */
function drawnHeatmap(svg: string, rank: number): Float64Array {
  const start = svg.indexOf(`<g class="eigenvector" data-rank="${rank}"`);
  expect(start, `eigenvector ${rank} drawn`).toBeGreaterThanOrEqual(0);
  const out = new Float64Array(DIN);
  const rects = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="1" fill="#([0-9a-f]{6})"\/>/y;
  let at = svg.indexOf('<rect', start);
  for (;;) {
    rects.lastIndex = at;
    const m = rects.exec(svg);
    if (!m) break;
    const [x, y, w] = [m[1], m[2], m[3]].map(Number);
    const [r, g, b] = [0, 2, 4].map((k) => parseInt(m[4].slice(k, k + 2), 16));
    // the map runs from white to #b2182b (red, green 24) or to #2166ac (blue, green 102)
    const t = r === b ? 0 : r > b ? (255 - g) / (255 - 24) : -(255 - g) / (255 - 102);
    for (let c = x; c < x + w; c++) out[y * 28 + c] = t;
    at = rects.lastIndex;
  }
  return out;
}

/** Drawn and given agree in sign on every pixel the map shows clearly (a fifth of the range or more). */
function sameSigns(drawn: Float64Array, f: AtlasFeature): void {
  let checked = 0;
  f.vector.forEach((u, j) => {
    if (Math.abs(u) < 0.2 * f.range) return;
    checked++;
    expect(Math.sign(drawn[j]), `pixel ${j}`).toBe(Math.sign(u));
  });
  expect(checked).toBeGreaterThan(0);
}

describe('the sign gauge across the service', () => {
  let service: Service;
  let workspace: string;
  const log = new EventLog();
  let a = 0;
  let b = 0;

  const analysed = async (id: number) => {
    const before = log.events.length;
    await service.call('atlas.analyze', { id });
    await log.until((e) => e.type === 'analysis' && e.runId === id && e.state !== 'analyzing' && log.events.indexOf(e) >= before, `analysis of run ${id}`);
    expect((await service.call('atlas.status', { id })).state).toBe('ready');
  };

  beforeAll(async () => {
    workspace = tempWorkspace();
    service = createService({ workspaceDir: workspace });
    service.on(log.push);
    [a, b] = await trainBilinearAndSqs(service, log);
    await analysed(a);
  });
  afterAll(() => service.close());

  it('holds in the atlas, the analysis file, a feature detail and an explanation alike', async () => {
    const atlas = await service.call('atlas.get', { id: a, count: 16 });
    const stored = readSafetensors(join(workspace, 'runs', String(a), 'analysis', 'spectra.safetensors')).tensors.get('eigenvectors_input')!;
    const [, topK] = stored.shape;
    const byRank = new Map<string, AtlasFeature>();
    for (const k of atlas.classes) {
      for (const f of [...k.positive, ...k.negative]) {
        byRank.set(`${k.class}:${f.rank}`, f);
        expect(classMean(f.vector, k.class), `class ${k.class} rank ${f.rank}`).toBeGreaterThan(0);
        const file = (stored.data as Float32Array).subarray((k.class * topK + f.rank - 1) * DIN, (k.class * topK + f.rank) * DIN);
        f.vector.forEach((u, j) => expect(Math.abs(file[j] - u)).toBeLessThanOrEqual(1e-5 * f.range));
      }
    }
    const first = atlas.classes[4].positive[0];
    const detail = await service.call('atlas.feature', { id: a, class: 4, rank: first.rank });
    expect(detail.feature).toEqual(first);
    expect(detail.rankedBy).toBe('contribution');
    detail.topExamples.forEach((e, i) => {
      expect(e.contribution).toBeCloseTo(first.eigenvalue * e.projection ** 2, 9);
      if (i > 0) expect(Math.abs(e.contribution)).toBeLessThanOrEqual(Math.abs(detail.topExamples[i - 1].contribution));
    });
    const signed = await service.call('atlas.feature', { id: a, class: 4, rank: first.rank, rankBy: 'projection' });
    expect(signed.rankedBy).toBe('projection');
    signed.topExamples.forEach((e, i) => i > 0 && expect(e.projection).toBeLessThanOrEqual(signed.topExamples[i - 1].projection));
    expect(signed.bottomExamples[0].projection).toBeLessThanOrEqual(signed.topExamples.at(-1)!.projection);

    const e = await service.call('atlas.explain', { id: a, input: { testIndex: 7 }, class: 4, count: 16 });
    for (const c of e.components) {
      const f = byRank.get(`4:${c.rank}`);
      if (f) expect(c.vector).toEqual(f.vector);
    }
  });

  it('holds in a comparison, from the weights alone as from the analysis', async () => {
    expect((await service.call('atlas.status', { id: b })).state).toBe('missing');
    const fromWeights = await service.call('atlas.compare', { a: b, b: a, count: 4 });
    for (const k of fromWeights.classes) for (const m of k.matches) expect(classMean(m.a.vector, k.class)).toBeGreaterThan(0);
    await analysed(b);
    const fromAnalysis = await service.call('atlas.compare', { a: b, b: a, count: 4 });
    fromAnalysis.classes.forEach((k, c) =>
      k.matches.forEach((m, i) => {
        const w = fromWeights.classes[c].matches[i].a.vector;
        m.a.vector.forEach((u, j) => expect(Math.abs(u - w[j])).toBeLessThanOrEqual(1e-5 * m.a.range));
      }),
    );
  });

  it('holds in the exported feature figure and in the HTML atlas', async () => {
    const atlas = await service.call('atlas.get', { id: a, count: 2 });
    const f = atlas.classes[4].positive[0];
    const fig = await service.call('export.figure', { id: a, figure: { kind: 'feature', class: 4, rank: f.rank }, format: 'svg' });
    sameSigns(drawnHeatmap(Buffer.from(fig.base64, 'base64').toString('utf8'), f.rank), f);

    const out = await service.call('export.atlas', { id: a, format: 'html', classes: [4, 7], count: 2 });
    const html = readFileSync(join(out.outDir, 'atlas.html'), 'utf8');
    for (const c of [4, 7]) {
      const section = html.slice(html.indexOf(`<section class="class" id="class-${c}"`));
      const k = atlas.classes[c];
      for (const g of [...k.positive, ...k.negative]) sameSigns(drawnHeatmap(section, g.rank), g);
    }
  });

  it('an analysis of an earlier version reads as missing, saying why, and analysing again redoes it', async () => {
    const summaryPath = join(workspace, 'runs', String(a), 'analysis', 'summary.json');
    const { format_version: _, sign_gauge: __, examples_ranked_by: ___, ...old } = JSON.parse(readFileSync(summaryPath, 'utf8'));
    writeFileSync(summaryPath, JSON.stringify(old));
    expect(await service.call('atlas.status', { id: a })).toMatchObject({ state: 'missing', reason: expect.stringContaining('written by an earlier version of the workbench') });
    await analysed(a);
    expect(JSON.parse(readFileSync(summaryPath, 'utf8'))).toMatchObject({ format_version: 2, sign_gauge: 'class-mean-projection-positive', examples_ranked_by: 'abs-contribution' });
  });
});
