// The one implementation of the contract, over the workspace (store/) and the job queue (jobs/).
// Both transports (Electron IPC, the web host) and the CLI wrap this object and nothing else.
// Inputs are validated in `call` and only there; every failure leaves as an ApiError.
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDatasetSpec } from '../engine/data/spec';
import { availableExecutionProviders } from '../engine/onnx/session';
import { DEFAULT_CONFIG, EXECUTION_PROVIDERS, type ExecutionProvider, type TrainConfig } from '../engine/train/config';
import { checkConfigsFit } from '../engine/train/memory';
import { checkLmMemory } from '../engine/train/lm-memory';
import { readRunConfig } from '../engine/train/run';
import { createSweep, expandGrid } from '../jobs/sweep';
import { diffRuns, exportMetrics, groupRuns, listRuns, metricSeries, showRun } from '../store/query';
import { addNote, deleteRun, renameRun, tagRun, untagRun } from '../store/run-edits';
import { importRun } from '../store/run-import';
import { describeFolders, foreignFolder, runFoldersWithoutDatabase, unregisteredFolders, unregisteredNotice } from '../store/runs-folder';
import { adoptQueuedRuns, orphanedNotice, orphanedQueuedRuns, queuedElsewhere, releaseQueuedRuns } from '../store/run-owners';
import { adoptLegacyDatasetList } from '../store/datasets';
import { CANCELLABLE, cancelRun, createRun, finishRun, getRun, requeueRun, RESUMABLE, type RunStatus } from '../store/runs';
import { hostName, processAlive, Workspace } from '../store/workspace';
import { mappedNow, toApiError } from './errors';
import { createAtlasService } from './atlas-service';
import { createLmAtlasService } from './lm-atlas-service';
import { createSlurmService } from './slurm-service';
import { ApiError, DATA_ROOT_HINT, GENERATE, isMethod, METHOD_NAMES, parseInput, WORKSPACE_SWITCH_HINT, type Api, type ApiEvent, type ApiInput, type ApiOutput, type ApiParsed, type Method, type Settings } from '../common/contract';
import { importDataset, knownDatasets, listDatasets, missingData } from './datasets';
import { folderAccess, type ChooseFolder, type DataRoots } from './folder-access';
import { Scheduler } from '../jobs/scheduler';
import { applyConfigPatch, checkTrainConfig, defaultsOf, gridPatch, type GridKey, type RunConfigPatch } from '../common/train-config';
import { isLmConfig, lmShapeProblem, type LmConfig, type RunConfig } from '../engine/train/lm-config';
import { readSamples } from '../engine/train/lm-samples';
import { parseTextSpec } from '../engine/text/spec';
import { folderOf, missingText } from './text-data';

export interface Service extends Api {
  /** Stops training at the next step boundary (runs end interrupted, resumable) and closes the workspace. */
  close(): Promise<void>;
  /** Stops training at the next step boundary (runs end interrupted, resumable); calls still answer. */
  stop(): Promise<void>;
  /** Resolves when no run is queued or training in this service. */
  idle(): Promise<void>;
}

export interface ServiceOptions {
  workspaceDir: string;
  executionProvider?: ExecutionProvider;
  /** runs trained at once; default 1 (runs side by side split the cores between them) */
  concurrency?: number;
  /** false: refuse a folder that holds no workspace yet rather than create one (reading commands) */
  create?: boolean;
  /** the caller only reads: a workspace that cannot be written opens read-only instead of being refused */
  readonly?: boolean;
  /**
   * Queue here, whenever a workspace is opened, the queued runs whose process is gone (a sweep
   * killed before it got to them): the hosts that stay open, the web host and the desktop app.
   */
  resumeOrphans?: boolean;
  /** the host's folder dialog (the desktop app's, in its main process): settings.chooseWorkspace and datasets.import without a path */
  chooseFolder?: ChooseFolder;
  /**
   * Folders outside the workspace a caller may name by path (datasets.import, runs.import, an
   * idx: dataset not known to the workspace): 'any' on the command line, whose person typed it;
   * else only those under these roots (serve --data-root), links resolved. Default: none.
   */
  dataRoots?: DataRoots;
}

