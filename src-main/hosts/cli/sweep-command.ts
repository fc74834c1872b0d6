// `sqs-workbench sweep --grid key=a,b [--grid …] [train flags] [--concurrency N] [--json]`,
// `sqs-workbench cancel <run>` and `sqs-workbench resume <run>|--all`.
import { runQueue, type QueueOutcome } from '../../jobs/queue';
import type { WorkerMessage } from '../../jobs/worker';
import { createSweep, expandGrid } from '../../jobs/sweep';
import { CANCELLABLE, cancelRun, getRun, RESUMABLE } from '../../store/runs';
import { resolveWorkspaceDir } from '../../api/workspace-dir';
import { Workspace } from '../../store/workspace';
import { parseTrainArgs, UsageError, type TrainCliOptions } from './train-args';

const NOT_GRIDDABLE = new Set(['workspace', 'out', 'json', 'name', 'tag', 'help']);

/** Splits our own flags from the train flags they come with. */
function split(argv: string[], own: readonly string[]): { own: Map<string, string[]>; rest: string[] } {
  const found = new Map<string, string[]>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const name = flag.replace(/^--/, '');
    if (flag.startsWith('--') && own.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name}: missing value`);
      found.set(name, [...(found.get(name) ?? []), value]);
    } else rest.push(argv[i]);
  }
  return { own: found, rest };
}

export async function sweepCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: sqs-workbench sweep --grid KEY=V1,V2 [--grid …] [train flags] [--concurrency 1] [--workspace DIR] [--json]\nKEY is any train flag (gate, seed, wd, lr, noise, d, h, layers, sqs-c, …); one run per combination.\n');
    return 0;
  }
  const { own, rest } = split(argv, ['grid', 'concurrency']);
  const grids = (own.get('grid') ?? []).map((g) => {
    const m = /^([a-z][a-z-]*)=(.+)$/.exec(g);
    if (!m) throw new UsageError(`--grid: '${g}' must look like key=value1,value2`);
    if (NOT_GRIDDABLE.has(m[1])) throw new UsageError(`--grid: '${m[1]}' cannot vary across a sweep`);
    const values = m[2].split(',');
    if (values.some((v) => v.trim() === '')) throw new UsageError(`--grid: '${g}' has an empty value`);
    return { key: m[1], values };
  });
  if (grids.length === 0) throw new UsageError('sweep: give at least one --grid key=values');
  const keys = grids.map((g) => g.key);
  if (new Set(keys).size !== keys.length) throw new UsageError('--grid: each key may appear once');
  const concurrency = Number(own.get('concurrency')?.at(-1) ?? '1');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency: '${own.get('concurrency')?.at(-1)}' is out of range: must be an integer from 1 to 64`);
  const base = parseTrainArgs(rest) as TrainCliOptions;
  if ('help' in base) return 0;
  if (base.out !== null) throw new UsageError('--out: a sweep writes its runs into the workspace');

  // every combination validated before anything is created
  const combos = expandGrid(grids).map((overrides) => ({
    overrides,
    options: parseTrainArgs([...rest, ...Object.entries(overrides).flatMap(([k, v]) => [`--${k}`, v])]) as TrainCliOptions,
  }));
  const ws = Workspace.open(resolveWorkspaceDir(base.workspace));
  let ids: number[];
  let sweepId: number;
  try {
    ({ sweepId, runIds: ids } = createSweep(ws, { name: base.name ?? `sweep ${keys.join('×')}`, axes: grids, base: base.config, configs: combos.map((c) => c.options.config), tags: base.tags }));
  } finally {
    ws.close();
  }
  if (!base.json) process.stderr.write(`sweep ${sweepId}: ${ids.length} runs queued (runs ${ids[0]}…${ids.at(-1)}), ${concurrency} at a time\n`);
  const outcomes = await runWithSigint(resolveWorkspaceDir(base.workspace), ids, concurrency, base.json);
  return printOutcomes(outcomes, base.json, { sweep_id: sweepId }, combos.map((c) => c.overrides));
}

