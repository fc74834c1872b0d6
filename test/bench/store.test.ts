// The store benchmark on a tiny workspace: it fills, measures and cleans up after itself.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchStore } from '../../src-main/bench/store';
import { groupRuns, listRuns, metricSeries } from '../../src-main/store/query';
import { Workspace, WorkspaceError } from '../../src-main/store/workspace';

describe('benchStore', () => {
  it('fills the given folder with runs of realistic configs and the asked number of points', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sqs-bench-')), 'ws');
    const r = benchStore({ runs: 60, points: 30, dir });
    expect(Object.keys(r)).toEqual(['list_ms', 'series_ms', 'group_ms', 'ingest_points_per_s', 'db_bytes']);
    for (const v of Object.values(r)) expect(v).toBeGreaterThanOrEqual(0);
    expect(r.ingest_points_per_s).toBeGreaterThan(0);
    expect(r.db_bytes).toBeGreaterThan(4096);
    const ws = Workspace.open(dir);
    try {
      const { total, rows } = listRuns(ws, { filters: ['status=completed', 'test_accuracy>0.5'], sort: '-test_accuracy', limit: 100 });
      expect(total).toBe(60);
      expect(rows[0].test_accuracy).toBeLessThan(1);
      expect(new Set(rows.map((x) => x.config.wd)).size).toBeGreaterThan(1);
      expect(groupRuns(ws, {}, 'gate').map((g) => g.count)).toEqual([10, 10, 10, 10, 10, 10]);
      const series = metricSeries(ws, [1])[1];
      expect(Object.keys(series).sort()).toEqual(['test_accuracy', 'test_loss', 'train_loss']);
      expect(Object.values(series).reduce((n, s) => n + s.length, 0)).toBe(30);
      expect(series.test_accuracy.at(-1)!.value).toBe(rows.find((x) => x.id === 1)!.test_accuracy);
    } finally {
      ws.close();
    }
    expect(() => benchStore({ runs: 1, points: 1, dir })).toThrow(WorkspaceError);
  });

  it('removes its temporary workspace', () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('sqs-bench-store-'));
    benchStore({ runs: 3, points: 2 });
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('sqs-bench-store-') && !before.includes(n))).toEqual([]);
    expect(() => benchStore({ runs: 0, points: 1 })).toThrow(RangeError);
    expect(existsSync(tmpdir())).toBe(true);
  });
});
