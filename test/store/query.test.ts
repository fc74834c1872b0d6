// Filters, sorting, pages and group-by statistics, each checked against the same question
// answered in plain JS over every run; bad queries throw QueryError and touch nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupRuns, listRuns, QueryError } from '../../src-main/store/query';
import type { Workspace } from '../../src-main/store/workspace';
import { allRuns, dump, meanStd, seedRuns, tempWorkspace } from './store-fixtures';

let ws: Workspace;
let runs: ReturnType<typeof allRuns>;

beforeAll(() => {
  ws = tempWorkspace();
  seedRuns(ws);
  runs = allRuns(ws);
});
afterAll(() => ws.close());

type R = (typeof runs)[number];
const ids = (rs: { id: number }[]) => rs.map((r) => r.id);
const byIdDesc = (a: R, b: R) => b.id - a.id;
const listed = (filters: string[]) => listRuns(ws, { filters, limit: 10_000 });

describe('filters', () => {
  const cases: [string[], (r: R) => boolean][] = [
    [['gate=sqs'], (r) => r.gate === 'sqs'],
    [['gate!=sqs'], (r) => r.gate !== 'sqs'],
    [['status=queued'], (r) => r.status === 'queued'],
    [['test_accuracy>=0.9'], (r) => r.test_accuracy !== null && r.test_accuracy >= 0.9],
    [['test_accuracy<0.9'], (r) => r.test_accuracy !== null && r.test_accuracy < 0.9],
    [['test_loss > 0.1', 'test_loss <= 0.2'], (r) => r.test_loss !== null && r.test_loss > 0.1 && r.test_loss <= 0.2],
    [['seed<=1'], (r) => r.seed <= 1],
    [[' seed >= 2 '], (r) => r.seed >= 2],
    [['id=3'], (r) => r.id === 3],
    [['epochs_done=3'], (r) => r.epochs_done === 3],
    [['config.wd<0.5'], (r) => r.config.wd < 0.5],
    [['config.wd=0.5'], (r) => r.config.wd === 0.5],
    [['config.sqs.c>0.02'], (r) => r.config.sqs.c > 0.02],
    [['config.gate=swiglu'], (r) => r.config.gate === 'swiglu'],
    [['config.dataset="digits"'], (r) => r.config.dataset === 'digits'],
    [['config.missing_key=null'], () => true],
    [['tag=even'], (r) => r.tags.includes('even')],
    [['tag=paper', 'seed=0'], (r) => r.tags.includes('paper') && r.seed === 0],
    [['tag=nobody'], () => false],
    [['name~SQS'], (r) => r.name.toLowerCase().includes('sqs')],
    [["name='sqs-s0-5'"], (r) => r.name === 'sqs-s0-5'],
    [['config.dataset~dig'], (r) => r.config.dataset.includes('dig')],
    [['test_accuracy=null'], (r) => r.test_accuracy === null],
    [['test_accuracy!=null'], (r) => r.test_accuracy !== null],
    [['test_accuracy!=0.5'], () => true],
    [['gate=sqs', 'config.wd<0.5', 'tag=even'], (r) => r.gate === 'sqs' && r.config.wd < 0.5 && r.tags.includes('even')],
  ];
  it.each(cases)('%j selects the same runs as the JS predicate', (filters, keep) => {
    const want = runs.filter(keep).sort(byIdDesc);
    const got = listed(filters);
    expect(ids(got.rows)).toEqual(ids(want));
    expect(got.total).toBe(want.length);
  });

  it('returns whole runs with their config parsed and their tags', () => {
    const { rows } = listRuns(ws, { filters: ['tag=paper', 'seed=0'] });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(runs.find((r) => r.id === rows[0].id));
    expect(rows[0].tags).toEqual(['even', 'paper']);
    expect(rows[0].config.gate).toBe('sqs');
  });

  it('gives each run its newest note (by time, then by id) and how many it has', () => {
    const note = ws.db.prepare(`INSERT INTO notes (run_id, body, created_at) VALUES (?, ?, ?)`);
    const [a, b] = [runs[1].id, runs[4].id];
    note.run(a, 'later, written first', 200);
    note.run(a, 'earlier', 100);
    note.run(b, 'same time, first', 50);
    note.run(b, 'same time, second', 50);
    const got = listed([]).rows;
    expect(got.find((r) => r.id === a)).toMatchObject({ note_count: 2, latest_note: { body: 'later, written first', created_at: 200 } });
    expect(got.find((r) => r.id === b)).toMatchObject({ note_count: 2, latest_note: { body: 'same time, second', created_at: 50 } });
    expect(got.filter((r) => r.note_count === 0).every((r) => r.latest_note === null)).toBe(true);
    expect([...got].sort((x, y) => x.id - y.id)).toEqual(allRuns(ws));
    ws.db.prepare(`DELETE FROM notes WHERE run_id IN (?, ?)`).run(a, b);
  });

  it('treats values as data, never as SQL', () => {
    const before = dump(ws);
    expect(listed(["name=x' OR 1=1 --"]).total).toBe(0);
    expect(listed(['name=1; DROP TABLE runs']).total).toBe(0);
    expect(listed(["config.gate=x') OR 1=1 --"]).total).toBe(0);
    expect(dump(ws)).toBe(before);
  });
});