export async function resumeCommand(argv: string[]): Promise<number> {
  const { own, rest } = split(argv, ['workspace', 'concurrency']);
  const json = rest.includes('--json');
  const all = rest.includes('--all');
  const targets = rest.filter((a) => a !== '--json' && a !== '--all');
  if (targets.some((t) => t.startsWith('-'))) throw new UsageError(`resume: unknown flag '${targets.find((t) => t.startsWith('-'))}'`);
  if (all === targets.length > 0) throw new UsageError('resume: name one run id, or --all');
  const dir = resolveWorkspaceDir(own.get('workspace')?.at(-1));
  const ws = Workspace.open(dir);
  let ids: number[];
  try {
    if (all) ids = (ws.db.prepare(`SELECT id FROM runs WHERE status = 'interrupted' ORDER BY id`).pluck().all() as number[]);
    else {
      const id = Number(targets[0]);
      if (!Number.isInteger(id) || id < 1) throw new UsageError(`resume: '${targets[0]}' is not a run id`);
      const run = getRun(ws, id);
      if (!RESUMABLE.includes(run.status)) throw new UsageError(`resume: run ${id} is ${run.status}; only interrupted, failed or queued runs can be resumed`);
      ids = [id];
    }
  } finally {
    ws.close();
  }
  if (ids.length === 0) {
    process.stdout.write(json ? JSON.stringify({ runs: [] }) + '\n' : 'no interrupted runs\n');
    return 0;
  }
  const concurrency = Number(own.get('concurrency')?.at(-1) ?? '1');
  return printOutcomes(await runWithSigint(dir, ids, concurrency, json), json, {}, []);
}

export function cancelCommand(argv: string[]): number {
  const { own, rest } = split(argv, ['workspace']);
  if (rest.length !== 1) throw new UsageError('cancel: name one run id');
  const id = Number(rest[0]);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`cancel: '${rest[0]}' is not a run id`);
  const ws = Workspace.open(resolveWorkspaceDir(own.get('workspace')?.at(-1)));
  try {
    const run = getRun(ws, id);
    if (!CANCELLABLE.includes(run.status) || !cancelRun(ws, id)) throw new UsageError(`cancel: run ${id} is ${run.status}; only queued or running runs can be cancelled`);
    process.stdout.write(run.status === 'queued' ? `run ${id} cancelled\n` : `run ${id} will stop at its next step\n`);
    return 0;
  } finally {
    ws.close();
  }
}

async function runWithSigint(dir: string, ids: number[], concurrency: number, json: boolean): Promise<QueueOutcome[]> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await runQueue(dir, ids, {
      concurrency,
      signal: abort.signal,
      onMessage: (m: WorkerMessage) => {
        if (json) return;
        if (m.type === 'done') process.stderr.write(`run ${m.runId}: ${m.status}${m.testAccuracy !== null ? `, test accuracy ${(100 * m.testAccuracy).toFixed(2)}%` : ''}\n`);
        if (m.type === 'error') process.stderr.write(`run ${m.runId}: failed: ${m.message}\n`);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function printOutcomes(outcomes: QueueOutcome[], json: boolean, extra: Record<string, unknown>, overrides: Record<string, string>[]): number {
  if (json) {
    const runs = outcomes.map((o, i) => ({ run_id: o.runId, status: o.status, test_accuracy: o.testAccuracy, ...(overrides[i] ? { grid: overrides[i] } : {}), ...(o.error ? { error: o.error } : {}) }));
    process.stdout.write(JSON.stringify({ ...extra, runs }) + '\n');
  } else {
    for (const [i, o] of outcomes.entries()) {
      const grid = overrides[i] ? Object.entries(overrides[i]).map(([k, v]) => `${k}=${v}`).join(' ') : '';
      process.stdout.write(`${String(o.runId).padStart(6)}  ${o.status.padEnd(11)} ${o.testAccuracy === null ? '   n/a' : (100 * o.testAccuracy).toFixed(2).padStart(6) + '%'}  ${grid}\n`);
    }
  }
  if (outcomes.some((o) => o.status === 'interrupted' || o.status === 'cancelled')) return 130;
  return outcomes.every((o) => o.status === 'completed') ? 0 : 1;
}
