// `sqs-workbench sweep --grid key=a,b [--grid …] [train flags] [--concurrency N] [--json]`,
// `sqs-workbench cancel <run>` and `sqs-workbench resume <run>|--all`: the service's sweep.start,
// runs.cancel and runs.resume, followed in this process until the runs end.
import type { Service } from '../../api/service';
import type { ApiInput, GridKey, ListedRun } from '../../common/contract';
import { configValue } from '../../common/run-fields';
import { withService } from './connect';
import { EXECUTOR_HELP, splitExecutorArgs } from './executor-args';
import { endPrinter } from './progress';
import { flagPaths, parseConfigFlag, parseTrainArgs, type TrainCliOptions } from './train-args';
import { integerFlag, parseFlags, runIdArg, singleValue, UsageError } from './usage';

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


const SWEEP_HELP = `usage: sqs-workbench sweep --grid KEY=V1,V2 [--grid …] [train flags] [--concurrency 1] [--workspace DIR] [--json]
KEY is any train flag (gate, seed, wd, lr, noise, d, h, layers, sqs-c, …; with --family lm, the
language model's: gate, seed, lr, d-model, steps, …); one run per combination, trained N at a time;
each run's value of KEY is checked as that train flag would be.
${EXECUTOR_HELP}`;

export async function sweepCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(SWEEP_HELP), 0;
  const { executor, rest: args } = splitExecutorArgs(argv);
  const { own, rest } = split(args, ['grid', 'concurrency']);
  const base = parseTrainArgs(rest) as TrainCliOptions;
  if (base.out !== null) throw new UsageError('--out: a sweep writes its runs into the workspace');
  const axes = (own.get('grid') ?? []).map((g) => {
    const m = /^([a-z][a-z-]*)=(.+)$/.exec(g);
    if (!m) throw new UsageError(`--grid: '${g}' must look like key=value1,value2`);
    const [, flag, list] = m;
    const family = 'family' in base.config ? 'lm' : 'classifier';
    if (NOT_GRIDDABLE.has(flag) || !(flag in flagPaths(family))) throw new UsageError(`--grid: '${flag}' ${NOT_GRIDDABLE.has(flag) ? 'cannot vary across a sweep' : `is not a train flag${family === 'lm' ? ' of a language model' : ''}`}`);
    const raw = list.split(',');
    if (raw.some((v) => v.trim() === '')) throw new UsageError(`--grid: '${g}' has an empty value`);
    // each value parsed exactly as the train flag parses it; stored under its config path (sqs.c)
    const parsed = raw.map((v) => parseConfigFlag(flag, v, family));
    return { key: parsed[0].path as GridKey, values: parsed.map((p) => p.value) };
  });
  if (axes.length === 0) throw new UsageError('sweep: give at least one --grid key=values');
  if (new Set(axes.map((a) => a.key)).size !== axes.length) throw new UsageError('--grid: each key may appear once');
  const concurrency = integerFlag('concurrency', singleValue('concurrency', own.get('concurrency')), 1, 1, 64);
  const input: ApiInput<'sweep.start'> = {
    base: base.config,
    axes: axes.map(({ key, values }) => ({ key, values })),
    concurrency,
    ...(base.name !== null ? { name: base.name } : {}),
    ...(base.tags.length ? { tags: base.tags } : {}),
    ...(executor ? { executor } : {}),
  };
  return withService({ workspace: base.workspace ?? undefined, concurrency }, async ({ service }) => {
    const off = base.json ? () => {} : service.on(endPrinter(process.stderr, accuracyOf(service)));
    try {
      const { sweepId, runIds, slurmJob } = await service.call('sweep.start', input);
      const where = slurmJob ? `submitted to Slurm as job array ${slurmJob}` : `queued (runs ${runIds[0]}…${runIds.at(-1)}), ${concurrency} at a time`;
      if (!base.json) process.stderr.write(`sweep ${sweepId}: ${runIds.length} runs ${where}${slurmJob ? ` (runs ${runIds[0]}…${runIds.at(-1)}); Ctrl-C stops watching, not the jobs` : ''}\n`);
      await service.idle();
      return printOutcomes(await outcomes(service, runIds), base.json, { sweep_id: sweepId, ...(slurmJob ? { slurm_job: slurmJob } : {}) }, axes.map((a) => a.key));
    } finally {
      off();
    }
  });
}

const RESUME_HELP = `usage: sqs-workbench resume <run>|--all [--concurrency 1] [--workspace DIR] [--json]
Continues interrupted (or cancelled, failed, or queued) runs from their last checkpoint; --all: every
interrupted run of the workspace, and every queued run whose process is gone (a sweep that was
stopped or killed before it reached them).
`;