describe('sorting and pages', () => {
  const val = (r: R, f: string): number => (f === 'config.wd' ? r.config.wd : ((r as unknown as Record<string, number | null>)[f] ?? -Infinity));
  it.each(['-test_accuracy', 'test_accuracy', 'seed', '-seed', 'config.wd', '-config.wd', 'test_loss', '+epochs_done'])('sorts by %s, ties newest first', (sort) => {
    const desc = sort.startsWith('-');
    const f = sort.replace(/^[-+]/, '');
    const want = [...runs].sort((a, b) => (desc ? val(b, f) - val(a, f) : val(a, f) - val(b, f)) || b.id - a.id);
    expect(ids(listRuns(ws, { sort, limit: 100 }).rows)).toEqual(ids(want));
  });

  it('sorts by text and by id, newest first by default', () => {
    expect(listRuns(ws, { sort: 'name', limit: 100 }).rows.map((r) => r.name)).toEqual(runs.map((r) => r.name).sort());
    expect(ids(listRuns(ws, { sort: 'id' }).rows)).toEqual(ids(runs));
    expect(ids(listRuns(ws).rows)).toEqual(ids(runs).reverse());
  });

  it('pages through a sorted, filtered list without gaps or repeats', () => {
    const q = { filters: ['seed!=3'], sort: '-test_accuracy' };
    const whole = listRuns(ws, { ...q, limit: 100 });
    const pages = [0, 4, 8].map((offset) => listRuns(ws, { ...q, limit: 4, offset }));
    expect(pages.map((p) => p.total)).toEqual([9, 9, 9]);
    expect(pages.flatMap((p) => ids(p.rows))).toEqual(ids(whole.rows));
    expect(pages[2].rows).toHaveLength(1);
    expect(listRuns(ws, { ...q, offset: 50 })).toEqual({ total: 9, rows: [] });
  });
});

describe('group-by', () => {
  const metrics = ['test_accuracy', 'test_loss', 'train_loss'] as const;
  function expected(rs: R[], key: (r: R) => string | number) {
    const keys = [...new Set(rs.map(key))].sort((a, b) => (a < b ? -1 : 1));
    return keys.map((k) => {
      const g = rs.filter((r) => key(r) === k);
      return { key: k, count: g.length, ...Object.fromEntries(metrics.map((m) => [m, meanStd(g.map((r) => r[m]).filter((v): v is number => v !== null))])) };
    });
  }
  function close(got: ReturnType<typeof groupRuns>, want: ReturnType<typeof expected>) {
    expect(got.map((g) => [g.key, g.count])).toEqual(want.map((g) => [g.key, g.count]));
    got.forEach((g, i) => {
      for (const m of metrics) {
        const w = (want[i] as unknown as Record<string, ReturnType<typeof meanStd>>)[m];
        expect(g[m].n).toBe(w.n);
        if (w.mean === null) expect(g[m]).toEqual({ mean: null, std: null, n: 0 });
        else {
          expect(g[m].mean).toBeCloseTo(w.mean, 12);
          expect(g[m].std).toBeCloseTo(w.std!, 9);
        }
      }
    });
  }

  it('counts and mean ± sample std of the final metrics per gate match JS', () => {
    close(groupRuns(ws, {}, 'gate'), expected(runs, (r) => r.gate));
  });

  it('groups by a config key, under filters', () => {
    close(groupRuns(ws, { filters: ['seed<=2'] }, 'config.wd'), expected(runs.filter((r) => r.seed <= 2), (r) => r.config.wd));
    close(groupRuns(ws, { filters: ['tag=paper'] }, 'seed'), expected(runs.filter((r) => r.tags.includes('paper')), (r) => r.seed));
  });

  it('gives std 0 for one run and nulls for a group without the metric', () => {
    const groups = groupRuns(ws, {}, 'status');
    const queued = groups.find((g) => g.key === 'queued')!;
    expect(queued.count).toBe(1);
    expect(queued.test_accuracy).toEqual({ mean: null, std: null, n: 0 });
    const one = groupRuns(ws, { filters: ['id=1'] }, 'gate');
    expect(one[0].test_accuracy.std).toBe(0);
    expect(groupRuns(ws, { filters: ['tag=nobody'] }, 'gate')).toEqual([]);
  });
});