type Handlers = { [M in Method]: (input: ApiParsed<M>) => ApiOutput<M> | Promise<ApiOutput<M>> };


export function createService(opts: ServiceOptions): Service {
  const folders = folderAccess(opts.dataRoots ?? [], opts.chooseFolder !== undefined);
  if (opts.create === false && !existsSync(join(opts.workspaceDir, 'workspace.db'))) {
    const lost = runFoldersWithoutDatabase(opts.workspaceDir);
    if (lost.length > 0) throw new ApiError('not_found', `no workspace.db in ${opts.workspaceDir}, though its runs/ holds ${describeFolders(lost)}: 'sqs-workbench runs import <folder>' registers them in a new workspace.db`);
    throw new ApiError('not_found', `no workspace at ${opts.workspaceDir} (no workspace.db there); give --workspace DIR or train a run first`);
  }
  let ws = mappedNow(() => openWorkspace(opts.workspaceDir, opts.readonly));
  const settings: Settings = { workspaceDir: ws.dir, executionProvider: opts.executionProvider ?? 'cpu', concurrency: opts.concurrency ?? 1 };
  const listeners = new Set<(e: ApiEvent) => void>();
  let closed = false;

  const emit = (e: ApiEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // one broken listener (a closed socket) must not starve the others
      }
    }
  };
  const scheduler = new Scheduler({
    workspaceDir: () => ws.dir,
    concurrency: () => settings.concurrency,
    emit,
    settle: (id, crash) => {
      try {
        return settled(id, crash);
      } catch (e) {
        // the workspace cannot record it (a full disk): say so to whoever listens, change nothing
        return { status: 'failed', error: `${crash ?? 'the run ended'} (and the workspace could not record it: ${(ws.problem(e) as Error).message})` };
      }
    },
  });
  /** The run's status once its worker has exited; a run the worker left queued or claimed by us failed, and `crash` says why. */
  function settled(id: number, crash: string | null): { status: RunStatus; error: string | null } | null {
    const row = ws.db.prepare(`SELECT status, error, pid FROM runs WHERE id = ?`).get(id) as { status: RunStatus; error: string | null; pid: number | null } | undefined;
    if (!row) return null;
    const ours = row.status === 'queued' || (row.status === 'running' && row.pid === process.pid);
    if (crash === null || !ours) return { status: row.status, error: row.error };
    finishRun(ws, id, 'failed', crash);
    return { status: 'failed', error: crash };
  }
  const atlas = createAtlasService({
    workspace: () => ws,
    executionProvider: () => settings.executionProvider,
    emit,
    scheduled: (id) => scheduler.state(id) !== null,
    lm: () => lmAtlas.handlers,
  });
  const lmAtlas = createLmAtlasService({ workspace: () => ws });
  const slurm = createSlurmService({ workspace: () => ws, emit });
  const queued = (ids: readonly number[]) => ids.forEach((runId) => emit({ type: 'status', runId, status: 'queued', error: null }));

  /** Takes over the workspace's orphaned queued runs (resumeOrphans), each trained as if resumed. */
  function adoptOrphans(): void {
    if (!opts.resumeOrphans || !ws.writable) return;
    const ids = adoptQueuedRuns(ws, orphanedQueuedRuns(ws));
    for (const id of ids) scheduler.enqueue([id], `run:${id}`, 1);
    queued(ids);
  }
  mappedNow(() => {
    try {
      adoptOrphans();
      slurm.opened();
    } catch (e) {
      ws.close();
      throw ws.problem(e);
    }
  });

  /** Stops training; the runs still waiting here are given up, so that another process may take them at once. */
  async function stopTraining(): Promise<void> {
    releaseQueuedRuns(ws, scheduler.pendingRunIds());
    slurm.watch.stop(); // tasks on Slurm go on; the workbench that opens the workspace next ingests them
    await scheduler.stop();
  }

  /** Refuses a config whose data, execution provider or memory is missing here, before a run is created. */
  async function checkRunnable(method: Method, all: readonly RunConfig[], elsewhere = false): Promise<void> {
    const lms = all.filter(isLmConfig);
    const configs = all.filter((c): c is TrainConfig => !isLmConfig(c));
    for (const c of lms) checkTextRunnable(method, c);
    for (const spec of new Set(configs.map((c) => c.dataset))) checkDataReadable(method, spec);
    const eps = new Set(all.map((c) => c.ep));
    // a run trained on a cluster's node finds its execution provider there
    if (!elsewhere && [...eps].some((ep) => ep !== 'cpu')) {
      const available = await availableExecutionProviders();
      for (const ep of eps) if (!available.includes(ep)) throw new ApiError('unavailable', `execution provider '${ep}' is not available here; available: ${available.join(', ')}`);
    }
    for (const spec of new Set(configs.map((c) => c.dataset))) {
      const missing = missingData(spec);
      if (missing) throw new ApiError('unavailable', missing);
    }
    checkConfigsFit(configs);
  }

  /** A language model's corpus and tokenizer file must be here, and be ones a caller may name. */
  function checkTextRunnable(method: Method, c: LmConfig): void {
    // a patch is checked field by field; the rule between heads and d_model holds for the whole config
    const shape = lmShapeProblem(c);
    if (shape) throw new ApiError('bad_request', `${method}: config: ${shape}`);
    checkLmMemory(c); // MemoryLimitError → unavailable
    const spec = parseTextSpec(c.dataset);
    if (spec.ok && spec.value.kind === 'text') folders.readable(folderOf(spec.value.path), `${method}: config.dataset`, 'name a file under the data roots');
    if (c.tokenizer !== '') folders.readable(dirname(resolve(c.tokenizer)), `${method}: config.tokenizer`, 'name a file under the data roots');
    const missing = missingText(c);
    if (missing) throw new ApiError('unavailable', missing);
  }

  /** An idx: folder the workspace does not know yet (imported, or trained on) must be one a caller may name. */
  function checkDataReadable(method: Method, spec: string): void {
    const parsed = parseDatasetSpec(spec);
    if (!parsed.ok || parsed.value.kind !== 'idx' || knownDatasets(ws).has(spec)) return;
    folders.readable(parsed.value.dir, `${method}: config.dataset`, 'import the folder first (datasets.import, without a path)');
  }

  function requireIdle(): void {
    if (scheduler.busy() || atlas.busy() || slurm.watch.busy()) throw new ApiError('conflict', `runs are queued, training or being analysed in ${settings.workspaceDir}; wait for them or cancel them before switching workspace`);
  }

  /** Switches to the workspace in `dir` once nothing runs in this one. */
  function switchWorkspace(dir: string): void {
    requireIdle();
    if (dir === settings.workspaceDir) return;
    const next = openWorkspace(dir, opts.readonly);
    ws.close();
    ws = next;
    settings.workspaceDir = ws.dir;
    adoptOrphans();
    slurm.opened();
  }

  /** The defaults a patch is laid over: its family's, on this workspace's execution provider. */
  const defaults = (patch?: RunConfigPatch): RunConfig => ({ ...defaultsOf(patch && 'family' in patch ? 'lm' : 'classifier'), ep: settings.executionProvider });

  function requireRun(id: number) {
    return getRun(ws, id); // RunNotFoundError → not_found
  }

  const handlers: Handlers = {
    'runs.list': ({ filters, sort, groupBy, limit, offset }) => {
      const page = listRuns(ws, { filters, sort, limit, offset });
      return { ...page, groups: groupBy === undefined ? null : groupRuns(ws, { filters }, groupBy) };
    },
    'runs.show': ({ id }) => showRun(ws, id),
    'runs.samples': ({ id }) => {
      requireRun(id);
      return { samples: readSamples(ws.runDir(id)) };
    },
    'runs.generate': async ({ id, prompt, ...o }) => {
      const run = requireRun(id);
      if (!isLmConfig(run.config)) throw new ApiError('bad_request', `run ${id} is a classifier; only a language model generates text`);
      const { generateText } = await import('../engine/train/lm-generate');
      return generateText(ws.runDir(id), run.config, prompt, { ...GENERATE.defaults, ...o });
    },
    'runs.diff': ({ a, b }) => diffRuns(ws, a, b),
    'runs.metrics': ({ ids, names }) => metricSeries(ws, [...new Set(ids)], names),
    'runs.exportMetrics': ({ ids, format, names }) => ({ format, text: exportMetrics(ws, ids, format, names) }),
    'runs.tag': ({ id, tag }) => ({ changed: tagRun(ws, id, tag) }),
    'runs.untag': ({ id, tag }) => ({ changed: untagRun(ws, id, tag) }),
    'runs.note': ({ id, body }) => ({ noteId: addNote(ws, id, body) }),
    'runs.rename': ({ id, name }) => {
      renameRun(ws, id, name);
      return { id, name };
    },
    'runs.delete': async ({ id }) => {
      const run = requireRun(id);
      if (run.executor === 'slurm' && (run.status === 'running' || (run.status === 'cancelled' && run.ended_at === null))) throw new ApiError('conflict', `run ${id} is being trained on Slurm (job ${run.slurm_job}); cancel it and wait for it to stop before deleting it`);
      if (run.executor === 'slurm' && run.status === 'queued') await slurm.cancel(run);
      const trainedElsewhere = run.status === 'running' && run.pid !== null && run.host === hostName() && processAlive(run.pid);
      if (scheduler.state(id) === 'running' || trainedElsewhere) throw new ApiError('conflict', `run ${id} is being trained; cancel it before deleting it`);
      if (atlas.analyzing(id)) throw new ApiError('conflict', `run ${id} is being analysed; delete it once the analysis ends`);
      scheduler.dequeue(id);
      deleteRun(ws, id);
      return { id };
    },
    'runs.import': ({ path, name, tags }) => {
      // a folder of this workspace's own runs/ that its database does not know registers in place
      // over any transport (workspace.check lists them); any other folder only where folders may be named
      const own = resolve(path);
      const inPlace = unregisteredFolders(ws).includes(own) && lstatSync(own).isDirectory();
      const dir = inPlace ? own : folders.readable(path, 'runs.import: path', "import a run folder with 'sqs-workbench runs import DIR'");
      const id = importRun(ws, dir, { name, tags });
      return { id, status: getRun(ws, id).status };
    },
    'runs.cancel': async ({ id }) => {
      const run = requireRun(id);
      if (!CANCELLABLE.includes(run.status)) throw new ApiError('conflict', `run ${id} is ${run.status}; only queued or running runs can be cancelled`);
      // the same mechanism as `sqs-workbench cancel`: the training job polls its row and stops
      if (!cancelRun(ws, id)) throw new ApiError('conflict', `run ${id} ended before it could be cancelled`);
      if (run.executor === 'slurm') {
        await slurm.cancel(run); // scancel: a pending task is gone, a running one stops at its next step
        if (run.status === 'queued') emit({ type: 'status', runId: id, status: 'cancelled', error: null });
        return { id, status: run.status === 'queued' ? 'cancelled' : 'stopping' };
      }
      const where = scheduler.state(id);
      scheduler.dequeue(id);
      if (run.status === 'queued' && where !== 'running') {
        emit({ type: 'status', runId: id, status: 'cancelled', error: null });
        return { id, status: 'cancelled' };
      }
      return { id, status: 'stopping' }; // its worker reports the final status when it stops
    },
    'runs.resume': async ({ id }) => {
      const run = requireRun(id);
      if (run.executor === 'slurm') {
        if (!RESUMABLE.includes(run.status) || run.status === 'queued') throw new ApiError('conflict', `run ${id} is ${run.status === 'queued' ? `queued on Slurm (job ${run.slurm_job})` : run.status}; only ${RESUMABLE.filter((s) => s !== 'queued').join(', ')} runs on Slurm can be resumed`);
        await slurm.resume(run);
        queued([id]);
        return { id, status: 'queued' };
      }
      if (scheduler.state(id) !== null) throw new ApiError('conflict', `run ${id} is already ${scheduler.state(id) === 'running' ? 'training' : 'queued'}`);
      if (!RESUMABLE.includes(run.status)) throw new ApiError('conflict', `run ${id} is ${run.status}; only ${RESUMABLE.join(', ')} runs can be resumed`);
      const owner = queuedElsewhere(ws, id);
      if (owner) throw new ApiError('conflict', `run ${id} is queued by process ${owner.pid} on ${owner.host}, which will train it`);
      const foreign = foreignFolder(ws, run);
      if (foreign) throw new ApiError('conflict', foreign);
      // a folder it would continue from must hold a config it can read (RunDirError names the field)
      if (existsSync(ws.runDir(id)) && readdirSync(ws.runDir(id)).length > 0) readRunConfig(ws.runDir(id), checkTrainConfig);
      // shown as queued until a worker claims it; the job continues from the last checkpoint
      if (!requeueRun(ws, id)) throw new ApiError('conflict', `run ${id} is still stopping after its cancel; resume it once it has stopped`);
      scheduler.enqueue([id], `run:${id}`, 1);
      queued([id]);
      return { id, status: 'queued' };
    },
    'train.start': async ({ config, name, tags, executor }) => {
      if (executor?.kind === 'slurm') {
        await slurm.check('train.start', executor);
        const cfg = slurm.configFor(applyConfigPatch(defaults(config), config ?? {}), executor);
        await checkRunnable('train.start', [cfg], true);
        const runId = createRun(ws, { config: cfg, name, tags, owned: false });
        const slurmJob = await slurm.submit([runId], executor, name ?? `run-${runId}`);
        queued([runId]);
        return { runId, slurmJob };
      }
      const cfg = applyConfigPatch(defaults(config), config ?? {});
      await checkRunnable('train.start', [cfg]);
      const runId = createRun(ws, { config: cfg, name, tags });
      scheduler.enqueue([runId], `run:${runId}`, 1);
      queued([runId]);
      return { runId };
    },
    'sweep.start': async ({ base, axes, concurrency, name, tags, executor }) => {
      const onSlurm = executor?.kind === 'slurm' ? executor : null;
      if (onSlurm) await slurm.check('sweep.start', onSlurm);
      const patched = applyConfigPatch(defaults(base), base ?? {});
      const baseConfig = onSlurm ? slurm.configFor(patched, onSlurm) : patched;
      const configs = expandGrid(axes).map((combo) => Object.entries(combo).reduce((cfg, [key, v]) => applyConfigPatch(cfg, gridPatch(key as GridKey, v)), baseConfig));
      await checkRunnable('sweep.start', configs, onSlurm !== null);
      const grid = axes.map((a) => ({ key: a.key, values: a.values.map(String) }));
      const sweepName = name ?? `sweep ${axes.map((a) => a.key).join('×')}`;
      const { sweepId, runIds } = createSweep(ws, { name: sweepName, axes: grid, base: baseConfig, configs, tags, owned: onSlurm === null });
      if (onSlurm) {
        const slurmJob = await slurm.submit(runIds, onSlurm, sweepName);
        queued(runIds);
        return { sweepId, runIds, slurmJob };
      }
      scheduler.enqueue(runIds, `sweep:${sweepId}`, concurrency ?? settings.concurrency);
      queued(runIds);
      return { sweepId, runIds };
    },
    'settings.get': () => ({ ...settings }),
    'settings.set': async (patch) => {
      if (patch.executionProvider !== undefined && patch.executionProvider !== 'cpu') {
        const available = await availableExecutionProviders();
        if (!available.includes(patch.executionProvider)) throw new ApiError('unavailable', `executionProvider: '${patch.executionProvider}' is not available here; available: ${available.join(', ')}`);
      }
      if (patch.executionProvider !== undefined) settings.executionProvider = patch.executionProvider;
      if (patch.concurrency !== undefined) settings.concurrency = patch.concurrency;
      scheduler.pump();
      return { ...settings };
    },
    'settings.chooseWorkspace': async () => {
      if (!opts.chooseFolder) throw new ApiError('unavailable', `settings.chooseWorkspace: this host has no folder dialog; ${WORKSPACE_SWITCH_HINT}`);
      requireIdle(); // before the dialog opens, and again once a folder is chosen
      const dir = await opts.chooseFolder('workspace');
      if (dir === null) return null;
      switchWorkspace(resolve(dir));
      scheduler.pump();
      return { ...settings };
    },
    'datasets.list': () => listDatasets(ws),
    'datasets.import': async ({ path, name }) => {
      if (path !== undefined) return importDataset(ws, folders.readable(path, 'datasets.import: path', 'choose it in the folder dialog (datasets.import without a path)'), name);
      if (!opts.chooseFolder) throw new ApiError('bad_request', `datasets.import: path: required: ${folders.roots === 'any' ? 'the folder of IDX files to import' : folders.roots.length > 0 ? `a folder of IDX files under ${folders.roots.join(', ')}` : `this server has no folder dialog and may read no folder; ${DATA_ROOT_HINT}`}`);
      const dir = await opts.chooseFolder('dataset');
      return dir === null ? null : importDataset(ws, resolve(dir), name);
    },
    'system.slurm': () => slurm.info(),
    'system.executionProviders': async () => ({ available: await availableExecutionProviders(), known: EXECUTION_PROVIDERS }),
    'workspace.check': () => {
      const unregistered = unregisteredFolders(ws);
      const orphaned = orphanedQueuedRuns(ws).filter((id) => scheduler.state(id) === null);
      return { dir: ws.dir, unregistered, orphaned, notices: [unregisteredNotice(ws, unregistered), orphanedNotice(orphaned)].filter((n) => n !== null) };
    },
    'system.host': () => ({ folderChooser: opts.chooseFolder !== undefined, dataRoots: folders.roots === 'any' ? 'any' : [...folders.roots] }),
    ...atlas.handlers,
    ...lmAtlas.handlers,
  };

  return {
    async call<M extends Method>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      try {
        if (typeof method !== 'string' || !isMethod(method)) throw new ApiError('not_found', `unknown method ${JSON.stringify(String(method)).slice(0, 100)}; methods: ${METHOD_NAMES.join(', ')}`);
        if (closed) throw new ApiError('conflict', 'the service is closed');
        const parsed = parseInput(method, input);
        return await (handlers[method] as (i: ApiParsed<M>) => ApiOutput<M> | Promise<ApiOutput<M>>)(parsed);
      } catch (e) {
        throw toApiError(ws.problem(e));
      }
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle: async () => {
      await scheduler.idle();
      await slurm.watch.idle();
    },
    stop: stopTraining,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([stopTraining(), atlas.close()]);
      lmAtlas.close();
      listeners.clear();
      ws.close();
    },
  };
}

function openWorkspace(dir: string, readonly = false): Workspace {
  const ws = Workspace.open(dir, { readonly }); // its refusals are one line each (store/database-errors.ts)
  try {
    if (ws.writable) adoptLegacyDatasetList(ws);
    return ws;
  } catch (e) {
    ws.close();
    throw ws.problem(e);
  }
}
