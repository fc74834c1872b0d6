// `sqs-workbench runs …` called in-process: tables for people, JSON for programs, and every bad
// input a one-line error that changes nothing: a UsageError for the command line, else the api
// service's error with its code.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runsCommand } from '../../src-main/hosts/cli/runs-command';
import { UsageError } from '../../src-main/hosts/cli/usage';
import { ApiError, type ApiErrorCode } from '../../src-main/common/contract';
import type { Workspace } from '../../src-main/store/workspace';
import { dump, seedRuns, tempWorkspace, type Seeded } from './store-fixtures';

let ws: Workspace;
let seeded: Seeded[];

beforeEach(() => {
  ws = tempWorkspace();
  seeded = seedRuns(ws);
});
afterEach(() => {
  ws.close();
  vi.restoreAllMocks();
});

/** Runs the command against the fixture workspace; returns the exit code and stdout. */
async function runs(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    const code = await runsCommand([...args, '--workspace', ws.dir]);
    return { code, out };
  } finally {
    vi.restoreAllMocks();
  }
}
const json = async (...args: string[]) => {
  const r = await runs(...args, '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
};

/** A usage error, or the service's refusal with this code. */
type Refusal = typeof UsageError | ApiErrorCode;

async function fails(args: string[], err: Refusal, re: RegExp): Promise<void> {
  const before = dump(ws);
  const e = await runs(...args).then(
    () => null,
    (x: unknown) => x,
  );
  if (typeof err === 'string') {
    expect(e, `runs ${args.join(' ')}`).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe(err);
  } else expect(e, `runs ${args.join(' ')}`).toBeInstanceOf(err);
  expect((e as Error).message).toMatch(re);
  expect((e as Error).message).not.toMatch(/\n/);
  expect(dump(ws)).toBe(before);
}

describe('runs list', () => {
  it('filters, tags, status, sort (with a leading dash) and pages, as JSON', async () => {
    const r = await json('list', '--filter', 'gate=sqs', '--filter', 'config.wd<1', '--tag', 'paper', '--status', 'completed', '--sort', '-test_accuracy', '--limit', '2');
    const want = seeded.filter((s) => s.config.gate === 'sqs' && s.config.wd < 1).sort((a, b) => b.records[2].test_accuracy - a.records[2].test_accuracy);
    expect(r.total).toBe(want.length);
    expect(r.rows.map((x: { id: number }) => x.id)).toEqual(want.slice(0, 2).map((s) => s.id));
    expect(r.rows[0].tags).toContain('paper');
    expect(r).toMatchObject({ offset: 0, limit: 2 });
    const next = await json('list', '--sort=-test_accuracy', '--filter=gate=sqs', '--filter=config.wd<1', '--limit', '2', '--offset', '2');
    expect(next.rows.map((x: { id: number }) => x.id)).toEqual(want.slice(2, 4).map((s) => s.id));
  });

  it('prints a table with a header, one line per run and where the page stands', async () => {
    const { code, out } = await runs('list', '--filter', 'seed=0', '--limit', '2');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+status\s+gate\s+seed\s+epochs\s+test_acc\s+test_loss\s+train_loss\s+created\s+tags$/);
    expect(lines[1]).toMatch(/^ 9\s+swiglu-s0-9\s+completed\s+swiglu\s+0\s+3\s+0\.\d{4}/);
    expect(lines[3]).toBe('runs 1–2 of 3; --offset 2 for more');
    expect((await runs('list', '--tag', 'nobody')).out).toBe('no runs of 0 match\n');
    await runs('tag', '2', 'say "hi", \'you\'');
    expect((await json('list', '--tag', 'say "hi", \'you\'')).rows.map((r: { id: number }) => r.id)).toEqual([2]);
  });

  it('groups with counts and mean ± std', async () => {
    const r = await json('list', '--group-by', 'gate');
    expect(r.group_by).toBe('gate');
    expect(r.groups.map((g: { key: string; count: number }) => [g.key, g.count])).toEqual([['bilinear', 4], ['sqs', 4], ['swiglu', 4]]);
    const { out } = await runs('list', '--group-by', 'config.wd', '--filter', 'seed<2');
    expect(out.split('\n')[0]).toMatch(/^config\.wd\s+runs\s+train_loss \(mean ± std\)/);
    expect(out).toMatch(/\n0\.1\s+\d+\s+0\.\d{4} ± 0\.\d{4}/);
  });
});

