// `sqs-workbench runs …`: list, show, compare, edit, delete and export the workspace's runs.
// Tables for people by default, one JSON document with --json. Errors: UsageError (bad flags),
// QueryError (bad filter, sort, group-by), RunEditError (bad tag, name, note), RunNotFoundError
// and WorkspaceError (no workspace there) each carry a one-line message.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  diffRuns,
  EXPORT_FORMATS,
  exportMetrics,
  flattenConfig,
  groupRuns,
  listRuns,
  requireRuns,
  showRun,
  type ExportFormat,
  type RunGroup,
  type ListedRun,
  type Stat,
} from '../../store/query';
import { addNote, deleteRun, renameRun, tagRun, untagRun } from '../../store/run-edits';
import { FINAL_METRICS, RUN_STATUSES } from '../../store/runs';
import { resolveWorkspaceDir } from '../../api/workspace-dir';
import { Workspace, WorkspaceError } from '../../store/workspace';
import { UsageError } from './train-args';

export const RUNS_HELP = `usage: sqs-workbench runs <command> [--workspace DIR] …

  list [--filter EXPR]… [--tag T]… [--status S] [--sort [-]FIELD] [--group-by FIELD]
       [--limit 50] [--offset 0] [--json]      runs matching every filter, one page
  show <id> [--json]                           a run: config, final metrics, tags, notes, files
  diff <a> <b> [--json]                        the config keys that differ, final metrics side by side
  tag <id> <tag>…  |  untag <id> <tag>…        add or remove tags (1 to 64 characters)
  note <id> <text…>                            add a note
  rename <id> <name…>                          rename a run (1 to 200 characters)
  delete <id>…                                 delete runs: their rows and their folders
  export-metrics <id>… [--format csv|json] [--names a,b] [--out FILE]
                                               metric points as rows run_id,name,step,epoch,value

filters: <field><op><value>, op one of = != < <= > >= ~ (substring), e.g.
  --filter gate=sqs --filter 'test_accuracy>=0.9' --filter 'config.wd<0.5' --filter name~sweep
  fields: id name status gate seed dataset execution_provider host sweep_id created_at
          started_at ended_at epochs_done steps_done train_loss test_loss test_accuracy
          config.<key> (config.wd, config.sqs.c, …) and tag (= only); value null matches missing
--workspace DIR: default $SQS_WORKBENCH_HOME, else the user-data folder
`;

type Opt = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };
const COMMON: Record<string, Opt> = { workspace: { type: 'string' }, help: { type: 'boolean', short: 'h' } };
const JSON_FLAG: Record<string, Opt> = { json: { type: 'boolean' } };

interface Sub {
  options: Record<string, Opt>;
  /** positionals: at least min, at most max */
  min: number;
  max: number;
  usage: string;
  run: (ws: Workspace, pos: string[], v: Values) => string;
}
type Values = Record<string, string | boolean | string[] | undefined>;

const SUBS: Record<string, Sub> = {
  list: {
    options: {
      ...JSON_FLAG,
      filter: { type: 'string', multiple: true },
      tag: { type: 'string', multiple: true },
      status: { type: 'string' },
      sort: { type: 'string' },
      'group-by': { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
    },
    min: 0,
    max: 0,
    usage: 'runs list [--filter EXPR]… [--tag T]… [--status S] [--sort [-]FIELD] [--group-by FIELD] [--limit N] [--offset N] [--json]',
    run: list,
  },
  show: { options: JSON_FLAG, min: 1, max: 1, usage: 'runs show <id> [--json]', run: show },
  diff: { options: JSON_FLAG, min: 2, max: 2, usage: 'runs diff <a> <b> [--json]', run: diff },
  tag: { options: JSON_FLAG, min: 2, max: Infinity, usage: 'runs tag <id> <tag>…', run: (ws, p, v) => retag(ws, p, v, true) },
  untag: { options: JSON_FLAG, min: 2, max: Infinity, usage: 'runs untag <id> <tag>…', run: (ws, p, v) => retag(ws, p, v, false) },
  note: {
    options: JSON_FLAG,
    min: 2,
    max: Infinity,
    usage: 'runs note <id> <text…>',
    run: (ws, [id, ...words], v) => {
      const note_id = addNote(ws, runId(id), words.join(' '));
      return v.json ? JSON.stringify({ run_id: runId(id), note_id }) : `added note ${note_id} to run ${id}`;
    },
  },
  rename: {
    options: JSON_FLAG,
    min: 2,
    max: Infinity,
    usage: 'runs rename <id> <name…>',
    run: (ws, [id, ...words], v) => {
      renameRun(ws, runId(id), words.join(' '));
      return v.json ? JSON.stringify({ run_id: runId(id), name: words.join(' ') }) : `renamed run ${id} to '${words.join(' ')}'`;
    },
  },
  delete: { options: JSON_FLAG, min: 1, max: Infinity, usage: 'runs delete <id>…', run: remove },
  'export-metrics': {
    options: { format: { type: 'string' }, names: { type: 'string' }, out: { type: 'string' } },
    min: 1,
    max: Infinity,
    usage: 'runs export-metrics <id>… [--format csv|json] [--names a,b] [--out FILE]',
    run: exportCmd,
  },
};

export async function runsCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(RUNS_HELP);
    return name === undefined ? 2 : 0;
  }
  const sub = SUBS[name];
  if (!sub) throw new UsageError(`runs: unknown command '${name}'; commands: ${Object.keys(SUBS).join(', ')} (see runs --help)`);
  const options = { ...COMMON, ...sub.options };
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: joinDashValues(rest, options), options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (e) {
    throw new UsageError(`runs ${name}: ${parseArgsProblem(e)} (usage: ${sub.usage})`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`usage: sqs-workbench ${sub.usage} [--workspace DIR]\n`);
    return 0;
  }
  if (positionals.length < sub.min || positionals.length > sub.max) {
    const want = sub.min === sub.max ? `${sub.min}` : `at least ${sub.min}`;
    throw new UsageError(`runs ${name}: expected ${want} argument${sub.min === 1 && sub.max === 1 ? '' : 's'}, got ${positionals.length} (usage: ${sub.usage})`);
  }
  const dir = resolveWorkspaceDir(values.workspace as string | undefined);
  if (!existsSync(join(dir, 'workspace.db'))) throw new WorkspaceError(`no workspace at ${dir} (no workspace.db there); give --workspace DIR or train a run first`);
  const ws = Workspace.open(dir);
  try {
    const out = sub.run(ws, positionals, values);
    if (out) process.stdout.write(out.endsWith('\n') ? out : out + '\n');
    return 0;
  } finally {
    ws.close();
  }
}

