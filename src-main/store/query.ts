// Reading runs back: filter expressions compiled to parameterised SQL, sorted pages, group-by
// statistics, one run in full, two runs side by side, metric series and their export.
// Values never enter the SQL text; only field names from the fixed set below do.
import { EXECUTOR_KINDS } from '../common/executor';
import { GATE_NAMES } from '../engine/nn/gates';
import { EXECUTION_PROVIDERS } from '../engine/train/config';
import { readSummary } from '../engine/train/run-files';
import { FINAL_METRICS, getRun, RUN_STATUSES, RunNotFoundError, storedRun, type RunRow, type StoredRun } from './runs';
import { storedJson } from './database-errors';
import type { Workspace } from './workspace';
import { METRICS_EXPORT_FORMATS, type MetricsExportFormat } from '../common/formats';
import { flattenConfig } from '../common/records';
import type { ConfigLeaf, ListedRun, MetricPoint, MetricSeries, RunDetail, RunDiff, RunGroup, Stat } from '../common/records';
export type { ListedRun, MetricPoint, MetricSeries, RunDetail, RunDiff, RunGroup, Stat } from '../common/records';

/** A filter, sort, group-by field or page that cannot be understood; nothing was read or changed. */
export class QueryError extends Error {
  override name = 'QueryError';
}

type Kind = 'integer' | 'number' | 'text';

/** The run columns a query may name, with their kinds. */
export const RUN_FIELDS: Readonly<Record<string, Kind>> = {
  id: 'integer',
  name: 'text',
  status: 'text',
  gate: 'text',
  seed: 'integer',
  dataset: 'text',
  execution_provider: 'text',
  host: 'text',
  sweep_id: 'integer',
  created_at: 'number',
  started_at: 'number',
  ended_at: 'number',
  epochs_done: 'integer',
  steps_done: 'integer',
  train_loss: 'number',
  test_loss: 'number',
  test_accuracy: 'number',
  executor: 'text',
  slurm_job: 'text',
  slurm_state: 'text',
};

/** Columns whose values come from a closed set: a misspelt value is an error, not an empty list. */
const CHOICES: Readonly<Record<string, readonly string[]>> = { executor: EXECUTOR_KINDS, status: RUN_STATUSES, gate: GATE_NAMES, execution_provider: EXECUTION_PROVIDERS };

export const FILTER_OPS = ['=', '!=', '<', '<=', '>', '>=', '~'] as const;
const FIELDS_HELP = `${Object.keys(RUN_FIELDS).join(', ')}, config.<key> (e.g. config.wd, config.sqs.c)`;
const FILTER_HELP = `expected <field><op><value> with op one of ${FILTER_OPS.join(' ')} (e.g. gate=sqs, test_accuracy>=0.9, config.wd<0.5, tag=baseline); fields: ${FIELDS_HELP}, tag`;
const CONFIG_KEY = /^config\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const FILTER = /^\s*([A-Za-z_][\w.]*)\s*(<=|>=|!=|=|<|>|~)\s*(.*?)\s*$/s;
const MAX_LIMIT = 10_000;

const quote = (s: string): string => `'${s.replace(/[\u0000-\u001f\u007f]/g, ' ')}'`;

export interface Sql {
  sql: string;
  params: unknown[];
}

interface Field extends Sql {
  kind: Kind | 'json';
  name: string;
}

/** A run column or config.<key>; `what` names the use in errors (filter 'x', --sort, --group-by). */
function field(name: string, what: string): Field {
  const kind = RUN_FIELDS[name];
  if (kind) return { sql: `runs.${name}`, params: [], kind, name };
  const key = CONFIG_KEY.exec(name);
  if (key) return { sql: 'json_extract(runs.config, ?)', params: [`$.${key[1]}`], kind: 'json', name };
  if (name === 'config' || name.startsWith('config.')) throw new QueryError(`${what}: ${quote(name)} is not a config key: write config.<key> with keys made of letters, digits and _ (e.g. config.wd, config.sqs.c)`);
  throw new QueryError(`${what}: unknown field ${quote(name)}; fields: ${FIELDS_HELP}`);
}

type Value = string | number | null;