describe('bad queries', () => {
  const bad: [() => unknown, RegExp][] = [
    [() => listed(['foo=1']), /filter 'foo=1': unknown field 'foo'; fields: id, name, .*config\.<key>/],
    [() => listed(['gate']), /filter 'gate': malformed; expected <field><op><value> with op one of = != < <= > >= ~/],
    [() => listed(['gate sqs']), /malformed/],
    [() => listed(['=sqs']), /malformed/],
    [() => listed(['']), /malformed/],
    [() => listed(['gate=']), /missing value/],
    [() => listed(["name='abc"]), /unclosed quote/],
    [() => listed(['seed=abc']), /seed is a number and 'abc' is not one/],
    [() => listed(["seed='1'"]), /seed is a number, not text/],
    [() => listed(['test_accuracy>=1e400']), /filter 'test_accuracy>=1e400': 1e400 is not a finite number/],
    [() => listed(['config.lr<-1e999']), /-1e999 is not a finite number/],
    [() => listed(['seed~1']), /~ \(substring\) applies to text fields/],
    [() => listed(['tag>x']), /tags can only be matched with =/],
    [() => listed(['tag!=x']), /tags can only be matched with =/],
    [() => listed(['tag=']), /missing value/],
    [() => listed(["tag=''"]), /a tag has 1 to 64 characters/],
    [() => listed([`tag=${'t'.repeat(65)}`]), /a tag has 1 to 64 characters/],
    [() => listed(['config=1']), /'config' is not a config key/],
    [() => listed(['config.=1']), /is not a config key/],
    [() => listed(['config.1x=1']), /is not a config key/],
    [() => listed(['config.wd); DROP TABLE runs; --<1']), /malformed|not a config key/],
    [() => listed(['gate=sqs2']), /'sqs2' is not a gate; one of bilinear, sqs/],
    [() => listed(['status=done']), /'done' is not a status/],
    [() => listed(['test_accuracy>null']), /null can only be compared with = or !=/],
    [() => listRuns(ws, { sort: 'foo' }), /--sort 'foo': unknown field 'foo'/],
    [() => listRuns(ws, { sort: '-tag' }), /cannot be sorted by tag/],
    [() => listRuns(ws, { limit: 0 }), /limit 0 is out of range: must be an integer from 1 to 10000/],
    [() => listRuns(ws, { limit: 10_001 }), /limit 10001 is out of range/],
    [() => listRuns(ws, { limit: 1.5 }), /limit 1.5 is out of range/],
    [() => listRuns(ws, { offset: -1 }), /offset -1 is out of range/],
    [() => groupRuns(ws, {}, 'tag'), /cannot be grouped by tag/],
    [() => groupRuns(ws, {}, 'nope'), /--group-by 'nope': unknown field/],
    [() => groupRuns(ws, { filters: ['x'] }, 'gate'), /malformed/],
  ];
  it.each(bad.map(([f, re], i) => [i, f, re] as const))('case %i throws a one-line QueryError and changes nothing', (_i, f, re) => {
    const before = dump(ws);
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QueryError);
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message).not.toMatch(/\n/);
    expect(dump(ws)).toBe(before);
  });
});
