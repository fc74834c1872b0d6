// A full disk ends every writer in one line, exit 1, with nothing half-written: an analysis is
// written whole or not at all (a previous one stays), an atlas export leaves no staging folder,
// training leaves complete files and a database that opens, and tags and notes change nothing.
// The disk is a small tmpfs filled to the last byte and then given back a few kilobytes at a time.
import Database from 'better-sqlite3';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli';
import { expectOneLine, snapshot } from './harness';
import { fill, MOUNT_TESTS, tmpfs, type Mounted } from './mounts';
import { runMain } from './run-main';

const TINY = ['--d', '16', '--h', '16', '--batch', '1024'];

const cases: Record<string, number> = {};
const count = (kind: string) => (cases[kind] = (cases[kind] ?? 0) + 1);
afterAll(() => console.log(`disk-full cases: ${JSON.stringify(cases)}`));

/** Every path under `dir` (relative), for spotting what a failure left behind. */
function paths(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

/** Nothing temporary left: no `.tmp-<pid>` file, no `.analysis-`, `.partial-` or `.importing-` folder. */
const STAGING = /\.tmp-\d+$|(^|\/)\.(analysis-|.*\.partial-|importing-)/;

describe.skipIf(!MOUNT_TESTS)('a full disk', () => {
  let trained: string;
  beforeAll(async () => {
    trained = join(tempDir(), 'trained');
    expect((await runMain(['train', '--out', trained, ...TINY, '--epochs', '1'])).code).toBe(0);
  });

  /** A tmpfs holding a copy of the trained run folder, then filled but for `freeKb`. */
  function fullDiskWith(freeKb: number, prepare: (disk: Mounted) => void = (d) => cpSync(trained, join(d.dir, 'run'), { recursive: true })): Mounted {
    const disk = tmpfs(2048);
    prepare(disk);
    fill(join(disk.dir, 'filler'), freeKb);
    return disk;
  }

  it('analyze writes the analysis whole or not at all, and a new one that does not fit leaves the old one', async () => {
    // the analysis of this run takes about 140 kB: none of these fit
    for (const free of [0, 4, 24, 72, 128]) {
      const disk = fullDiskWith(free);
      try {
        const run = join(disk.dir, 'run');
        const before = snapshot(run);
        expectOneLine(await runMain(['analyze', run, '--top-k', '4']), 1, new RegExp(`^cannot write ${run}/analysis: no space left on the device\\n$`));
        expect(snapshot(run), `${free} kB free`).toEqual(before);
        count('analyze');
      } finally {
        disk.release();
      }
    }
    // with one analysis there, a second (more eigenvectors) does not fit: the first stays whole
    const roomy = tmpfs(2048);
    try {
      const run = join(roomy.dir, 'run');
      cpSync(trained, run, { recursive: true });
      expect((await runMain(['analyze', run, '--top-k', '4'])).code).toBe(0);
      fill(join(roomy.dir, 'filler'), 40);
      const before = snapshot(run);
      expectOneLine(await runMain(['analyze', run, '--top-k', '10']), 1, /cannot write .*\/run\/analysis: no space left on the device/);
      expect(snapshot(run)).toEqual(before);
      count('analyze');
    } finally {
      roomy.release();
    }
  });

  it('export atlas leaves no staging folder and no output', async () => {
    const analysed = join(tempDir(), 'analysed');
    cpSync(trained, analysed, { recursive: true });
    expect((await runMain(['analyze', analysed, '--top-k', '4'])).code).toBe(0);
    for (const [format, free] of [['svg', 0], ['svg', 16], ['html', 8], ['pdf', 24]] as const) {
      const disk = fullDiskWith(free, () => {});
      try {
        const out = join(disk.dir, 'atlas');
        const r = await runMain(['export', 'atlas', analysed, '--format', format, '--out', out, '--classes', '0,1']);
        expect(r.code, r.stderr).not.toBe(0);
        expectOneLine(r, 1, new RegExp(`^cannot write the export to ${disk.dir}: no space left on the device\\n$`));
        expect(paths(disk.dir), `${format}, ${free} kB free`).toEqual(['filler']);
        count('export atlas');
      } finally {
        disk.release();
      }
    }
  });

  it('train stops in one line, exit 1, leaving whole files and a workspace that opens', async () => {
    // from a disk too full to open the workspace to one that holds a few epochs
    for (const free of [0, 16, 48, 96, 160, 256, 400]) {
      const disk = tmpfs(2048);
      try {
        const ws = join(disk.dir, 'ws');
        expect((await runMain(['train', '--workspace', ws, ...TINY, '--epochs', '1'])).code).toBe(0);
        fill(join(disk.dir, 'filler'), free);
        const r = await runMain(['train', '--workspace', ws, ...TINY, '--epochs', '6', '--seed', '1']);
        const context = `${free} kB free: exit ${r.code}, ${r.stderr}`;
        // the epochs that fitted are reported as they end; then one line says why training stopped
        // (and, when the workspace could not record that either, says so after the cause)
        expectOneLine({ ...r, stderr: r.stderr.replace(/^epoch \d+\/6 .*\n/gm, '') }, 1, /^training failed: cannot write .*: no space left on the device( \(and the workspace could not record it: cannot write .*workspace\.db: no space left on the device\))?\n$|^cannot write .*workspace\.db: no space left on the device\n$/);
        rmSync(join(disk.dir, 'filler')); // room again, to look at what is left
        expect(paths(ws).filter((p) => STAGING.test(p)), context).toEqual([]);
        for (const run of readdirSync(join(ws, 'runs'))) {
          const metrics = join(ws, 'runs', run, 'metrics.jsonl');
          if (existsSync(metrics)) for (const line of readFileSync(metrics, 'utf8').split('\n').filter(Boolean)) expect(() => JSON.parse(line), context).not.toThrow();
        }
        const db = new Database(join(ws, 'workspace.db'), { readonly: true });
        expect(db.pragma('integrity_check', { simple: true }), context).toBe('ok');
        const rows = db.prepare(`SELECT id, status FROM runs ORDER BY id`).all() as { id: number; status: string }[];
        db.close();
        expect(rows[0], context).toEqual({ id: 1, status: 'completed' });
        // failed, or, where not even that could be written (said in the message), still 'running' under
        // this process: the workspace's next opening by another process marks such a run interrupted
        const unrecorded = /could not record it/.test(r.stderr);
        expect(rows.slice(1).every((x) => x.status === 'failed' || (unrecorded && x.status === 'running')), context).toBe(true);
        count('train');
      } finally {
        disk.release();
      }
    }
  });

  it('train --out stops in one line, exit 1, and leaves no folder before its first epoch', async () => {
    for (const free of [0, 16, 96]) {
      const disk = tmpfs(2048);
      try {
        fill(join(disk.dir, 'filler'), free);
        const out = join(disk.dir, 'run');
        const r = await runMain(['train', '--out', out, ...TINY, '--epochs', '3']);
        expectOneLine({ ...r, stderr: r.stderr.replace(/^epoch \d+\/3 .*\n/gm, '') }, 1, new RegExp(`^cannot write ${out}/[a-z.]+: no space left on the device\\n$`));
        expect(paths(disk.dir), `${free} kB free`).toEqual(['filler']);
        count('train --out');
      } finally {
        disk.release();
      }
    }
  });

  it('runs tag and runs note change nothing', async () => {
    const disk = tmpfs(2048);
    try {
      const ws = join(disk.dir, 'ws');
      expect((await runMain(['train', '--workspace', ws, ...TINY, '--epochs', '1'])).code).toBe(0);
      fill(join(disk.dir, 'filler'), 0);
      for (const argv of [
        ['runs', 'tag', '1', 'paper', 'final'],
        ['runs', 'note', '1', 'a note that does not fit'],
        ['runs', 'rename', '1', 'renamed'],
      ]) {
        const before = snapshot(ws);
        expectOneLine(await runMain([...argv, '--workspace', ws]), 1, /workspace\.db: no space left on the device|cannot be (opened|changed).*no space left on the device/);
        expect(snapshot(ws), argv.join(' ')).toEqual(before);
        count('runs tag, note, rename');
      }
    } finally {
      disk.release();
    }
  });
});