function parseValue(raw: string, what: string, kind: Field['kind'] | 'tag', name: string): Value {
  if (raw === '') throw new QueryError(`${what}: missing value; ${FILTER_HELP}`);
  const q = raw[0];
  if (q === "'" || q === '"') {
    if (raw.length < 2 || raw[raw.length - 1] !== q) throw new QueryError(`${what}: unclosed quote in the value; ${FILTER_HELP}`);
    const s = raw.slice(1, -1);
    if (kind === 'integer' || kind === 'number') throw new QueryError(`${what}: ${name} is a number, not text ${quote(raw)}`);
    return s;
  }
  if (kind === 'tag' || kind === 'text') return raw;
  if (raw === 'null') return null;
  if (kind === 'json' && (raw === 'true' || raw === 'false')) return raw === 'true' ? 1 : 0; // json_extract gives 1/0
  if (DECIMAL.test(raw)) {
    if (!Number.isFinite(Number(raw))) throw new QueryError(`${what}: ${raw} is not a finite number`);
    return Number(raw);
  }
  if (kind === 'json') return raw;
  throw new QueryError(`${what}: ${name} is a number and ${quote(raw)} is not one`);
}

/** One filter expression as a parameterised SQL condition on `runs`. */
export function compileFilter(expr: string): Sql {
  const what = `filter ${quote(expr)}`;
  const m = FILTER.exec(expr);
  if (!m) throw new QueryError(`${what}: malformed; ${FILTER_HELP}`);
  const [, name, op, raw] = m;
  if (name === 'tag') {
    if (op !== '=') throw new QueryError(`${what}: tags can only be matched with = (e.g. tag=baseline)`);
    const tag = String(parseValue(raw, what, 'tag', name));
    if (tag === '' || [...tag].length > 64) throw new QueryError(`${what}: a tag has 1 to 64 characters`);
    return { sql: 'runs.id IN (SELECT run_id FROM tags WHERE tag = ?)', params: [tag] };
  }
  const f = field(name, what);
  const value = parseValue(raw, what, f.kind, name);
  if (value === null) {
    if (op !== '=' && op !== '!=') throw new QueryError(`${what}: null can only be compared with = or !=`);
    return { sql: `${f.sql} IS ${op === '=' ? '' : 'NOT '}NULL`, params: f.params };
  }
  if (op === '~') {
    if (f.kind === 'integer' || f.kind === 'number') throw new QueryError(`${what}: ~ (substring) applies to text fields and config keys, not to the number ${name}`);
    return { sql: `instr(lower(${f.sql}), lower(?)) > 0`, params: [...f.params, String(value)] };
  }
  const choices = CHOICES[name];
  if (choices && (op === '=' || op === '!=') && !choices.includes(String(value))) throw new QueryError(`${what}: ${quote(String(value))} is not a ${name}; one of ${choices.join(', ')}`);
  // != keeps runs where the field is null (a run without a test accuracy is not 0.9)
  return { sql: `${f.sql} ${op === '!=' ? 'IS NOT' : op} ?`, params: [...f.params, value] };
}

export function compileWhere(filters: readonly string[]): Sql {
  const parts = filters.map(compileFilter);
  if (parts.length === 0) return { sql: '1', params: [] };
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
}

/** `field` ascending or `-field` descending, then newest id first; default `-id`. */
export function compileSort(sort = '-id'): Sql {
  const desc = sort.startsWith('-');
  const name = (desc || sort.startsWith('+') ? sort.slice(1) : sort).trim();
  if (name === 'tag') throw new QueryError(`--sort: runs cannot be sorted by tag; fields: ${FIELDS_HELP}`);
  const f = field(name, `--sort ${quote(sort)}`);
  const dir = desc ? 'DESC' : 'ASC';
  if (name === 'id') return { sql: `runs.id ${dir}`, params: [] };
  return { sql: `${f.sql} ${dir}, runs.id DESC`, params: f.params };
}

export interface RunQuery {
  filters?: readonly string[];
  sort?: string;
  /** 1 … 10000; default 50 */
  limit?: number;
  offset?: number;
}


function page(q: RunQuery): { limit: number; offset: number } {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new QueryError(`limit ${limit} is out of range: must be an integer from 1 to ${MAX_LIMIT}`);
  if (!Number.isInteger(offset) || offset < 0) throw new QueryError(`offset ${offset} is out of range: must be an integer >= 0`);
  return { limit, offset };
}

/** The two statements behind listRuns (exported so tests can read their query plans). */
export function compileList(q: RunQuery): { count: Sql; page: Sql } {
  const where = compileWhere(q.filters ?? []);
  const order = compileSort(q.sort);
  const { limit, offset } = page(q);
  return {
    count: { sql: `SELECT count(*) AS n FROM runs WHERE ${where.sql}`, params: where.params },
    page: { sql: `SELECT * FROM runs WHERE ${where.sql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`, params: [...where.params, ...order.params, limit, offset] },
  };
}