describe('runs show and diff', () => {
  it('shows one run', async () => {
    const s = seeded[5];
    const d = await json('show', String(s.id));
    expect(d.run.config).toEqual(s.config);
    expect(d.tags).toEqual(['paper']);
    const { out } = await runs('show', String(s.id));
    expect(out).toMatch(new RegExp(`^run ${s.id}: sqs-s1-${s.id}\n`));
    expect(out).toMatch(/\n  sqs\.c\s+0\.05\n/);
    expect(out).toMatch(/\n  test_accuracy\s+\d+ *\n|\n  test_accuracy\s+0\.\d{4}\n/);
    // a gate's parameters only for that gate
    expect((await runs('show', String(seeded[0].id))).out).not.toMatch(/sqs\./);
  });

  it('diffs two runs: differing config keys and final metrics', async () => {
    const d = await json('diff', '1', '2');
    expect(d.config.map((c: { key: string }) => c.key)).toEqual(['seed', 'wd']);
    const { out } = await runs('diff', '1', '2');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/run 1 \(bilinear-s0-1\)\s+run 2 \(bilinear-s1-2\)/);
    expect(lines[1]).toMatch(/^config\.seed\s+0\s+1$/);
    expect(lines.slice(3).map((l) => l.split(/\s+/)[0])).toEqual(['train_loss', 'test_loss', 'test_accuracy']);
  });
});

describe('runs edits', () => {
  it('tags, untags, notes, renames and deletes', async () => {
    expect((await runs('tag', '3', 'keep', 'paper')).out).toBe('tagged run 3: keep, paper\n');
    expect((await runs('tag', '3', 'keep')).out).toBe('tagged run 3: (nothing) (already had: keep)\n');
    expect(await json('untag', '3', 'keep', 'nope')).toEqual({ run_id: 3, removed: ['keep'] });
    expect((await runs('note', '3', 'looks', 'fine')).out).toMatch(/^added note \d+ to run 3\n$/);
    expect((await runs('rename', '3', 'the', 'best')).out).toBe("renamed run 3 to 'the best'\n");
    const d = await json('show', '3');
    expect(d).toMatchObject({ tags: ['even', 'paper'], notes: [{ body: 'looks fine' }] });
    expect(d.run.name).toBe('the best');
    expect((await runs('delete', '3', '4')).out).toBe('deleted runs 3, 4\n');
    expect(existsSync(ws.runDir(3)) || existsSync(ws.runDir(4))).toBe(false);
    expect((await json('list')).total).toBe(10);
  });

  it('applies all tags or none', async () => {
    await fails(['tag', '3', 'good', ''], 'bad_request', /tag: '' is empty/);
    await fails(['tag', '3', 'good', 'x'.repeat(65)], 'bad_request', /too long \(65 characters\)/);
  });

  it('deletes all the runs named or none', async () => {
    await fails(['delete', '1', '999', '2'], 'not_found', /run 999 does not exist/);
  });
});

