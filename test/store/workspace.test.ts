// The workspace end to end: schema and migrations, training recorded as it goes, sweeps on the
// worker-thread queue, cancel, and a database from a newer app left untouched.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptLegacyDatasetList, importedDatasets, LEGACY_DATASET_LIST } from '../../src-main/store/datasets';
import { SCHEMA_VERSION } from '../../src-main/store/migrations';
import { createRun, getRun } from '../../src-main/store/runs';
import { resolveWorkspaceDir } from '../../src-main/api/workspace-dir';
import { Workspace, WorkspaceError } from '../../src-main/store/workspace';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { runCli, tempDir } from '../helpers/cli';

const TINY = ['--d', '16', '--h', '16', '--batch', '1024'];
const SMALL = [...TINY, '--epochs', '2'];

describe('workspace', () => {
  it('is found from --workspace, then $SQS_WORKBENCH_HOME, then the XDG data folder', () => {
    expect(resolveWorkspaceDir('/a/b', {})).toBe('/a/b');
    expect(resolveWorkspaceDir(null, { SQS_WORKBENCH_HOME: '/c' })).toBe('/c');
    expect(resolveWorkspaceDir(null, { XDG_DATA_HOME: '/x' })).toBe('/x/sqs-workbench');
  });

  it('opens with WAL, foreign keys and the current schema version', () => {
    const ws = Workspace.open(tempDir());
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(ws.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    ws.close();
  });

  it('refuses a database from a newer schema and leaves it untouched', () => {
    const dir = tempDir();
    Workspace.open(dir).close();
    const db = new Database(join(dir, 'workspace.db'));
    db.pragma('journal_mode = DELETE');
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    const before = readFileSync(join(dir, 'workspace.db'));
    expect(() => Workspace.open(dir)).toThrow(WorkspaceError);
    expect(() => Workspace.open(dir)).toThrow(/newer than this app understands/);
    expect(readFileSync(join(dir, 'workspace.db')).equals(before)).toBe(true);
  });

  it('keeps imported datasets in its database, taking over the list file of earlier versions once (the service does on opening)', () => {
    const dir = tempDir();
    const entry = { spec: 'idx:/data/mine', name: 'mine', path: '/data/mine', trainN: 12, testN: 5, classes: 3, imageShape: [4, 4], sha256: 'ab'.repeat(32), source: 'IDX files in /data/mine' };
    writeFileSync(join(dir, LEGACY_DATASET_LIST), JSON.stringify([entry, { spec: 'idx:/broken' }]));
    const ws = Workspace.open(dir);
    expect(adoptLegacyDatasetList(ws)).toBe(1);
    expect(importedDatasets(ws)).toEqual([entry]);
    expect(existsSync(join(dir, LEGACY_DATASET_LIST))).toBe(false);
    ws.close();
    const again = Workspace.open(dir);
    expect(importedDatasets(again)).toEqual([entry]);
    again.close();
  });

  it('marks a run whose process is gone as interrupted when it next opens', () => {
    const dir = tempDir();
    const ws = Workspace.open(dir);
    const id = createRun(ws, { config: DEFAULT_CONFIG });
    ws.db.prepare(`UPDATE runs SET status = 'running', pid = 2147483646 WHERE id = ?`).run(id);
    ws.close();
    const again = Workspace.open(dir);
    expect(getRun(again, id).status).toBe('interrupted');
    again.close();
  });

  it('train --workspace records the run, its metrics and tags, and prints its id', async () => {
    const dir = tempDir();
    const r = await runCli(['train', '--workspace', dir, ...SMALL, '--gate', 'sqs', '--name', 'first try', '--tag', 'smoke', '--tag', 'sqs', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.run_id).toBe(1);
    expect(out.run_dir).toBe(join(dir, 'runs', '1'));
    const ws = Workspace.open(dir);
    const run = getRun(ws, 1);
    expect(run).toMatchObject({ name: 'first try', status: 'completed', gate: 'sqs', epochs_done: 2, test_accuracy: out.test_accuracy });
    expect(run.dataset_sha256).toMatch(/^[0-9a-f]{64}$/);
    const metrics = ws.db.prepare(`SELECT epoch, name, value FROM metrics WHERE run_id = 1 ORDER BY step, name`).all() as { epoch: number; name: string; value: number }[];
    expect(metrics.filter((m) => m.name === 'test_accuracy').map((m) => m.epoch)).toEqual([1, 2]);
    expect(ws.db.prepare(`SELECT tag FROM tags WHERE run_id = 1 ORDER BY tag`).pluck().all()).toEqual(['smoke', 'sqs']);
    expect(ws.db.prepare(`SELECT kind FROM artifacts WHERE run_id = 1 ORDER BY kind`).pluck().all()).toEqual(['checkpoint', 'config', 'metrics', 'model', 'status', 'weights']);
    ws.close();
  });

  it('a sweep queues one run per combination and trains them on worker threads', async () => {
    const dir = tempDir();
    const r = await runCli(['sweep', '--workspace', dir, '--grid', 'gate=bilinear,sqs', '--grid', 'seed=0,1', '--grid', 'wd=0.1,0.5', ...TINY, '--epochs', '1', '--concurrency', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runs).toHaveLength(8);
    expect(out.runs.every((x: { status: string }) => x.status === 'completed')).toBe(true);
    const ws = Workspace.open(dir);
    const rows = ws.db.prepare(`SELECT gate, seed, json_extract(config, '$.wd') AS wd, sweep_id FROM runs ORDER BY id`).all();
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((x) => JSON.stringify(x))).size).toBe(8);
    expect(ws.db.prepare(`SELECT grid FROM sweeps`).pluck().get()).toBe(JSON.stringify({ gate: ['bilinear', 'sqs'], seed: ['0', '1'], wd: ['0.1', '0.5'] }));
    ws.close();
  });

  it('refuses a malformed grid before creating anything', async () => {
    const dir = tempDir();
    const r = await runCli(['sweep', '--workspace', dir, '--grid', 'gate=bilinear,tanh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--gate: 'tanh' is not one of/);
    const ws = Workspace.open(dir);
    expect(ws.db.prepare(`SELECT count(*) FROM runs`).pluck().get()).toBe(0);
    ws.close();
  });

  it('cancel stops a queued run; a finished run cannot be cancelled', async () => {
    const dir = tempDir();
    const ws = Workspace.open(dir);
    const id = createRun(ws, { config: DEFAULT_CONFIG });
    ws.close();
    expect((await runCli(['cancel', '--workspace', dir, String(id)])).code).toBe(0);
    const again = Workspace.open(dir);
    expect(getRun(again, id).status).toBe('cancelled');
    again.close();
    // not a bad command line (2) but a run in the wrong state (1)
    const r = await runCli(['cancel', '--workspace', dir, String(id)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run 1 is cancelled; only queued or running runs can be cancelled/);
    const missing = await runCli(['cancel', '--workspace', dir, '99']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/run 99 does not exist/);
  });
});

describe('two processes on one workspace', () => {
  it('a CLI sweep and another writer never see "database is locked" nor half a transaction', async () => {
    const dir = tempDir();
    const ws = Workspace.open(dir);
    const mine = createRun(ws, { config: DEFAULT_CONFIG, name: 'edited while a sweep runs' });
    const sweep = runCli(['sweep', '--workspace', dir, '--grid', 'seed=0,1,2', ...TINY, '--epochs', '2', '--json']);
    let writes = 0;
    let finished = false;
    void sweep.then(() => (finished = true));
    const tagTwice = ws.db.transaction((i: number) => {
      ws.db.prepare(`INSERT INTO tags (run_id, tag) VALUES (?, ?)`).run(mine, `a${i}`);
      ws.db.prepare(`INSERT INTO tags (run_id, tag) VALUES (?, ?)`).run(mine, `b${i}`);
    });
    while (!finished || writes < 50) {
      tagTwice.immediate(writes++);
      // every evaluation the sweep has committed is whole: five metrics per step
      const partial = ws.db.prepare(`SELECT count(*) FROM (SELECT run_id, step FROM metrics GROUP BY run_id, step HAVING count(*) != 5)`).pluck().get();
      expect(partial).toBe(0);
      await new Promise((r) => setTimeout(r, 5));
    }
    const r = await sweep;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/locked/i);
    expect(ws.db.prepare(`SELECT count(*) FROM tags WHERE run_id = ?`).pluck().get(mine)).toBe(2 * writes);
    expect(ws.db.prepare(`SELECT count(*) FROM runs WHERE status = 'completed'`).pluck().get()).toBe(3);
    ws.close();
  });
});