/** One page of runs matching every filter, and how many match in all. */
export function listRuns(ws: Workspace, q: RunQuery = {}): { total: number; rows: ListedRun[] } {
  const c = compileList(q);
  return ws.db.transaction(() => {
    const total = (ws.db.prepare(c.count.sql).get(...c.count.params) as { n: number }).n;
    const stored = ws.db.prepare(c.page.sql).all(...c.page.params) as StoredRun[];
    const ids = stored.map((r) => r.id);
    const tags = tagsOf(ws, ids);
    const notes = latestNotesOf(ws, ids);
    return {
      total,
      rows: stored.map((r) => {
        const n = notes.get(r.id);
        return { ...storedRun(ws, r), tags: tags.get(r.id) ?? [], note_count: n?.n ?? 0, latest_note: n ? { body: n.body, created_at: n.created_at } : null };
      }),
    };
  })();
}

/** Per run: its newest note and how many it has. */
function latestNotesOf(ws: Workspace, ids: readonly number[]): Map<number, { body: string; created_at: number; n: number }> {
  if (ids.length === 0) return new Map();
  const rows = ws.db
    .prepare(
      `SELECT run_id, body, created_at, n FROM (
         SELECT run_id, body, created_at, count(*) OVER (PARTITION BY run_id) AS n, row_number() OVER (PARTITION BY run_id ORDER BY created_at DESC, id DESC) AS k
         FROM notes WHERE run_id IN (SELECT value FROM json_each(?))
       ) WHERE k = 1`,
    )
    .all(JSON.stringify(ids)) as { run_id: number; body: string; created_at: number; n: number }[];
  return new Map(rows.map((r) => [r.run_id, r]));
}

