// The paper's comparison as an ordinary sweep in the workspace: every gate × seed × share of the
// training set, trained here or on a cluster executor, resumable, and reused by a later call (a
// run whose config is the one wanted and that has finished is not trained again). Finished
// full-data runs are analysed through the atlas service; the numbers (engine/analysis/study.ts)
// and, when asked, the report (export/report.ts) are made from the runs' stored metrics.
import { createRequire } from 'node:module';
import type { Service } from './service';
import type { ApiEvent, Executor, GateName, ListedRun, TrainConfig } from '../common/contract';
import type { StudyResult, StudyRun } from '../engine/analysis/study-types';
import type { ReportFiles } from '../export/report';
import { APP_VERSION } from '../common/version';
import { mapped } from './errors';
import { unsupported } from '../engine/nn/families';

export interface StudyPlan {
  /** the shared config: gate, seed and train_percent are set per run */
  base: TrainConfig;
  gates: readonly GateName[];
  seeds: readonly number[];
  /** shares of the training set, in percent */
  percents: readonly number[];
  concurrency: number;
  executor?: Executor;
  topK: number;
  /** write the report here (null: the numbers only) */
  reportDir: string | null;
  /** the command line, for the report's provenance */
  command: string;
  log?: (line: string) => void;
}

export interface StudyOutcome {
  runs: StudyRun[];
  result: StudyResult;
  /** wanted runs that did not finish (failed, still training on a cluster …) */
  unfinished: number[];
  report: ReportFiles | null;
  /** runs reused from earlier calls */
  reused: number;
}

/** A config as canonical text: keys sorted at every level. */
export function configKey(c: unknown): string {
  const sort = (v: unknown): unknown => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v);
  return JSON.stringify(sort(c));
}

export function wantedConfigs(p: Pick<StudyPlan, 'base' | 'gates' | 'seeds' | 'percents'>): TrainConfig[] {
  return p.gates.flatMap((gate) => p.seeds.flatMap((seed) => p.percents.map((train_percent) => ({ ...p.base, gate, seed, train_percent }))));
}

async function listAll(service: Service, dataset: string): Promise<ListedRun[]> {
  return (await service.call('runs.list', { filters: [`dataset=${dataset}`], limit: 10_000, sort: 'id' })).rows;
}

export async function runStudy(service: Service, p: StudyPlan): Promise<StudyOutcome> {
  const log = p.log ?? (() => {});
  const wanted = wantedConfigs(p);
  const byKey = (rows: ListedRun[]) => {
    const m = new Map<string, ListedRun>();
    // the best run of each config: a completed one first, then the newest
    for (const r of rows) {
      const k = configKey(r.config);
      const had = m.get(k);
      if (!had || (had.status !== 'completed' && (r.status === 'completed' || r.id > had.id))) m.set(k, r);
    }
    return m;
  };
  let known = byKey(await listAll(service, p.base.dataset));
  const missing = wanted.filter((c) => !known.has(configKey(c)));
  const reused = wanted.filter((c) => known.get(configKey(c))?.status === 'completed').length;
  for (const c of wanted) {
    const r = known.get(configKey(c));
    if (r && ['interrupted', 'cancelled', 'failed'].includes(r.status)) {
      log(`resuming run ${r.id} (${r.status})`);
      await service.call('runs.resume', { id: r.id });
    }
  }
  if (missing.length > 0) {
    const { gate: _g, seed: _s, train_percent: _p, ...base } = p.base;
    const name = `reproduce ${p.base.dataset}`;
    const common = { base, concurrency: p.concurrency, name, tags: ['reproduce'], ...(p.executor ? { executor: p.executor } : {}) };
    if (missing.length === wanted.length) {
      const axes = [{ key: 'gate' as const, values: [...p.gates] }, { key: 'seed' as const, values: [...p.seeds] }, { key: 'train_percent' as const, values: [...p.percents] }];
      const s = await service.call('sweep.start', { ...common, axes });
      log(`sweep ${s.sweepId}: ${s.runIds.length} runs queued, ${p.concurrency} at a time`);
    } else {
      for (const c of missing) await service.call('sweep.start', { ...common, axes: [{ key: 'gate', values: [c.gate] }, { key: 'seed', values: [c.seed] }, { key: 'train_percent', values: [c.train_percent] }] });
      log(`${missing.length} missing runs queued; ${reused} finished runs reused`);
    }
  } else log(`all ${wanted.length} runs exist; ${reused} finished runs reused`);
  await service.idle();

  known = byKey(await listAll(service, p.base.dataset));
  const finished: { row: ListedRun; config: TrainConfig }[] = [];
  const unfinished: number[] = [];
  for (const c of wanted) {
    const r = known.get(configKey(c));
    if (r?.status === 'completed' && r.test_accuracy !== null) finished.push({ row: r, config: c });
    else if (r) unfinished.push(r.id);
  }
  const runs: StudyRun[] = [];
  for (const { row, config } of finished) {
    if (config.train_percent === 100 && unsupported(config, 'readFeatures') === null) await analysed(service, row.id, p.topK, log);
    const dir = (await service.call('runs.show', { id: row.id })).dir;
    runs.push({ id: row.id, gate: config.gate, seed: config.seed, percent: config.train_percent, dir, test_accuracy: row.test_accuracy! });
  }
  return mapped(async () => {
    const { studyOf } = await import('../engine/analysis/study');
    const { datasetShape } = await import('../engine/data/load');
    const result = studyOf(runs, { topK: p.topK, trainExamples: datasetShape(p.base.dataset).train });
    let report: ReportFiles | null = null;
    if (p.reportDir) {
      const { writeReport } = await import('../export/report');
      const { gate: _g, seed: _s, train_percent: _p, ...config } = p.base;
      const commits = [...new Set(finished.map((f) => f.row.git_commit).filter((c): c is string => !!c))];
      report = await writeReport({
        dataset: p.base.dataset,
        runs,
        result,
        config: { ...config, train_percent: p.percents.join(', ') },
        commands: [p.command],
        versions: versions(commits),
        outDir: p.reportDir,
      });
    }
    return { runs, result, unfinished, report, reused };
  });
}

/** What computed the numbers. */
export function versions(commits: readonly string[] = []): Record<string, string> {
  const require = createRequire(import.meta.url);
  const of = (pkg: string) => {
    try {
      return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return { 'sqs-workbench': APP_VERSION, ...(commits.length ? { 'git commit of the runs': commits.join(', ') } : {}), node: process.version, 'onnxruntime-node': of('onnxruntime-node'), platform: `${process.platform} ${process.arch}` };
}

/** Analyses a run through the atlas service unless it has an analysis, and waits for it. */
async function analysed(service: Service, id: number, topK: number, log: (s: string) => void): Promise<void> {
  const status = await service.call('atlas.status', { id });
  if (status.state === 'ready' || status.state === 'unavailable') return;
  let off = () => {};
  const done = new Promise<void>((resolve, reject) => {
    off = service.on((e: ApiEvent) => {
      if (e.type !== 'analysis' || e.runId !== id) return;
      if (e.state === 'ready') resolve();
      else if (e.state === 'missing') reject(new Error(`analysis of run ${id} failed: ${e.error}`));
    });
  });
  try {
    log(`analysing run ${id}`);
    const s = await service.call('atlas.analyze', { id, topK });
    if (s.state !== 'ready') await done;
  } finally {
    off();
  }
}
