// `sqs-workbench runs …`: list, show, compare, edit, delete and export the workspace's runs, each
// one call of the api service. Tables for people by default, one JSON document with --json.
// Errors: UsageError (bad flags) and the service's ApiError, each a one-line message.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Service } from '../../api/service';
import { fieldsOf } from '../../common/run-fields';
import { FINAL_METRICS, METRICS_EXPORT_FORMATS, parseInput, RUN_STATUSES, type ListedRun, type MetricsExportFormat, type RunGroup, type Stat } from '../../common/contract';
import { withService } from './connect';
import { integerFlag, parseFlags, runIdArg, UsageError, type FlagSpec, type FlagValues } from './usage';

export const RUNS_HELP = `usage: sqs-workbench runs <command> [--workspace DIR] …

  list [--filter EXPR]… [--tag T]… [--status S] [--sort [-]FIELD] [--group-by FIELD]
       [--limit 50] [--offset 0] [--json]      runs matching every filter, one page
  show <id> [--json]                           a run: config, final metrics, tags, notes, files
  diff <a> <b> [--json]                        the config keys that differ, final metrics side by side
  tag <id> <tag>…  |  untag <id> <tag>…        add or remove tags (1 to 64 characters)
  note <id> <text…>                            add a note
  rename <id> <name…>                          rename a run (1 to 200 characters)
  delete <id>…                                 delete runs: their rows and their folders
  import <folder> [--name N] [--tag T]…        copy a run folder trained elsewhere (train --out)
                                               into the workspace as a new run, or register a
                                               folder of its runs/ that the database does not know
  export-metrics <id>… [--format csv|json] [--names a,b] [--out FILE]
                                               metric points as rows run_id,name,step,epoch,value

filters: <field><op><value>, op one of = != < <= > >= ~ (substring), e.g.
  --filter gate=sqs --filter 'test_accuracy>=0.9' --filter 'config.wd<0.5' --filter name~sweep
  fields: id name status gate seed dataset execution_provider host sweep_id created_at
          started_at ended_at epochs_done steps_done train_loss test_loss test_accuracy
          config.<key> (config.wd, config.sqs.c, …) and tag (= only); value null matches missing
--workspace DIR: default $SQS_WORKBENCH_HOME, else the user-data folder
`;

const COMMON: FlagSpec = { workspace: { type: 'string' }, help: { type: 'boolean', short: 'h' } };
const JSON_FLAG: FlagSpec = { json: { type: 'boolean' } };