/** `--sort -test_accuracy`: every flag here that takes a value takes the next word, dash or not. */
function joinDashValues(argv: string[], options: Record<string, Opt>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return out.concat(argv.slice(i));
    const next = argv[i + 1];
    if (a.startsWith('--') && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-[^-]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function parseArgsProblem(e: unknown): string {
  const { code, message } = e as { code?: string; message: string };
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag '${flag}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return /does not take an argument/.test(message) ? `${flag} takes no value` : `${flag}: missing value`;
  return message.split('\n')[0];
}

function runId(s: string): number {
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < 1) throw new UsageError(`'${s.replace(/[\u0000-\u001f]/g, ' ')}' is not a run id (a positive integer)`);
  return Number(s);
}

function integer(flag: string, raw: string | undefined, dflt: number, min: number, max: number): number {
  if (raw === undefined) return dflt;
  const v = Number(raw);
  if (!/^\d+$/.test(raw) || v < min || v > max) throw new UsageError(`--${flag}: '${raw}' is out of range: must be an integer from ${min} to ${max}`);
  return v;
}

function list(ws: Workspace, _pos: string[], v: Values): string {
  const filters = [...((v.filter as string[] | undefined) ?? []), ...((v.tag as string[] | undefined) ?? []).map((t) => `tag="${t}"`)];
  if (v.status !== undefined) {
    if (!(RUN_STATUSES as readonly string[]).includes(v.status as string)) throw new UsageError(`--status: '${v.status}' is not one of ${RUN_STATUSES.join(', ')}`);
    filters.push(`status=${v.status}`);
  }
  const q = { filters, sort: v.sort as string | undefined, limit: integer('limit', v.limit as string | undefined, 50, 1, 10_000), offset: integer('offset', v.offset as string | undefined, 0, 0, Number.MAX_SAFE_INTEGER) };
  if (v['group-by'] !== undefined) {
    const groups = groupRuns(ws, q, v['group-by'] as string);
    return v.json ? JSON.stringify({ group_by: v['group-by'], groups }) : groupTable(v['group-by'] as string, groups);
  }
  const { total, rows } = listRuns(ws, q);
  if (v.json) return JSON.stringify({ total, offset: q.offset, limit: q.limit, rows });
  const shown = rows.length === 0 ? `no runs of ${total} match` : `runs ${q.offset + 1}–${q.offset + rows.length} of ${total}`;
  const more = q.offset + rows.length < total ? `; --offset ${q.offset + rows.length} for more` : '';
  return (rows.length ? runTable(rows) + '\n' : '') + shown + more;
}

const num = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? '-' : x.toFixed(digits));
const date = (t: number | null): string => (t === null ? '-' : new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' '));

