// A damaged workspace ends every command in one line, never a stack trace, and is left as it was:
// workspace.db of random bytes, zeros, cut short, a folder in its place, bytes flipped anywhere,
// a schema from a newer app, a config row that is not JSON; a read-only workspace (the commands
// that only read it still work); `serve` on such a workspace or on a port in use; and a run
// folder's config.json that is null, lacks a gate's parameters or holds a number for a dataset.
import Database from 'better-sqlite3';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunConfig } from '../../src-main/engine/train/run';
import { checkTrainConfig } from '../../src-main/common/train-config';
import { createRun, finishRun, markRunning } from '../../src-main/store/runs';
import { Workspace } from '../../src-main/store/workspace';
import { SCHEMA_VERSION } from '../../src-main/store/migrations';
import { tempDir, type CliResult } from '../helpers/cli';
import { seedRuns } from '../store/store-fixtures';
import { expectOneLine, snapshot } from './harness';
import { MOUNT_TESTS, tmpfs } from './mounts';
import { runMain } from './run-main';

const TINY = ['--d', '16', '--h', '16', '--batch', '1024', '--epochs', '1'];

/** Cases run, per kind of damage: the report counts them. */
const cases: Record<string, number> = {};
const count = (kind: string, n = 1) => (cases[kind] = (cases[kind] ?? 0) + n);
afterAll(() => console.log(`damaged-workspace cases: ${JSON.stringify(cases)}`));

const READS = (ws: string) => [
  ['runs', 'list', '--workspace', ws],
  ['runs', 'show', '1', '--workspace', ws],
  ['runs', 'diff', '1', '2', '--workspace', ws],
  ['runs', 'export-metrics', '1', '--workspace', ws],
];
const WRITES = (ws: string, folder: string) => [
  ['runs', 'tag', '1', 'x', '--workspace', ws],
  ['runs', 'note', '1', 'hello', '--workspace', ws],
  ['runs', 'delete', '1', '--workspace', ws],
  ['runs', 'import', folder, '--workspace', ws],
  ['resume', '--all', '--workspace', ws],
  ['train', ...TINY, '--workspace', ws],
];

/** A workspace of twelve runs (metrics, tags, a folder each), closed so that workspace.db is whole. */
function seeded(): string {
  const w = Workspace.open(tempDir('sqs-damaged-'));
  seedRuns(w);
  w.close();
  return w.dir;
}

/** The command failed in one line naming `what`, exit 1, and changed nothing in `ws`. */
async function refused(argv: string[], ws: string, what: RegExp): Promise<CliResult> {
  const before = snapshot(ws);
  const r = await runMain(argv);
  expectOneLine(r, 1, what);
  expect(snapshot(ws), argv.join(' ')).toEqual(before);
  return r;
}