interface Sub {
  options: FlagSpec;
  /** positionals: at least min, at most max */
  min: number;
  max: number;
  usage: string;
  run: (api: Service, pos: string[], v: FlagValues) => Promise<string>;
  /** makes a workspace where there is none (import: also where a lost workspace.db left its run folders) */
  creates?: boolean;
  /** only reads: works on a workspace that cannot be written */
  reads?: boolean;
}

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
    reads: true,
  },
  show: { options: JSON_FLAG, min: 1, max: 1, usage: 'runs show <id> [--json]', run: show, reads: true },
  diff: { options: JSON_FLAG, min: 2, max: 2, usage: 'runs diff <a> <b> [--json]', run: diff, reads: true },
  tag: { options: JSON_FLAG, min: 2, max: Infinity, usage: 'runs tag <id> <tag>…', run: (api, p, v) => retag(api, p, v, true) },
  untag: { options: JSON_FLAG, min: 2, max: Infinity, usage: 'runs untag <id> <tag>…', run: (api, p, v) => retag(api, p, v, false) },
  note: {
    options: JSON_FLAG,
    min: 2,
    max: Infinity,
    usage: 'runs note <id> <text…>',
    run: async (api, [id, ...words], v) => {
      const { noteId } = await api.call('runs.note', { id: runIdArg(id), body: words.join(' ') });
      return v.json ? JSON.stringify({ run_id: runIdArg(id), note_id: noteId }) : `added note ${noteId} to run ${id}`;
    },
  },
  rename: {
    options: JSON_FLAG,
    min: 2,
    max: Infinity,
    usage: 'runs rename <id> <name…>',
    run: async (api, [id, ...words], v) => {
      const { name } = await api.call('runs.rename', { id: runIdArg(id), name: words.join(' ') });
      return v.json ? JSON.stringify({ run_id: runIdArg(id), name }) : `renamed run ${id} to '${name}'`;
    },
  },
  delete: { options: JSON_FLAG, min: 1, max: Infinity, usage: 'runs delete <id>…', run: remove },
  import: {
    options: { ...JSON_FLAG, name: { type: 'string' }, tag: { type: 'string', multiple: true } },
    min: 1,
    max: 1,
    usage: 'runs import <folder> [--name NAME] [--tag TAG]… [--json]',
    creates: true,
    run: async (api, [folder], v) => {
      const tags = (v.tag as string[] | undefined) ?? [];
      const r = await api.call('runs.import', { path: resolve(folder), ...(v.name !== undefined ? { name: v.name as string } : {}), ...(tags.length ? { tags } : {}) });
      return v.json ? JSON.stringify({ run_id: r.id, status: r.status }) : `imported ${resolve(folder)} as run ${r.id} (${r.status})`;
    },
  },
  'export-metrics': {
    options: { format: { type: 'string' }, names: { type: 'string' }, out: { type: 'string' } },
    min: 1,
    max: Infinity,
    usage: 'runs export-metrics <id>… [--format csv|json] [--names a,b] [--out FILE]',
    run: exportCmd,
    reads: true,
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
  const { values, positionals } = parseFlags(`runs ${name}`, rest, { ...COMMON, ...sub.options }, sub.usage);
  if (values.help) {
    process.stdout.write(`usage: sqs-workbench ${sub.usage} [--workspace DIR]\n`);
    return 0;
  }
  if (positionals.length < sub.min || positionals.length > sub.max) {
    const want = sub.min === sub.max ? `${sub.min}` : `at least ${sub.min}`;
    throw new UsageError(`runs ${name}: expected ${want} argument${sub.min === 1 && sub.max === 1 ? '' : 's'}, got ${positionals.length} (usage: ${sub.usage})`);
  }
  return withService({ workspace: values.workspace as string | undefined, create: sub.creates === true, readonly: sub.reads === true }, async ({ service }) => {
    const out = await sub.run(service, positionals, values);
    if (out) process.stdout.write(out.endsWith('\n') ? out : out + '\n');
    return 0;
  });
}

async function list(api: Service, _pos: string[], v: FlagValues): Promise<string> {
  const out = await listed(api, v);
  for (const notice of (await api.call('workspace.check', {})).notices) process.stderr.write(notice + '\n');
  return out;
}

async function listed(api: Service, v: FlagValues): Promise<string> {
  const filters = [...((v.filter as string[] | undefined) ?? []), ...((v.tag as string[] | undefined) ?? []).map((t) => `tag="${t}"`)];
  if (v.status !== undefined) {
    if (!(RUN_STATUSES as readonly string[]).includes(v.status as string)) throw new UsageError(`--status: '${v.status}' is not one of ${RUN_STATUSES.join(', ')}`);
    filters.push(`status=${v.status}`);
  }
  const q = { filters, sort: v.sort as string | undefined, limit: integerFlag('limit', v.limit, 50, 1, 10_000), offset: integerFlag('offset', v.offset, 0, 0) };
  if (v['group-by'] !== undefined) {
    const { groups } = await api.call('runs.list', { ...q, limit: 1, offset: 0, groupBy: v['group-by'] as string });
    return v.json ? JSON.stringify({ group_by: v['group-by'], groups }) : groupTable(v['group-by'] as string, groups ?? []);
  }
  const { total, rows } = await api.call('runs.list', q);
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

async function show(api: Service, [id]: string[], v: FlagValues): Promise<string> {
  const d = await api.call('runs.show', { id: runIdArg(id) });
  if (v.json) return JSON.stringify(d);
  const r = d.run;
  // keys padded to the longest in each block, so a long file name keeps a gap before its value
  const kv = (pairs: [string, string][]) => {
    const width = Math.max(18, ...pairs.map(([k]) => k.length)) + 2;
    return pairs.map(([k, val]) => `  ${k.padEnd(width)}${val}`).join('\n');
  };
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
    kv(fieldsOf(r.config).map(([k, val]) => [k, JSON.stringify(val)])),
  ];
  if (d.metrics.length) parts.push('metrics (points)', kv(d.metrics.map((m) => [m.name, String(m.points)])));
  if (d.artifacts.length) parts.push('files', kv(d.artifacts.map((a) => [a.path, `${a.kind}, ${a.bytes} bytes`])));
  if (d.notes.length) parts.push('notes', d.notes.map((n) => `  [${date(n.created_at)}] ${n.body.replace(/\n/g, '\n    ')}`).join('\n'));
  if (d.analysis) parts.push(`analysis (${d.analysis.kind}, ${date(d.analysis.created_at)})`, `  ${JSON.stringify(d.analysis.summary).slice(0, 400)}`);
  return parts.join('\n');
}

