// One run in full, two runs side by side, metric series and their export; and the query plans
// of the hot queries, which must search indexes rather than scan the metrics or runs tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileList,
  compileSeries,
  diffRuns,
  exportMetrics,
  metricSeries,
  QueryError,
  showRun,
} from '../../src-main/store/query';
import type { MetricsExportFormat as ExportFormat } from '../../src-main/common/formats';
import { flattenConfig } from '../../src-main/common/records';
import { addNote } from '../../src-main/store/run-edits';
import { createRun, recordMetrics, RunNotFoundError } from '../../src-main/store/runs';
import type { Workspace } from '../../src-main/store/workspace';
import { dump, plan, seedRuns, tempWorkspace, type Seeded } from './store-fixtures';

let ws: Workspace;
let seeded: Seeded[];

beforeAll(() => {
  ws = tempWorkspace();
  seeded = seedRuns(ws);
});
afterAll(() => ws.close());

const NAMES = ['lr', 'seconds', 'test_accuracy', 'test_loss', 'train_loss'] as const;

describe('showRun', () => {
  it('gathers the row, tags, notes, files, the latest analysis and metric counts', () => {
    const s = seeded[5];
    addNote(ws, s.id, 'first look\nlooks fine');
    addNote(ws, s.id, 'second');
    ws.db.prepare(`INSERT INTO artifacts (run_id, path, kind, sha256, bytes) VALUES (?, 'weights.safetensors', 'weights', 'ab', 12)`).run(s.id);
    const analysis = ws.db.prepare(`INSERT INTO analyses (run_id, kind, summary, created_at) VALUES (?, 'spectra', ?, ?)`);
    analysis.run(s.id, JSON.stringify({ effective_rank: 3 }), 100);
    analysis.run(s.id, JSON.stringify({ effective_rank: 4 }), 200);
    const d = showRun(ws, s.id);
    expect(d.run.id).toBe(s.id);
    expect(d.run.config).toEqual(s.config);
    expect(d.tags).toEqual(s.tags);
    expect(d.notes.map((n) => n.body)).toEqual(['first look\nlooks fine', 'second']);
    expect(d.artifacts).toEqual([{ path: 'weights.safetensors', kind: 'weights', sha256: 'ab', bytes: 12 }]);
    expect(d.analysis).toMatchObject({ kind: 'spectra', created_at: 200, summary: { effective_rank: 4 } });
    expect(d.metrics).toEqual(NAMES.map((name) => ({ name, points: 3 })));
  });

  it('shows a run without metrics or analyses, and refuses a missing id', () => {
    const d = showRun(ws, seeded[11].id);
    expect(d).toMatchObject({ tags: [], notes: [], artifacts: [], analysis: null, metrics: [] });
    expect(() => showRun(ws, 999)).toThrow(RunNotFoundError);
  });
});

describe('diffRuns', () => {
  it('lists only the config keys that differ, with dotted paths, and the final metrics side by side', () => {
    const [a, b] = [seeded[0], seeded[5]]; // bilinear seed 0 vs sqs seed 1
    const d = diffRuns(ws, a.id, b.id);
    const fa = flattenConfig(a.config);
    const fb = flattenConfig(b.config);
    const differing = Object.keys(fa).filter((k) => fa[k] !== fb[k]).sort();
    expect(differing).toContain('sqs.c');
    expect(d.config).toEqual(differing.map((key) => ({ key, a: fa[key], b: fb[key] })));
    expect(d.final.test_accuracy).toEqual({ a: a.records[2].test_accuracy, b: b.records[2].test_accuracy });
    expect(d.final.train_loss).toEqual({ a: a.records[2].train_loss, b: b.records[2].train_loss });
    expect(d.a).toMatchObject({ id: a.id, status: 'completed' });
  });

  it('finds no differences between a run and itself; a key missing on one side is null there', () => {
    expect(diffRuns(ws, 1, 1).config).toEqual([]);
    const config = { ...seeded[0].config, extra: { depth: 2 } } as typeof seeded[0]['config'];
    const id = createRun(ws, { config });
    expect(diffRuns(ws, seeded[0].id, id).config).toEqual([{ key: 'extra.depth', a: null, b: 2 }]);
    ws.db.prepare(`DELETE FROM runs WHERE id = ?`).run(id);
  });

  it('refuses a missing id', () => {
    expect(() => diffRuns(ws, 1, 999)).toThrow(/run 999 does not exist/);
  });
});