describe('a damaged workspace.db', () => {
  let good: Buffer;
  let folder: string;
  beforeAll(async () => {
    good = readFileSync(join(seeded(), 'workspace.db'));
    folder = join(tempDir(), 'trained');
    expect((await runMain(['train', '--out', folder, ...TINY])).code).toBe(0);
  });

  /** A copy of the seeded workspace with workspace.db replaced by `bytes` (or a folder). */
  function damagedCopy(bytes: Buffer | 'folder'): string {
    const ws = tempDir('sqs-damaged-');
    mkdirSync(join(ws, 'runs'));
    if (bytes === 'folder') mkdirSync(join(ws, 'workspace.db'));
    else writeFileSync(join(ws, 'workspace.db'), bytes);
    return ws;
  }

  const random = (n: number, seed: number) => {
    const b = Buffer.alloc(n);
    let x = seed;
    for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    return b;
  };

  it('that cannot be opened stops every command, reading or writing, in one line', async () => {
    const variants: [string, Buffer | 'folder', RegExp][] = [
      ['random bytes', random(good.length, 1), /workspace\.db is not a workspace database \(it does not begin as an SQLite file does\): restore it from a backup, or move it aside/],
      ['a page of random bytes', random(4096, 2), /workspace\.db is not a workspace database/],
      ['zeros', Buffer.alloc(good.length), /workspace\.db is not a workspace database/],
      ['a folder', 'folder', /workspace\.db is a folder, not a database: move it aside and the workspace starts a new one/],
      ...[1, 16, 50, 99].map((n): [string, Buffer, RegExp] => [`its first ${n} bytes`, good.subarray(0, n), /workspace\.db is (not a workspace database|damaged)/]),
    ];
    for (const [what, bytes, message] of variants) {
      const ws = damagedCopy(bytes);
      for (const argv of [...READS(ws), ...WRITES(ws, folder)]) {
        await refused(argv, ws, message);
        count('unopenable workspace.db');
      }
      expect(what).toBeTruthy();
    }
  });

  it('cut short at any page, or with any header byte or every 211th byte flipped, is read or refused in one line, and left as it was', async () => {
    // every command that reads where the header is damaged; listing and showing elsewhere
    const variants: [Buffer, number][] = [];
    for (let n = 4096; n < good.length; n += 4096) variants.push([good.subarray(0, n), 4]);
    for (let i = 0; i < good.length; i += i < 100 ? 1 : 211) {
      const b = Buffer.from(good);
      b[i] ^= 0xff;
      variants.push([b, i < 100 ? 4 : 2]);
    }
    let refusedCount = 0;
    for (const [bytes, commands] of variants) {
      const ws = damagedCopy(bytes);
      for (const argv of READS(ws).slice(0, commands)) {
        const before = snapshot(ws);
        const r = await runMain(argv);
        const context = `${argv.join(' ')}: exit ${r.code}, ${r.stderr}`;
        if (r.code !== 0) {
          expectOneLine(r, 1, /workspace\.db (is not a workspace database|is damaged|has schema version)|does not exist in /);
          refusedCount++;
        } else expect(r.stderr, context).not.toMatch(/\n\s+at /);
        expect(snapshot(ws), context).toEqual(before);
        count('cut or flipped workspace.db');
      }
      rmSync(ws, { recursive: true, force: true });
    }
    expect(refusedCount).toBeGreaterThan(0);
  });

  it('from a newer app is refused by every command and by serve, untouched', async () => {
    const ws = seeded();
    const db = new Database(join(ws, 'workspace.db'));
    db.pragma('user_version = 99');
    db.close();
    const renderer = stubRenderer();
    for (const argv of [...READS(ws), ...WRITES(ws, folder), ['serve', '--port', '0', '--workspace', ws]]) {
      await withRenderer(renderer, () => refused(argv, ws, new RegExp(String.raw`workspace\.db has schema version 99, newer than this app understands \(${SCHEMA_VERSION}\); upgrade sqs-workbench to open it`)));
      count('newer schema');
    }
  });

  it('with a config that is not JSON names the run and the file', async () => {
    const ws = seeded();
    const db = new Database(join(ws, 'workspace.db'));
    db.pragma('ignore_check_constraints = ON');
    db.prepare(`UPDATE runs SET config = '{"gate": sq' WHERE id = 3`).run();
    db.prepare(`UPDATE runs SET config = 'null' WHERE id = 4`).run();
    db.close();
    await refused(['runs', 'list', '--workspace', ws], ws, /workspace\.db is damaged: run 4's config is not a JSON object; restore it from a backup/);
    await refused(['runs', 'show', '3', '--workspace', ws], ws, /workspace\.db is damaged: run 3's config is not valid JSON \(.*\); restore it from a backup/);
    await refused(['runs', 'diff', '1', '4', '--workspace', ws], ws, /run 4's config is not a JSON object/);
    count('config row', 3);
    const fine = await runMain(['runs', 'show', '1', '--workspace', ws]);
    expect(fine.code, fine.stderr).toBe(0);
  });
});

/** A stand-in for the built renderer: serve checks that there is one before it opens the workspace. */
function stubRenderer(): string {
  const dir = tempDir('sqs-renderer-');
  writeFileSync(join(dir, 'index.html'), '<!doctype html>\n');
  return dir;
}

async function withRenderer<T>(dir: string, f: () => Promise<T>): Promise<T> {
  const before = process.env.SQS_WORKBENCH_RENDERER;
  process.env.SQS_WORKBENCH_RENDERER = dir;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.SQS_WORKBENCH_RENDERER;
    else process.env.SQS_WORKBENCH_RENDERER = before;
  }
}

describe('serve', () => {
  it('on a damaged workspace, or on a port another program holds, says so in one line', async () => {
    const renderer = stubRenderer();
    const ws = tempDir();
    writeFileSync(join(ws, 'workspace.db'), Buffer.alloc(8192, 7));
    await withRenderer(renderer, () => refused(['serve', '--port', '0', '--workspace', ws], ws, /workspace\.db is not a workspace database/));

    const taken = createServer();
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    const port = (taken.address() as AddressInfo).port;
    try {
      const fresh = tempDir();
      await withRenderer(renderer, () => refused(['serve', '--port', String(port), '--workspace', fresh], fresh, new RegExp(`^port ${port} on 127\\.0\\.0\\.1 is already in use; choose another with --port, or --port 0 for any free one\\n$`)));
    } finally {
      await new Promise((ok) => taken.close(ok));
    }
    count('serve', 2);
  });
});

describe.skipIf(!MOUNT_TESTS)('a read-only workspace', () => {
  it('answers every command that only reads it, as a writable one does, and refuses the others in one line', async () => {
    const original = seeded();
    const answers: CliResult[] = [];
    for (const argv of READS(original)) answers.push(await runMain(argv));
    expect(answers.map((a) => a.code)).toEqual([0, 0, 0, 0]);

    const fs = tmpfs(4096);
    try {
      const ws = join(fs.dir, 'ws');
      cpSync(original, ws, { recursive: true });
      fs.readOnly();
      const reads = READS(ws);
      for (let i = 0; i < reads.length; i++) {
        const r = await runMain(reads[i]);
        expect({ ...r, stdout: r.stdout.replaceAll(ws, original) }, reads[i].join(' ')).toEqual(answers[i]);
        count('read-only workspace');
      }
      const trained = join(tempDir(), 'trained');
      cpSync(original, trained, { recursive: true });
      const others = [
        ['runs', 'untag', '1', 'even'],
        ['runs', 'rename', '1', 'renamed'],
        ['cancel', '12'],
        ['analyze', '1'],
        ['export', 'atlas', '1', '--format', 'svg', '--out', join(tempDir(), 'atlas')],
        ['serve', '--port', '0'],
      ].map((argv) => [...argv, '--workspace', ws]);
      for (const argv of [...WRITES(ws, join(trained, 'runs', '1')), ...others]) {
        await withRenderer(stubRenderer(), () =>
          refused(argv, ws, new RegExp(`^workspace ${ws} cannot be changed \\(read-only file system\\); commands that only read it \\(runs list, show, diff, export-metrics, compare-features\\) still work\\n$`)),
        );
        count('read-only workspace');
      }
    } finally {
      fs.release();
    }
  });
});

describe('a run folder whose config.json is damaged', () => {
  let trained: string;
  beforeAll(async () => {
    trained = join(tempDir(), 'sqs-run');
    expect((await runMain(['train', '--out', trained, ...TINY, '--gate', 'sqs'])).code).toBe(0);
  });

  const stored = () => JSON.parse(readFileSync(join(trained, 'config.json'), 'utf8')) as Record<string, unknown>;
  const without = (key: string) => Object.fromEntries(Object.entries(stored()).filter(([k]) => k !== key));
  const variants = (): [string, string | null, RegExp][] => [
    ['null', 'null', /config\.json: must hold a JSON object \(the run's config\), not null/],
    ['a list', '[]', /config\.json: must hold a JSON object \(the run's config\), not a list/],
    ['text', '"sqs"', /config\.json: must hold a JSON object \(the run's config\), not string/],
    ['not JSON', '{"gate": "sqs",', /config\.json: not valid JSON/],
    ['missing', null, /config\.json: missing \(is .* a run folder\?\)/],
    ['an SQS run without its parameters', JSON.stringify(without('sqs')), /config\.json: sqs: required: the sqs gate's parameters \{c, lambda, p\}/],
    ['a number for its dataset', JSON.stringify({ ...stored(), dataset: 3 }), /config\.json: dataset: must be one of digits, fashion-mnist, idx:<dir>/],
    ['text for its width', JSON.stringify({ ...stored(), d: 'wide' }), /config\.json: d: 'wide' is not a number/],
    ['a gate parameter of text', JSON.stringify({ ...stored(), sqs: { c: 'a', lambda: 1, p: 2 } }), /config\.json: sqs\.c: 'a' is not a number/],
    ['no gate', JSON.stringify(without('gate')), /config\.json: gate: missing is not one of bilinear, sqs/],
  ];

  it('is refused by runs import (exit 2) and by resume (exit 1), naming the file and the field', async () => {
    for (const [what, text, message] of variants()) {
      // runs import: a folder trained elsewhere
      const copy = join(tempDir(), 'damaged');
      cpSync(trained, copy, { recursive: true });
      if (text === null) rmSync(join(copy, 'config.json'));
      else writeFileSync(join(copy, 'config.json'), text);
      const ws = tempDir();
      const r = await runMain(['runs', 'import', copy, '--workspace', ws]);
      expectOneLine(r, 2, message);
      expect(r.stderr, what).toContain(join(copy, 'config.json'));
      count('run folder config.json');

      // resume: the same folder as an interrupted run of the workspace
      const w = Workspace.open(ws);
      const id = createRun(w, { config: readRunConfig(trained, checkTrainConfig) });
      markRunning(w, id);
      finishRun(w, id, 'interrupted');
      w.close();
      cpSync(copy, join(ws, 'runs', String(id)), { recursive: true });
      await refused(['resume', String(id), '--workspace', ws], ws, message);
      count('run folder config.json');
      expect(statSync(join(ws, 'runs', String(id))).isDirectory()).toBe(true);
    }
  });
});