async function diff(api: Service, [a, b]: string[], v: FlagValues): Promise<string> {
  const d = await api.call('runs.diff', { a: runIdArg(a), b: runIdArg(b) });
  if (v.json) return JSON.stringify(d);
  const cell = (x: unknown) => (x === null ? '-' : JSON.stringify(x));
  const rows = [...d.config.map((c) => [`config.${c.key}`, cell(c.a), cell(c.b)]), ...FINAL_METRICS.map((m) => [m, num(d.final[m].a), num(d.final[m].b)])];
  const note = d.config.length === 0 ? '\n(configs are identical)' : '';
  return table(['', `run ${d.a.id} (${d.a.name})`, `run ${d.b.id} (${d.b.name})`], rows) + note;
}

async function retag(api: Service, [id, ...tags]: string[], v: FlagValues, add: boolean): Promise<string> {
  const run = runIdArg(id);
  // every tag valid and the run there before any tag changes
  for (const tag of tags) parseInput(add ? 'runs.tag' : 'runs.untag', { id: run, tag });
  await api.call('runs.show', { id: run });
  const changed: string[] = [];
  for (const tag of tags) if ((await api.call(add ? 'runs.tag' : 'runs.untag', { id: run, tag })).changed) changed.push(tag);
  if (v.json) return JSON.stringify({ run_id: run, [add ? 'added' : 'removed']: changed });
  const verb = add ? 'tagged' : 'untagged';
  const same = tags.filter((t) => !changed.includes(t));
  return `${verb} run ${run}: ${changed.join(', ') || '(nothing)'}${same.length ? ` (${add ? 'already had' : 'did not have'}: ${same.join(', ')})` : ''}`;
}

async function remove(api: Service, pos: string[], v: FlagValues): Promise<string> {
  const ids = [...new Set(pos.map(runIdArg))];
  for (const id of ids) await api.call('runs.show', { id }); // every run exists, or none is deleted
  for (const id of ids) await api.call('runs.delete', { id });
  return v.json ? JSON.stringify({ deleted: ids }) : `deleted run${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`;
}

async function exportCmd(api: Service, pos: string[], v: FlagValues): Promise<string> {
  const format = (v.format ?? 'csv') as MetricsExportFormat;
  if (!METRICS_EXPORT_FORMATS.includes(format)) throw new UsageError(`--format: '${format}' is not one of ${METRICS_EXPORT_FORMATS.join(', ')}`);
  const names = v.names === undefined ? undefined : (v.names as string).split(',').map((s) => s.trim());
  if (names?.some((n) => n === '')) throw new UsageError(`--names: '${v.names}' has an empty name; give names separated by commas`);
  const ids = [...new Set(pos.map(runIdArg))];
  const { text } = await api.call('runs.exportMetrics', { ids, format, ...(names ? { names } : {}) });
  if (v.out === undefined) return text;
  writeFileSync(v.out as string, text);
  return `wrote the metrics of ${ids.length} run${ids.length > 1 ? 's' : ''} to ${v.out}`;
}