function tagsOf(ws: Workspace, ids: readonly number[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (ids.length === 0) return out;
  const rows = ws.db.prepare(`SELECT run_id, tag FROM tags WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, tag`).all(JSON.stringify(ids)) as { run_id: number; tag: string }[];
  for (const r of rows) (out.get(r.run_id) ?? out.set(r.run_id, []).get(r.run_id)!).push(r.tag);
  return out;
}

/** Sample standard deviation (n − 1); 0 for a single run; both null when no run has the metric. */

/** The SQL behind groupRuns: mean and std of each final metric per value of `by`, in SQL. */
export function compileGroup(q: RunQuery, by: string): Sql {
  if (by === 'tag') throw new QueryError(`--group-by: runs cannot be grouped by tag; fields: ${FIELDS_HELP}`);
  const f = field(by, `--group-by ${quote(by)}`);
  const where = compileWhere(q.filters ?? []);
  const stats = FINAL_METRICS.map(
    (m) =>
      `count(${m}) AS ${m}_n, avg(${m}) AS ${m}_mean, ` +
      `CASE WHEN count(${m}) > 1 THEN sqrt(max(0.0, (avg(${m} * ${m}) - avg(${m}) * avg(${m})) * count(${m}) / (count(${m}) - 1.0))) WHEN count(${m}) = 1 THEN 0.0 END AS ${m}_std`,
  );
  return { sql: `SELECT ${f.sql} AS key, count(*) AS count, ${stats.join(', ')} FROM runs WHERE ${where.sql} GROUP BY key ORDER BY key`, params: [...f.params, ...where.params] };
}

export function groupRuns(ws: Workspace, q: RunQuery, by: string): RunGroup[] {
  const c = compileGroup(q, by);
  const rows = ws.db.prepare(c.sql).all(...c.params) as Record<string, number | string | null>[];
  return rows.map((r) => {
    const g = { key: r.key, count: r.count as number } as RunGroup;
    for (const m of FINAL_METRICS) g[m] = { mean: r[`${m}_mean`] as number | null, std: r[`${m}_std`] as number | null, n: r[`${m}_n`] as number };
    return g;
  });
}


export function showRun(ws: Workspace, id: number): RunDetail {
  return ws.db.transaction(() => {
    const run = getRun(ws, id);
    const a = ws.db.prepare(`SELECT id, kind, created_at, summary FROM analyses WHERE run_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`).get(id) as
      | { id: number; kind: string; created_at: number; summary: string }
      | undefined;
    return {
      run,
      dir: ws.runDir(id),
      result: readSummary(ws.runDir(id)),
      tags: tagsOf(ws, [id]).get(id) ?? [],
      notes: ws.db.prepare(`SELECT id, body, created_at FROM notes WHERE run_id = ? ORDER BY created_at, id`).all(id) as RunDetail['notes'],
      artifacts: ws.db.prepare(`SELECT path, kind, sha256, bytes FROM artifacts WHERE run_id = ? ORDER BY path`).all(id) as RunDetail['artifacts'],
      analysis: a ? { ...a, summary: storedJson(a.summary, `run ${id}'s analysis summary`, ws.file) } : null,
      metrics: ws.db.prepare(`SELECT name, count(*) AS points FROM metrics WHERE run_id = ? GROUP BY name ORDER BY name`).all(id) as RunDetail['metrics'],
    };
  })();
}


export function diffRuns(ws: Workspace, a: number, b: number): RunDiff {
  const ra = getRun(ws, a);
  const rb = getRun(ws, b);
  const fa = flattenConfig(ra.config);
  const fb = flattenConfig(rb.config);
  const keys = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort();
  const config = keys.filter((k) => JSON.stringify(fa[k]) !== JSON.stringify(fb[k])).map((k) => ({ key: k, a: fa[k] ?? null, b: fb[k] ?? null }));
  const final = Object.fromEntries(FINAL_METRICS.map((m) => [m, { a: ra[m], b: rb[m] }])) as RunDiff['final'];
  const head = (r: RunRow) => ({ id: r.id, name: r.name, status: r.status });
  return { a: head(ra), b: head(rb), config, final };
}

/** run id → metric name → points in step order */

/** The statement behind metricSeries: one range search of the metrics primary key per run. */
export function compileSeries(ids: readonly number[], names?: readonly string[]): Sql {
  const byName = names && names.length > 0;
  return {
    sql: `SELECT run_id, name, step, epoch, value FROM metrics WHERE run_id IN (SELECT value FROM json_each(?))${byName ? ' AND name IN (SELECT value FROM json_each(?))' : ''} ORDER BY run_id, name, step`,
    params: byName ? [JSON.stringify(ids), JSON.stringify(names)] : [JSON.stringify(ids)],
  };
}

/** Throws RunNotFoundError naming every id that is not a run. */
export function requireRuns(ws: Workspace, ids: readonly number[]): void {
  const found = new Set((ws.db.prepare(`SELECT id FROM runs WHERE id IN (SELECT value FROM json_each(?))`).pluck().all(JSON.stringify(ids)) as number[]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new RunNotFoundError(`run${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist in ${ws.dir}`);
}

/** Every point of the named metrics (all when none named) of each run. */
export function metricSeries(ws: Workspace, ids: readonly number[], names?: readonly string[]): MetricSeries {
  return ws.db.transaction(() => {
    requireRuns(ws, ids);
    const out: MetricSeries = {};
    for (const id of ids) out[id] = {};
    const c = compileSeries(ids, names);
    const rows = ws.db.prepare(c.sql).raw().all(...c.params) as [number, string, number, number, number | null][];
    let run: Record<string, MetricPoint[]> | undefined;
    let points: MetricPoint[] | undefined;
    let lastRun = NaN;
    let lastName = '';
    for (const [id, name, step, epoch, value] of rows) {
      if (id !== lastRun) {
        run = out[id];
        lastRun = id;
        lastName = '';
      }
      if (name !== lastName) {
        points = run![name] = [];
        lastName = name;
      }
      points!.push({ step, epoch, value });
    }
    return out;
  })();
}


const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The metrics of runs as tidy rows: CSV with header run_id,name,step,epoch,value, or a JSON array. */
export function exportMetrics(ws: Workspace, ids: readonly number[], format: MetricsExportFormat, names?: readonly string[]): string {
  if (!METRICS_EXPORT_FORMATS.includes(format)) throw new QueryError(`export format ${quote(String(format))} is not one of ${METRICS_EXPORT_FORMATS.join(', ')}`);
  const unique = [...new Set(ids)];
  const series = metricSeries(ws, unique, names);
  const rows: { run_id: number; name: string; step: number; epoch: number; value: number | null }[] = [];
  for (const id of unique) for (const [name, points] of Object.entries(series[id])) for (const p of points) rows.push({ run_id: id, name, ...p });
  if (format === 'json') return JSON.stringify(rows) + '\n';
  const lines = ['run_id,name,step,epoch,value'];
  for (const r of rows) lines.push(`${r.run_id},${csvField(r.name)},${r.step},${r.epoch},${r.value === null ? '' : r.value}`);
  return lines.join('\n') + '\n';
}
