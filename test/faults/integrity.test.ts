// A workspace never mixes up runs: when workspace.db is restored from a backup, deleted or emptied
// while runs/ still holds folders, a new run never lands in (or resumes) another run's folder,
// `runs delete` never removes one, `runs list` says which folders the database does not know,
// and `runs import` registers each where it lies.
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { createService } from '../../src-main/api/service';
import { createRun } from '../../src-main/store/runs';
import { Workspace } from '../../src-main/store/workspace';
import { tempDir } from '../helpers/cli';
import { expectOneLine, snapshot } from './harness';
import { runMain } from './run-main';

const TINY = ['--d', '16', '--h', '16', '--batch', '1024', '--epochs', '1'];

async function train(ws: string, seed: number): Promise<{ run_id: number; run_dir: string }> {
  const r = await runMain(['train', '--workspace', ws, ...TINY, '--seed', String(seed), '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

async function list(ws: string): Promise<{ ids: number[]; stderr: string }> {
  const r = await runMain(['runs', 'list', '--workspace', ws, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return { ids: (JSON.parse(r.stdout).rows as { id: number }[]).map((x) => x.id).sort((a, b) => a - b), stderr: r.stderr };
}

/** The files of runs/<id>, by content: what must survive untouched. */
const folder = (ws: string, id: number | string) => snapshot(join(ws, 'runs', String(id)));

const removeDatabase = (ws: string) => ['', '-wal', '-shm'].forEach((s) => rmSync(join(ws, `workspace.db${s}`), { force: true }));

describe('run ids and run folders', () => {
  let template: string;
  beforeAll(async () => {
    template = join(tempDir(), 'trained');
    const r = await runMain(['train', '--out', template, ...TINY, '--seed', '9', '--json']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('after a backup of workspace.db is restored, a new run takes a new folder and the newer one can be registered in place', async () => {
    const ws = tempDir();
    expect((await train(ws, 1)).run_id).toBe(1);
    const backup = join(tempDir(), 'workspace.db');
    copyFileSync(join(ws, 'workspace.db'), backup);
    expect((await train(ws, 2)).run_id).toBe(2);
    const [one, two] = [folder(ws, 1), folder(ws, 2)];

    removeDatabase(ws);
    copyFileSync(backup, join(ws, 'workspace.db'));
    const before = await list(ws);
    expect(before.ids).toEqual([1]);
    expect(before.stderr).toBe(`1 run folder in ${join(ws, 'runs')} is not in the database: run 2; 'sqs-workbench runs import <folder>' registers it\n`);

    const next = await train(ws, 3);
    expect(next.run_id).toBe(3);
    expect(next.run_dir).toBe(join(ws, 'runs', '3'));
    expect([folder(ws, 1), folder(ws, 2)]).toEqual([one, two]);

    const imported = await runMain(['runs', 'import', join(ws, 'runs', '2'), '--workspace', ws, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({ run_id: 2, status: 'completed' });
    expect(folder(ws, 2)).toEqual(two);
    const after = await list(ws);
    expect(after).toEqual({ ids: [1, 2, 3], stderr: '' });
    // ids stay past every id given, the registered one included
    expect((await train(ws, 4)).run_id).toBe(4);
  });

  it('after workspace.db is deleted or emptied, new runs start past every folder and list says which folders are unknown', async () => {
    for (const damage of ['deleted', 'emptied'] as const) {
      const ws = tempDir();
      await train(ws, 1);
      await train(ws, 2);
      const runs = snapshot(join(ws, 'runs'));
      const [one, two] = [folder(ws, 1), folder(ws, 2)];
      if (damage === 'deleted') removeDatabase(ws);
      else {
        removeDatabase(ws);
        writeFileSync(join(ws, 'workspace.db'), '');
      }
      const whole = snapshot(ws);
      if (damage === 'deleted') {
        // nothing to list without a database: say where the runs are, and make none
        expectOneLine(await runMain(['runs', 'list', '--workspace', ws]), 1, new RegExp(`^no workspace.db in ${ws}, though its runs/ holds runs 1, 2: 'sqs-workbench runs import <folder>' registers them in a new workspace.db\n$`));
        expect(snapshot(ws), damage).toEqual(whole);
      } else {
        const listed = await list(ws);
        expect(listed.ids, damage).toEqual([]);
        expect(listed.stderr, damage).toBe(`2 run folders in ${join(ws, 'runs')} are not in the database: runs 1, 2; 'sqs-workbench runs import <folder>' registers them\n`);
      }
      expect(snapshot(join(ws, 'runs')), damage).toEqual(runs);

      expect((await train(ws, 3)).run_id, damage).toBe(3);
      expect((await list(ws)).stderr, damage).toMatch(/^2 run folders in .* are not in the database: runs 1, 2;/);
      expect([folder(ws, 1), folder(ws, 2)], damage).toEqual([one, two]);
      for (const id of [2, 1]) {
        const r = await runMain(['runs', 'import', join(ws, 'runs', String(id)), '--workspace', ws, '--json']);
        expect(JSON.parse(r.stdout), damage).toEqual({ run_id: id, status: 'completed' });
      }
      expect(await list(ws), damage).toEqual({ ids: [1, 2, 3], stderr: '' });
    }
  });

  it('the api says the same to every host: workspace.check lists the unknown folders and the orphaned runs, with a line for each', async () => {
    const ws = tempDir();
    await train(ws, 1);
    cpSync(template, join(ws, 'runs', '7'), { recursive: true });
    const w = Workspace.open(ws);
    const orphan = createRun(w, { config: { ...DEFAULT_CONFIG, epochs: 1 }, owned: false });
    w.close();
    const service = createService({ workspaceDir: ws });
    try {
      expect(await service.call('workspace.check', {})).toEqual({
        dir: ws,
        unregistered: [join(ws, 'runs', '7')],
        orphaned: [orphan],
        notices: [
          `1 run folder in ${join(ws, 'runs')} is not in the database: run 7; 'sqs-workbench runs import <folder>' registers it`,
          `1 queued run was left by a process that is gone: run ${orphan}; 'sqs-workbench resume --all' trains it`,
        ],
      });
    } finally {
      await service.close();
    }
  });

  it('a run that never started neither trains into nor deletes a folder that is already there', async () => {
    const ws = tempDir();
    const w = Workspace.open(ws);
    const id = createRun(w, { config: { ...DEFAULT_CONFIG, d: 16, h: 16, batch: 1024, epochs: 1 } });
    w.close();
    // the folder of a run that a restored database no longer knows, at the place of run 1's
    cpSync(template, join(ws, 'runs', String(id)), { recursive: true });
    const theirs = folder(ws, id);

    const before = snapshot(ws);
    expectOneLine(await runMain(['resume', String(id), '--workspace', ws]), 1, new RegExp(`^${join(ws, 'runs', '1')} already holds files that run 1 did not write`));
    expect(snapshot(ws)).toEqual(before);

    const deleted = await runMain(['runs', 'delete', String(id), '--workspace', ws]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(folder(ws, id)).toEqual(theirs);
    expect((await list(ws)).stderr).toMatch(/^1 run folder in .* is not in the database: run 1;/);
  });

  it('a folder copied into runs/ under another name is registered under a new id; a known or staging folder is refused', async () => {
    const ws = tempDir();
    await train(ws, 1);
    cpSync(template, join(ws, 'runs', 'sqs-s0'), { recursive: true });
    const copied = folder(ws, 'sqs-s0');
    expect((await list(ws)).stderr).toMatch(/: run sqs-s0;/);
    const r = await runMain(['runs', 'import', join(ws, 'runs', 'sqs-s0'), '--workspace', ws, '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ run_id: 2, status: 'completed' });
    expect(existsSync(join(ws, 'runs', 'sqs-s0'))).toBe(false);
    expect(folder(ws, 2)).toEqual(copied);

    // a copy being imported by this very process
    const staging = `.importing-${process.pid}-2`;
    mkdirSync(join(ws, 'runs', staging));
    const refusals: [string, RegExp][] = [
      [join(ws, 'runs', '1'), /runs\/1 is already run 1 of this workspace\n$/],
      [join(ws, 'runs', staging), /runs\/\.importing-\d+-2 is a folder the workspace keeps while it deletes or imports a run/],
      [join(ws, 'runs', '1', 'analysis'), /is not a run folder of .*runs \(import one of the folders in it\)/],
      [join(ws, 'runs'), /is not a run folder of .*runs \(import one of the folders in it\)/],
    ];
    mkdirSync(join(ws, 'runs', '1', 'analysis'));
    for (const [path, message] of refusals) {
      const before = snapshot(ws);
      expectOneLine(await runMain(['runs', 'import', path, '--workspace', ws]), 2, message);
      expect(snapshot(ws), path).toEqual(before);
    }
  });

  it('ids stay past a folder left under runs/ even when it holds nothing to import', async () => {
    const ws = tempDir();
    mkdirSync(join(ws, 'runs', '41'), { recursive: true });
    writeFileSync(join(ws, 'runs', '41', 'notes.txt'), 'not a run');
    expect((await train(ws, 1)).run_id).toBe(42);
  });
});
