// The reproduction report from real (tiny) runs in a workspace: its table is the runs' stored
// metrics, its similarity is compare-features on the same pairs, a second call trains nothing, the
// PDF holds its text as text, and the HTML page asks the network for nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStudy, type StudyOutcome, type StudyPlan } from '../../src-main/api/reproduce-study';
import { createService, type Service } from '../../src-main/api/service';
import { compareFeatures } from '../../src-main/engine/analysis/compare';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { HAVE_BROWSER, launch } from '../e2e/browser';
import { tempDir } from '../helpers/cli';
import { CHECK_PDF, pdfInfo, poppler, requirePoppler } from './poppler';

const PLAN: StudyPlan = {
  base: { ...DEFAULT_CONFIG, dataset: 'digits', d: 16, h: 16, epochs: 1, batch: 512, lr: 3e-3 },
  gates: ['bilinear', 'sqs', 'swiglu'],
  seeds: [0, 1],
  percents: [10, 100],
  concurrency: 2,
  topK: 8,
  reportDir: null,
  command: 'sqs-workbench reproduce digits --data-efficiency --fractions 10 …',
};

let ws: string;
let out: string;
let service: Service;
let first: StudyOutcome;

beforeAll(async () => {
  ws = tempDir();
  out = join(tempDir(), 'report');
  service = createService({ workspaceDir: ws, concurrency: 2, dataRoots: 'any' });
  first = await runStudy(service, { ...PLAN, reportDir: out });
}, 600_000);
afterAll(async () => {
  await service?.close();
});

describe('reproduction report', () => {
  it("its accuracy table is the runs' stored final test accuracy, mean ± std over seeds", async () => {
    const listed = (await service.call('runs.list', { limit: 100 })).rows;
    expect(listed).toHaveLength(3 * 2 * 2);
    for (const row of first.result.accuracy) {
      const accs = listed.filter((r) => r.gate === row.gate && (r.config as { train_percent: number }).train_percent === 100).map((r) => r.test_accuracy!);
      expect(accs).toHaveLength(2);
      const mean = (accs[0] + accs[1]) / 2;
      expect(row.accuracy.mean).toBeCloseTo(mean, 12);
      expect(row.accuracy.std).toBeCloseTo(Math.abs(accs[0] - accs[1]) / Math.SQRT2, 12);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain(`<td>${row.gate}</td><td class="num">2</td><td class="num">${(100 * mean).toFixed(2)} ± ${((100 * Math.abs(accs[0] - accs[1])) / Math.SQRT2).toFixed(2)}</td>`);
    }
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.result.accuracy).toEqual(first.result.accuracy);
    expect(json.result.efficiency.map((e: { points: unknown[] }) => e.points.length)).toEqual([2, 2, 2]);
  });

  it('its SQS-vs-bilinear similarity is compare-features on the same same-seed pairs', () => {
    const sim = first.result.similarity!;
    expect(sim.pairs.map((p) => p.seed)).toEqual([0, 1]);
    const dir = (id: number) => first.runs.find((r) => r.id === id)!.dir;
    const direct = sim.pairs.map((p) => compareFeatures(dir(p.bilinear), dir(p.sqs), PLAN.topK).mean);
    sim.pairs.forEach((p, i) => {
      expect(p.by_rank).toEqual(direct[i].by_rank);
      expect(p.by_assignment).toEqual(direct[i].by_assignment);
    });
    sim.by_assignment.forEach((s, k) => expect(s.mean).toBeCloseTo((direct[0].by_assignment[k] + direct[1].by_assignment[k]) / 2, 12));
    sim.by_rank.forEach((s, k) => expect(s.mean).toBeCloseTo((direct[0].by_rank[k] + direct[1].by_rank[k]) / 2, 12));
  });

  it('a second call reuses every finished run and trains nothing', async () => {
    const again = await runStudy(service, PLAN);
    expect(again.reused).toBe(12);
    expect((await service.call('runs.list', { limit: 100 })).total).toBe(12);
    expect(again.result.accuracy).toEqual(first.result.accuracy);
  }, 120_000);

  it.skipIf(!CHECK_PDF)('the PDF has a page per figure, text as text, and the provenance', () => {
    requirePoppler();
    const pdf = join(out, 'report.pdf');
    // summary, data efficiency, effective rank, faithfulness, similarity, three eigenvector grids, provenance
    expect(pdfInfo(pdf).Pages).toBe('9');
    const text = poppler('pdftotext', ['-layout', pdf, '-']);
    for (const s of ['Reproduction report: digits', 'Test accuracy (full training set)', 'SQS matches SwiGLU/GEGLU in accuracy', 'Test accuracy against training examples', 'Provenance', PLAN.command]) expect(text).toContain(s);
    for (const r of first.runs) expect(text).toMatch(new RegExp(`\\b${r.id}\\s+${r.gate}\\b`));
  });
});

describe.skipIf(!HAVE_BROWSER && process.env.REQUIRE_BROWSER !== '1')('reproduction report in Chromium', () => {
  it('the HTML page makes no network request and shows every figure', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const url = pathToFileURL(join(out, 'report.html')).href;
      const requests: string[] = [];
      page.on('request', (r) => {
        if (r.url() !== url && !r.url().startsWith('data:')) requests.push(r.url());
      });
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      expect(requests).toEqual([]);
      expect(await page.locator('figure svg').count()).toBe(7);
      expect(await page.locator('table').first().innerText()).toContain('verdict');
    } finally {
      await browser.close();
    }
  });
});