describe('metricSeries', () => {
  it('returns every point per run per metric in step order, as recorded', () => {
    const picked = [seeded[3], seeded[7]];
    const series = metricSeries(ws, picked.map((s) => s.id));
    for (const s of picked) {
      expect(Object.keys(series[s.id]).sort()).toEqual([...NAMES]);
      for (const name of NAMES) expect(series[s.id][name]).toEqual(s.records.map((r) => ({ step: r.step, epoch: r.epoch, value: r[name] })));
    }
  });

  it('keeps only the named metrics, and gives an empty object to a run without points', () => {
    const series = metricSeries(ws, [seeded[0].id, seeded[11].id], ['test_accuracy', 'nope']);
    expect(Object.keys(series[seeded[0].id])).toEqual(['test_accuracy']);
    expect(series[seeded[11].id]).toEqual({});
    expect(Object.keys(metricSeries(ws, [seeded[0].id], [])[seeded[0].id])).toHaveLength(5);
  });

  it('names every missing run', () => {
    expect(() => metricSeries(ws, [1, 998, 999])).toThrow(/runs 998, 999 do not exist/);
    expect(() => metricSeries(ws, [998])).toThrow(RunNotFoundError);
  });
});

describe('exportMetrics', () => {
  const ids = () => [seeded[1].id, seeded[2].id];
  it('writes CSV rows run_id,name,step,epoch,value that read back to the recorded values', () => {
    const csv = exportMetrics(ws, ids(), 'csv');
    const [head, ...lines] = csv.trimEnd().split('\n');
    expect(head).toBe('run_id,name,step,epoch,value');
    expect(lines).toHaveLength(2 * 5 * 3);
    for (const line of lines) {
      const [run, name, step, epoch, value] = line.split(',');
      const rec = seeded.find((s) => s.id === Number(run))!.records.find((r) => r.step === Number(step))!;
      expect(Number(epoch)).toBe(rec.epoch);
      expect(Number(value)).toBe(rec[name as (typeof NAMES)[number]]);
    }
  });

  it('writes the same rows as JSON, and a missing value as null (an empty CSV cell)', () => {
    const rows = JSON.parse(exportMetrics(ws, ids(), 'json', ['test_loss']));
    expect(rows).toHaveLength(2 * 3);
    expect(rows[0]).toEqual({ run_id: seeded[1].id, name: 'test_loss', step: 10, epoch: 1, value: seeded[1].records[0].test_loss });
    const id = createRun(ws, { config: seeded[0].config });
    recordMetrics(ws, id, [{ epoch: 1, step: 5, train_loss: NaN, test_loss: 1, test_accuracy: 0.5, lr: 0, seconds: 1 }]);
    expect(exportMetrics(ws, [id], 'csv', ['train_loss'])).toBe(`run_id,name,step,epoch,value\n${id},train_loss,5,1,\n`);
    expect(JSON.parse(exportMetrics(ws, [id], 'json', ['train_loss']))[0].value).toBeNull();
    ws.db.prepare(`DELETE FROM runs WHERE id = ?`).run(id);
  });

  it('refuses an unknown format or a missing run, changing nothing', () => {
    const before = dump(ws);
    expect(() => exportMetrics(ws, ids(), 'xml' as ExportFormat)).toThrow(QueryError);
    expect(() => exportMetrics(ws, [999], 'csv')).toThrow(RunNotFoundError);
    expect(dump(ws)).toBe(before);
  });
});

describe('query plans of the hot queries', () => {
  const noFullScan = (steps: string[]) => {
    for (const s of steps) expect(s, steps.join(' | ')).not.toMatch(/^SCAN (runs|metrics|tags)\b(?! USING)/);
    expect(steps.join(' | ')).not.toMatch(/SCAN metrics/);
  };

  it('a page filtered on gate and sorted by test accuracy searches runs_gate; its count uses the index alone', () => {
    const c = compileList({ filters: ['gate=sqs'], sort: '-test_accuracy', limit: 50 });
    const page = plan(ws, c.page);
    noFullScan(page);
    expect(page.join(' | ')).toMatch(/SEARCH runs USING INDEX runs_gate \(gate=\?\)/);
    expect(plan(ws, c.count)).toEqual(['SEARCH runs USING COVERING INDEX runs_gate (gate=?)']);
  });

  it('a page sorted by test accuracy alone walks runs_test_accuracy without sorting', () => {
    const steps = plan(ws, compileList({ sort: '-test_accuracy' }).page);
    expect(steps).toEqual(['SCAN runs USING INDEX runs_test_accuracy']);
  });

  it('a tag filter looks the tag up in tags_by_tag and the runs by id', () => {
    const steps = plan(ws, compileList({ filters: ['tag=paper'] }).page);
    noFullScan(steps);
    expect(steps).toContain('SEARCH tags USING COVERING INDEX tags_by_tag (tag=?)');
    expect(steps).toContain('SEARCH runs USING INTEGER PRIMARY KEY (rowid=?)');
  });

  it('metric series search the metrics primary key per run (and name), already in order', () => {
    const all = plan(ws, compileSeries([1, 2, 3]));
    noFullScan(all);
    expect(all).toContain('SEARCH metrics USING PRIMARY KEY (run_id=?)');
    const named = plan(ws, compileSeries([1, 2], ['test_loss']));
    noFullScan(named);
    expect(named).toContain('SEARCH metrics USING PRIMARY KEY (run_id=? AND name=?)');
    expect([...all, ...named].join(' | ')).not.toMatch(/TEMP B-TREE/);
  });
});