/** Columns padded to their widest cell; numbers (and the headers over them) right-aligned. */
export function table(head: string[], rows: string[][], right: boolean[] = []): string {
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((s, c) => (right[c] ? s.padStart(width[c]) : s.padEnd(width[c]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

function runTable(rows: ListedRun[]): string {
  const head = ['id', 'name', 'status', 'gate', 'seed', 'epochs', 'test_acc', 'test_loss', 'train_loss', 'created', 'tags'];
  const body = rows.map((r) => [String(r.id), r.name, r.status, r.gate, String(r.seed), String(r.epochs_done), num(r.test_accuracy), num(r.test_loss), num(r.train_loss), date(r.created_at), r.tags.join(',')]);
  return table(head, body, [true, false, false, false, true, true, true, true, true, false, false]);
}

const stat = (s: Stat): string => (s.mean === null ? '-' : `${num(s.mean)} ± ${num(s.std)}`);

function groupTable(by: string, groups: RunGroup[]): string {
  if (groups.length === 0) return 'no runs match';
  const body = groups.map((g) => [g.key === null ? '(none)' : String(g.key), String(g.count), ...FINAL_METRICS.map((m) => stat(g[m]))]);
  return table([by, 'runs', ...FINAL_METRICS.map((m) => `${m} (mean ± std)`)], body, [false, true, true, true, true]);
}

function show(ws: Workspace, [id]: string[], v: Values): string {
  const d = showRun(ws, runId(id));
  if (v.json) return JSON.stringify(d);
  const r = d.run;
  const kv = (pairs: [string, string][]) => pairs.map(([k, val]) => `  ${k.padEnd(20)}${val}`).join('\n');
  const parts = [
    `run ${r.id}: ${r.name}`,
    kv([
      ['status', r.status + (r.error ? ` (${r.error.split('\n')[0]})` : '')],
      ['created', date(r.created_at)],
      ['started / ended', `${date(r.started_at)} / ${date(r.ended_at)}`],
      ['progress', `${r.epochs_done} epochs, ${r.steps_done} steps`],
      ['execution provider', `${r.execution_provider} on ${r.host}`],
      ['app / commit', `${r.app_version} / ${r.git_commit ?? '-'}`],
      ...FINAL_METRICS.map((m): [string, string] => [m, num(r[m])]),
      ['tags', d.tags.join(', ') || '-'],
    ]),
    'config',
    kv(Object.entries(flattenConfig(r.config)).map(([k, val]) => [k, JSON.stringify(val)])),
  ];
  if (d.metrics.length) parts.push('metrics (points)', kv(d.metrics.map((m) => [m.name, String(m.points)])));
  if (d.artifacts.length) parts.push('files', kv(d.artifacts.map((a) => [a.path, `${a.kind}, ${a.bytes} bytes`])));
  if (d.notes.length) parts.push('notes', d.notes.map((n) => `  [${date(n.created_at)}] ${n.body.replace(/\n/g, '\n    ')}`).join('\n'));
  if (d.analysis) parts.push(`analysis (${d.analysis.kind}, ${date(d.analysis.created_at)})`, `  ${JSON.stringify(d.analysis.summary).slice(0, 400)}`);
  return parts.join('\n');
}

function diff(ws: Workspace, [a, b]: string[], v: Values): string {
  const d = diffRuns(ws, runId(a), runId(b));
  if (v.json) return JSON.stringify(d);
  const cell = (x: unknown) => (x === null ? '-' : JSON.stringify(x));
  const rows = [...d.config.map((c) => [`config.${c.key}`, cell(c.a), cell(c.b)]), ...FINAL_METRICS.map((m) => [m, num(d.final[m].a), num(d.final[m].b)])];
  const note = d.config.length === 0 ? '\n(configs are identical)' : '';
  return table(['', `run ${d.a.id} (${d.a.name})`, `run ${d.b.id} (${d.b.name})`], rows) + note;
}

function retag(ws: Workspace, [id, ...tags]: string[], v: Values, add: boolean): string {
  const run = runId(id);
  // all tags or none: a bad tag rolls back the ones before it
  const changed = ws.db.transaction(() => tags.filter((t) => (add ? tagRun(ws, run, t) : untagRun(ws, run, t)))).immediate();
  if (v.json) return JSON.stringify({ run_id: run, [add ? 'added' : 'removed']: changed });
  const verb = add ? 'tagged' : 'untagged';
  const same = tags.filter((t) => !changed.includes(t));
  return `${verb} run ${run}: ${changed.join(', ') || '(nothing)'}${same.length ? ` (${add ? 'already had' : 'did not have'}: ${same.join(', ')})` : ''}`;
}

function remove(ws: Workspace, pos: string[], v: Values): string {
  const ids = [...new Set(pos.map(runId))];
  requireRuns(ws, ids); // every run exists, or none is deleted
  for (const id of ids) deleteRun(ws, id);
  return v.json ? JSON.stringify({ deleted: ids }) : `deleted run${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`;
}

function exportCmd(ws: Workspace, pos: string[], v: Values): string {
  const format = (v.format ?? 'csv') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`--format: '${format}' is not one of ${EXPORT_FORMATS.join(', ')}`);
  const names = v.names === undefined ? undefined : (v.names as string).split(',').map((s) => s.trim());
  if (names?.some((n) => n === '')) throw new UsageError(`--names: '${v.names}' has an empty name; give names separated by commas`);
  const text = exportMetrics(ws, [...new Set(pos.map(runId))], format, names);
  if (v.out === undefined) return text;
  writeFileSync(v.out as string, text);
  return `wrote the metrics of ${pos.length} run${pos.length > 1 ? 's' : ''} to ${v.out}`;
}
