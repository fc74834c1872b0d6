// A CLI sweep stopped by SIGINT or SIGTERM, or killed with kill -9, leaves no run waiting forever:
// the run it was training ends interrupted (kill -9: reads as interrupted when the workspace next
// opens), the runs it had not reached stay queued under a process that is gone, and `resume --all`
// or a host that opens the workspace (the web host) trains them.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startWebHost } from '../../src-main/hosts/web/server';
import { runCli, startCli, tempDir } from '../helpers/cli';
import { runMain } from './run-main';

/** Run 1 long enough to be stopped in the middle, run 2 one quick epoch. */
const SWEEP = ['--grid', 'epochs=12,1', '--d', '16', '--h', '16', '--batch', '32', '--concurrency', '1'];

interface Row {
  id: number;
  status: string;
  pid: number | null;
  epochs_done: number;
}

function rows(ws: string): Row[] {
  const db = new Database(join(ws, 'workspace.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT id, status, pid, epochs_done FROM runs ORDER BY id`).all() as Row[];
  } finally {
    db.close();
  }
}

/** Starts the sweep and returns once run 1 has finished an epoch (and so has a checkpoint to resume from). */
async function sweepUnderway(ws: string) {
  const cli = startCli(['sweep', '--workspace', ws, ...SWEEP, '--json']);
  for (;;) {
    await sleep(100);
    const run1 = (() => {
      try {
        return rows(ws)[0];
      } catch {
        return undefined; // the database is still being made
      }
    })();
    if (run1?.status === 'running' && run1.epochs_done >= 1) return cli;
    if (cli.child.exitCode !== null) throw new Error(`the sweep ended before it could be stopped: ${(await cli.done).stderr}`);
  }
}

describe('a sweep stopped before it reached every run', () => {
  it('SIGINT: run 1 ends interrupted, run 2 stays queued and free to take; resume --all trains both', async () => {
    const ws = tempDir();
    const cli = await sweepUnderway(ws);
    cli.child.kill('SIGINT');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    expect(rows(ws).map(({ id, status, pid }) => ({ id, status, pid }))).toEqual([
      { id: 1, status: 'interrupted', pid: null },
      { id: 2, status: 'queued', pid: null },
    ]);
    const resumed = await runCli(['resume', '--all', '--workspace', ws, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).runs.map((x: { run_id: number; status: string }) => [x.run_id, x.status])).toEqual([
      [1, 'completed'],
      [2, 'completed'],
    ]);
    expect(rows(ws).map((x) => x.epochs_done)).toEqual([12, 1]);
  });

  it('SIGTERM: the web host that opens the workspace next trains the queued run', async () => {
    const ws = tempDir();
    const cli = await sweepUnderway(ws);
    cli.child.kill('SIGTERM');
    expect((await cli.done).code).toBe(130);
    const host = await startWebHost({ workspaceDir: ws, staticDir: tempDir() });
    try {
      await host.service.idle();
      expect(rows(ws).map(({ id, status }) => ({ id, status }))).toEqual([
        { id: 1, status: 'interrupted' },
        { id: 2, status: 'completed' },
      ]);
    } finally {
      await host.close();
    }
  });

  it('kill -9: runs list names the orphans; resume --all trains the interrupted run and the orphaned one', async () => {
    const ws = tempDir();
    const cli = await sweepUnderway(ws);
    const pid = cli.child.pid!;
    cli.child.kill('SIGKILL');
    expect((await cli.done).signal).toBe('SIGKILL');
    expect(rows(ws).map(({ id, status, pid: owner }) => ({ id, status, owner }))).toEqual([
      { id: 1, status: 'running', owner: pid },
      { id: 2, status: 'queued', owner: pid },
    ]);
    const listed = await runMain(['runs', 'list', '--workspace', ws, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toBe(`1 queued run was left by a process that is gone: run 2; 'sqs-workbench resume --all' trains it\n`);
    expect(JSON.parse(listed.stdout).rows.map((x: Row) => x.status)).toEqual(['queued', 'interrupted']);

    const resumed = await runCli(['resume', '--all', '--workspace', ws, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).runs.map((x: { status: string }) => x.status)).toEqual(['completed', 'completed']);
  });

  it('a queued run whose process is alive is left to it: resume --all skips it and resume refuses it', async () => {
    const ws = tempDir();
    expect((await runMain(['train', '--workspace', ws, '--d', '16', '--h', '16', '--epochs', '1', '--batch', '1024', '--json'])).code).toBe(0);
    // a run another live process queued: the row says so
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600_000)'], { stdio: 'ignore' });
    try {
      const db = new Database(join(ws, 'workspace.db'));
      db.prepare(`INSERT INTO runs (name, status, config, gate, seed, dataset, created_at, app_version, execution_provider, host, pid) SELECT 'theirs', 'queued', config, gate, seed, dataset, created_at, app_version, execution_provider, host, ? FROM runs WHERE id = 1`).run(owner.pid);
      db.close();
      const all = await runMain(['resume', '--all', '--workspace', ws, '--json']);
      expect(all.code, all.stderr).toBe(0);
      expect(JSON.parse(all.stdout)).toEqual({ runs: [] });
      const one = await runMain(['resume', '2', '--workspace', ws]);
      expect(one.code).toBe(1);
      expect(one.stderr).toBe(`run 2 is queued by process ${owner.pid} on ${rowHost(ws, 2)}, which will train it\n`);
    } finally {
      const gone = new Promise((done) => owner.once('exit', done));
      owner.kill('SIGKILL');
      await gone;
    }
    const listed = await runMain(['runs', 'list', '--workspace', ws]);
    expect(listed.stderr).toMatch(/^1 queued run was left by a process that is gone: run 2;/);
  });
});

function rowHost(ws: string, id: number): string {
  const db = new Database(join(ws, 'workspace.db'), { readonly: true });
  try {
    return db.prepare(`SELECT host FROM runs WHERE id = ?`).pluck().get(id) as string;
  } finally {
    db.close();
  }
}