describe('runs export-metrics', () => {
  it('prints CSV by default and JSON on request, or writes a file', async () => {
    const csv = (await runs('export-metrics', '1', '2', '--names', 'test_accuracy,test_loss')).out;
    expect(csv.split('\n')[0]).toBe('run_id,name,step,epoch,value');
    expect(csv.trimEnd().split('\n')).toHaveLength(1 + 2 * 2 * 3);
    const rows = JSON.parse((await runs('export-metrics', '1', '--format', 'json')).out);
    expect(rows).toHaveLength(15);
    const file = join(mkdtempSync(join(tmpdir(), 'sqs-export-')), 'm.csv');
    expect((await runs('export-metrics', '2', '--out', file)).out).toMatch(/wrote the metrics of 1 run to/);
    expect(readFileSync(file, 'utf8').split('\n')[1]).toMatch(/^2,lr,10,1,/);
  });
});

describe('bad input: one line, a known error, nothing changed', () => {
  const cases: [string[], Refusal, RegExp][] = [
    [['bogus'], UsageError, /runs: unknown command 'bogus'; commands: list, show/],
    [['list', '--bogus'], UsageError, /runs list: unknown flag '--bogus' \(usage: runs list/],
    [['list', '--json=yes'], UsageError, /runs list: --json takes no value/],
    [['list', 'extra'], UsageError, /runs list: expected 0 arguments, got 1/],
    [['show'], UsageError, /runs show: expected 1 argument, got 0 \(usage: runs show <id> \[--json\]\)/],
    [['show', 'abc'], UsageError, /'abc' is not a run id \(a positive integer\)/],
    [['show', '0'], UsageError, /'0' is not a run id/],
    [['diff', '1'], UsageError, /expected 2 arguments/],
    [['tag', '1'], UsageError, /expected at least 2 arguments/],
    [['list', '--limit', '0'], UsageError, /--limit: 0 is out of range: must be an integer from 1 to 10000/],
    [['list', '--offset', '-1'], UsageError, /--offset: -1 is out of range/],
    [['list', '--tag', ''], 'bad_request', /filter 'tag=""': a tag has 1 to 64 characters/],
    [['list', '--status', 'done'], UsageError, /--status: 'done' is not one of queued, running/],
    [['list', '--filter'], UsageError, /runs list: --filter: missing value \(usage: runs list/],
    [['list', '--filter', 'nope=1'], 'bad_request', /unknown field 'nope'/],
    [['list', '--filter', 'gate sqs'], 'bad_request', /malformed/],
    [['list', '--sort', '-nope'], 'bad_request', /--sort '-nope': unknown field/],
    [['list', '--group-by', 'tag'], 'bad_request', /cannot be grouped by tag/],
    [['show', '999'], 'not_found', /run 999 does not exist/],
    [['diff', '1', '999'], 'not_found', /run 999/],
    [['untag', '999', 'x'], 'not_found', /run 999/],
    [['rename', '1', ''], 'bad_request', /name: '' is empty/],
    [['note', '999', 'x'], 'not_found', /run 999/],
    [['export-metrics', '1', '--format', 'xml'], UsageError, /--format: 'xml' is not one of csv, json/],
    [['export-metrics', '1', '--names', 'a,,b'], UsageError, /--names: 'a,,b' has an empty name/],
    [['export-metrics', '1', '998'], 'not_found', /run 998/],
    [['show', '1', '--filter', 'x=1'], UsageError, /runs show: unknown flag '--filter'/],
  ];
  it.each(cases)('runs %j', async (args, err, re) => fails(args, err, re));

  it('names a folder without a workspace instead of creating one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sqs-empty-'));
    await expect(runsCommand(['list', '--workspace', empty])).rejects.toMatchObject({ code: 'not_found' });
    await expect(runsCommand(['list', '--workspace', empty])).rejects.toThrow(/no workspace at .*sqs-empty-.* \(no workspace\.db there\)/);
    expect(existsSync(join(empty, 'workspace.db'))).toBe(false);
  });

  it('prints help', async () => {
    const { code, out } = await runs('--help');
    expect(code).toBe(0);
    expect(out).toMatch(/^usage: sqs-workbench runs <command>/);
    expect((await runs('list', '--help')).out).toMatch(/^usage: sqs-workbench runs list \[--filter EXPR\]/);
  });
});