export async function resumeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('resume', argv, { workspace: { type: 'string' }, concurrency: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return void process.stdout.write(RESUME_HELP), 0;
  if ((values.all === true) === positionals.length > 0 || positionals.length > 1) throw new UsageError('resume: name one run id, or --all');
  const json = values.json === true;
  const concurrency = integerFlag('concurrency', values.concurrency, 1, 1, 64);
  return withService({ workspace: values.workspace as string | undefined, create: false, concurrency }, async ({ service }) => {
    const ids = values.all ? await everyStoppedRun(service) : [runIdArg(positionals[0])];
    if (ids.length === 0) {
      process.stdout.write(json ? JSON.stringify({ runs: [] }) + '\n' : 'no interrupted runs, and no queued runs left by a process that is gone\n');
      return 0;
    }
    const off = json ? () => {} : service.on(endPrinter(process.stderr, accuracyOf(service)));
    try {
      for (const id of ids) await service.call('runs.resume', { id });
      await service.idle();
      return printOutcomes(await outcomes(service, ids), json, {});
    } finally {
      off();
    }
  });
}

/** The interrupted runs, and the queued runs whose process is gone (a sweep stopped before it reached them), oldest first. */
async function everyStoppedRun(service: Service): Promise<number[]> {
  const interrupted = (await service.call('runs.list', { filters: ['status=interrupted'], sort: 'id', limit: 10_000 })).rows.map((r) => r.id);
  const { orphaned } = await service.call('workspace.check', {});
  return [...new Set([...interrupted, ...orphaned])].sort((a, b) => a - b);
}

export async function cancelCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('cancel', argv, { workspace: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return void process.stdout.write('usage: sqs-workbench cancel <run> [--workspace DIR]\nA queued run is cancelled at once; a running one stops at its next step (in whichever process trains it).\n'), 0;
  if (positionals.length !== 1) throw new UsageError('cancel: name one run id');
  const id = runIdArg(positionals[0]);
  return withService({ workspace: values.workspace as string | undefined, create: false }, async ({ service }) => {
    const r = await service.call('runs.cancel', { id });
    process.stdout.write(r.status === 'cancelled' ? `run ${id} cancelled\n` : `run ${id} will stop at its next step\n`);
    return 0;
  });
}

/** ", test accuracy 97.10%" for a classifier, ", validation loss 0.6611" for a language model */
const accuracyOf = (service: Service) => async (id: number) => {
  const { run } = await service.call('runs.show', { id });
  if ('family' in run.config) return run.test_loss === null ? '' : `, validation loss ${run.test_loss.toFixed(4)}`;
  return run.test_accuracy === null ? '' : `, test accuracy ${(100 * run.test_accuracy).toFixed(2)}%`;
};

async function outcomes(service: Service, ids: readonly number[]): Promise<ListedRun[]> {
  return (await service.call('runs.list', { filters: [`id>=${Math.min(...ids)}`, `id<=${Math.max(...ids)}`], sort: 'id', limit: 10_000 })).rows.filter((r) => ids.includes(r.id));
}

/** One line (or JSON object) per run; a sweep's runs with the value each took of every grid key. */
function printOutcomes(runs: ListedRun[], json: boolean, extra: Record<string, unknown>, gridKeys: readonly GridKey[] = []): number {
  const grid = (r: ListedRun) => Object.fromEntries(gridKeys.map((k) => [k, configValue(r.config, k)]));
  if (json) {
    // a language model reports its validation loss where a classifier reports its accuracy
    const figure = (r: ListedRun) => ('family' in r.config ? { val_loss: r.test_loss } : { test_accuracy: r.test_accuracy });
    const out = runs.map((r) => ({ run_id: r.id, status: r.status, ...figure(r), ...(gridKeys.length ? { grid: grid(r) } : {}), ...(r.error ? { error: r.error } : {}) }));
    process.stdout.write(JSON.stringify({ ...extra, runs: out }) + '\n');
  } else {
    for (const r of runs) {
      const values = Object.entries(grid(r)).map(([k, v]) => `${k}=${v}`).join(' ');
      const shown = 'family' in r.config ? (r.test_loss === null ? '    n/a' : r.test_loss.toFixed(4).padStart(7)) : r.test_accuracy === null ? '   n/a' : (100 * r.test_accuracy).toFixed(2).padStart(6) + '%';
      process.stdout.write(`${String(r.id).padStart(6)}  ${r.status.padEnd(11)} ${shown}  ${values || r.name}\n`);
    }
  }
  if (runs.some((r) => r.status === 'interrupted' || r.status === 'cancelled')) return 130;
  return runs.every((r) => r.status === 'completed') ? 0 : 1;
}
