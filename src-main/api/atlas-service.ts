// The atlas calls of the contract: whether a run can be read, analysing it in a worker thread with
// progress events, and reading its features, feature details, explanations and comparisons. A
// run's read data is kept per run folder and dropped when its files change; test sets are kept
// per dataset spec, so that clicking through features never rereads a file.
//
// Which runs have an atlas: a completed run whose model can be read (engine/nn/families.ts: a
// classifier whose gate has a gate product; a relu-mlp has none).
// Deeper models are read at their first layer, to first order, like any gate but the bilinear
// one; the atlas says how faithful that reading is. Comparing two runs needs no analysis: the
// spectra come from the weights (from the stored analysis when there is one, which holds the very
// same spectra), so any two finished runs on the same data compare.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Split } from '../engine/data/dataset';
import { loadTestSplit } from '../engine/data/load';
import { atlasOf, featureDetailOf, testExamplesOf } from '../engine/analysis/atlas-data';
import { compareSources } from '../engine/analysis/atlas-compare';
import { explainWith } from '../engine/analysis/atlas-explain';
import { analysisPaths, hasAnalysis, readAnalysisSource, weightsSource, type AtlasSource } from '../engine/analysis/atlas-source';
import { unsupported } from '../engine/nn/families';
import { isLmConfig } from '../engine/train/lm-config';
import type { ExecutionProvider } from '../engine/train/config';
import { RUN_FILES } from '../engine/train/run-files';
import { analyzeInWorker, type AnalysisChoices } from '../jobs/analysis-thread';
import { missingData } from './datasets';
import { toApiError } from './errors';
import { recordAnalysis } from '../store/analyses';
import { getRun, type RunRow } from '../store/runs';
import type { Workspace } from '../store/workspace';
import { exportRunAtlas, runAtlasFile } from '../export/atlas-run';
import { newExportFolder } from './export-folder';
import type { Figure, Provenance } from '../common/figures/figure';
import { atlasFigure, comparePairsFigure, explanationFigure, featureFigure, similarityFigure, type FigureOptions } from '../common/figures';
import { renderFigure } from '../export/render';
import { atlasFile } from '../export/atlas-file';
import { readLmAtlas, renderLmAtlas, writeLmAtlas } from '../export/lm-atlas';
import { lmFigure, lmFigureFileName, lmProvenance, lmReader, type LmFigureSpec } from './lm-figures';
import type { LmHandlers } from './lm-atlas-service';
import { APP_VERSION } from '../common/version';
import { ATLAS_COUNT } from '../common/formats';
import { ApiError, type ApiEvent, type Atlas, type AtlasComparison, type ApiOutput, type ApiParsed, type AtlasStatus, type FeatureDetail, type FigureSpec, type Method } from '../common/contract';

type AtlasMethod = Extract<Method, `atlas.${string}` | `export.${string}`>;
export type AtlasHandlers = { [M in AtlasMethod]: (input: ApiParsed<M>) => ApiOutput<M> | Promise<ApiOutput<M>> };

export interface AtlasServiceOptions {
  workspace: () => Workspace;
  executionProvider: () => ExecutionProvider;
  emit: (e: ApiEvent) => void;
  /** whether the run is queued or training in this service */
  scheduled: (runId: number) => boolean;
  /** the service's lm.* handlers (created after this one, hence a getter) */
  lm: () => LmHandlers;
}

export interface AtlasService {
  handlers: AtlasHandlers;
  /** whether the run is being analysed by this service */
  analyzing(runId: number): boolean;
  busy(): boolean;
  /** stops every analysis (nothing half-written is left) and forgets what was read */
  close(): Promise<void>;
}

/** The classifier atlas reads images' classes; a language model is read per output token by the lm.* calls. */
const LM_NOT_IN_ATLAS = 'a language model has no classifier atlas: its MLPs are read per output token (lm.spectrum, lm.feature, lm.explain, lm.compare)';

export const ATLAS_DEFAULTS = { count: ATLAS_COUNT.default, examples: 8, explain: 8, compare: 8 } as const;
const KEEP_RUNS = 6;

interface Job {
  runId: number;
  stage: string;
  fraction: number;
  abort: AbortController;
  done: Promise<void>;
}

/** A run's read data, and its atlas by count (computed once: the UI opens it often). */
interface Entry {
  key: string;
  src: AtlasSource;
  atlases: Map<number, Atlas>;
}

/** Why a run has no atlas yet, and which error code refusing to analyse it gets. */
type Verdict = { status: AtlasStatus; refuse: 'bad_request' | 'conflict' | 'unavailable' | null };

export function createAtlasService(opts: AtlasServiceOptions): AtlasService {
  const jobs = new Map<string, Job>(); // by run folder
  const failures = new Map<string, string>(); // the last analysis error per run folder
  const sources = new Map<string, Entry>();
  const tests = new Map<string, Split>(); // test splits by dataset spec

  const runOf = (id: number) => ({ run: getRun(opts.workspace(), id), dir: opts.workspace().runDir(id) });

  /** The analysed run's data, reread only when its analysis or weights change. */
  function analysedSource(dir: string): Entry {
    const paths = analysisPaths(dir);
    return cached(`analysis:${dir}`, [paths.summary, paths.spectra, join(dir, RUN_FILES.weights)], () => readAnalysisSource(dir));
  }

  function cached(name: string, files: string[], read: () => AtlasSource): Entry {
    const key = files
      .map((f) => {
        const st = statSync(f, { throwIfNoEntry: false });
        return st ? `${st.mtimeMs}:${st.size}` : '-';
      })
      .join('|');
    const hit = sources.get(name);
    if (hit && hit.key === key) {
      sources.delete(name); // most recently used last
      sources.set(name, hit);
      return hit;
    }
    const entry: Entry = { key, src: read(), atlases: new Map() };
    sources.delete(name);
    sources.set(name, entry);
    while (sources.size > KEEP_RUNS) sources.delete(sources.keys().next().value!);
    return entry;
  }

  function testSplit(spec: string): Split {
    let test = tests.get(spec);
    if (!test) {
      test = loadTestSplit(spec);
      tests.set(spec, test);
    }
    return test;
  }

  function verdict(run: RunRow, dir: string): Verdict {
    const status = (state: AtlasStatus['state'], reason: string | null = null, progress: AtlasStatus['progress'] = null): AtlasStatus => ({ runId: run.id, state, reason, progress });
    const job = jobs.get(dir);
    if (job) return { status: status('analyzing', null, { stage: job.stage, fraction: job.fraction }), refuse: null };
    const unreadable = isLmConfig(run.config) ? LM_NOT_IN_ATLAS : unsupported(run.config, 'readFeatures');
    if (unreadable) return { status: status('unavailable', unreadable), refuse: 'bad_request' };
    if (opts.scheduled(run.id) || run.status === 'queued' || run.status === 'running') {
      return { status: status('unavailable', `run ${run.id} is ${run.status === 'queued' ? 'queued' : 'training'}; its features can be read once it completes`), refuse: 'conflict' };
    }
    if (hasAnalysis(dir)) {
      try {
        analysedSource(dir);
        return { status: status('ready'), refuse: null };
      } catch (e) {
        return { status: status('missing', (e as Error).message), refuse: null };
      }
    }
    if (run.status !== 'completed') {
      return { status: status('unavailable', `run ${run.id} is ${run.status}; only completed runs are analysed (a finished run's folder can still be analysed with 'sqs-workbench analyze ${dir}')`), refuse: 'conflict' };
    }
    const missing = missingData(run.config.dataset);
    if (missing) return { status: status('unavailable', `${missing}; the analysis needs its test set`), refuse: 'unavailable' };
    return { status: status('missing', failures.get(dir) ?? null), refuse: null };
  }

  function startAnalysis(runId: number, dir: string, options: AnalysisChoices): void {
    const abort = new AbortController();
    const job: Job = { runId, stage: 'starting', fraction: 0, abort, done: Promise.resolve() };
    const event = (state: AtlasStatus['state'], error: string | null = null) => opts.emit({ type: 'analysis', runId, state, stage: job.stage, fraction: job.fraction, error });
    failures.delete(dir);
    jobs.set(dir, job);
    event('analyzing');
    job.done = analyzeInWorker(dir, {
      ep: opts.executionProvider(),
      options,
      signal: abort.signal,
      onProgress: (stage, fraction) => {
        job.stage = stage;
        job.fraction = fraction;
        event('analyzing');
      },
    }).then(
      () => {
        jobs.delete(dir); // not ours any more before anyone hears it ended
        record(runId, dir);
        job.stage = 'done';
        job.fraction = 1;
        event('ready');
      },
      (e: Error) => {
        jobs.delete(dir);
        failures.set(dir, e.message);
        event('missing', e.message);
      },
    );
  }

  /** The analysis's headline figures into the workspace, where `runs show` reports them. */
  function record(runId: number, dir: string): void {
    try {
      const summary = analysedSource(dir).src.summary;
      if (!summary) return;
      const ranks = summary.per_class.map((c) => c.effective_rank);
      recordAnalysis(opts.workspace(), runId, {
        gate: summary.gate,
        exact: summary.exact,
        model_accuracy: summary.model_accuracy,
        surrogate_accuracy: summary.surrogate_accuracy,
        faithfulness: summary.faithfulness,
        effective_rank: ranks.reduce((a, b) => a + b, 0) / Math.max(1, ranks.length),
        seconds: summary.seconds,
      });
    } catch {
      // the analysis is in the run's folder either way; the row only repeats its headline
    }
  }

  const requireAnalysed = (id: number): { run: RunRow; src: AtlasSource; entry: Entry } => {
    const { run, dir } = runOf(id);
    const v = verdict(run, dir);
    if (v.status.state !== 'ready') {
      const why = v.status.state === 'analyzing' ? 'is being analysed' : v.status.state === 'missing' ? 'has not been analysed (atlas.analyze starts it)' : 'cannot be analysed';
      throw new ApiError('conflict', `run ${id} ${why}${v.status.reason ? `: ${v.status.reason}` : ''}`);
    }
    const entry = analysedSource(dir);
    return { run, src: entry.src, entry };
  };

  /** The spectra of a run from its weights, for comparisons; the stored analysis when there is one. */
  const comparable = (id: number): { run: RunRow; src: AtlasSource } => {
    const { run, dir } = runOf(id);
    const incomparable = isLmConfig(run.config) ? LM_NOT_IN_ATLAS : unsupported(run.config, 'compareFeatures');
    if (incomparable) throw new ApiError('bad_request', `run ${id} cannot be compared: ${incomparable}`);
    if (opts.scheduled(id) || run.status === 'queued' || run.status === 'running') throw new ApiError('conflict', `run ${id} is ${run.status === 'queued' ? 'queued' : 'training'}; compare it once it completes`);
    if (hasAnalysis(dir) && !jobs.has(dir)) {
      try {
        return { run, src: analysedSource(dir).src };
      } catch {
        // a damaged analysis, or one of an earlier version: the weights still give the spectra
      }
    }
    // the test split sets the sign gauge, as in an analysis
    return { run, src: cached(`weights:${dir}`, [join(dir, RUN_FILES.weights), join(dir, RUN_FILES.config)], () => weightsSource(dir, testSplit)).src };
  };

  const handlers: AtlasHandlers = {
    'atlas.status': ({ id }) => {
      const { run, dir } = runOf(id);
      return verdict(run, dir).status;
    },
    'atlas.analyze': ({ id, topK, layer, masks, redo }) => {
      const { run, dir } = runOf(id);
      const v = verdict(run, dir);
      if (v.status.state === 'unavailable') throw new ApiError(v.refuse ?? 'conflict', `run ${id} cannot be analysed: ${v.status.reason}`);
      if (v.status.state === 'analyzing' || (v.status.state === 'ready' && !redo)) return v.status;
      startAnalysis(id, dir, { topK, layer, maskVectors: masks });
      return verdict(run, dir).status;
    },
    'atlas.get': ({ id, count }) =>
      mapped(() => {
        const { run, src, entry } = requireAnalysed(id);
        const n = count ?? ATLAS_DEFAULTS.count;
        const atlas = entry.atlases.get(n) ?? atlasOf(src, n, { runId: id });
        entry.atlases.set(n, atlas);
        return { ...atlas, runName: run.name }; // renamed since, perhaps
      }),
    'atlas.feature': ({ id, class: cls, rank, examples, rankBy }) =>
      mapped(() => {
        const { run, src } = requireAnalysed(id);
        return featureDetailOf(src, testSplit(run.config.dataset), cls, rank, examples ?? ATLAS_DEFAULTS.examples, rankBy ?? 'contribution');
      }),
    'atlas.examples': ({ id, indices }) =>
      mapped(() => testExamplesOf(testSplit(runOf(id).run.config.dataset), indices)),
    'atlas.explain': ({ id, input, class: cls, count }) =>
      mapped(() => {
        const { run, src } = requireAnalysed(id);
        const test = 'testIndex' in input ? testSplit(run.config.dataset) : undefined;
        return explainWith(src, input, { cls, count: count ?? ATLAS_DEFAULTS.explain, test, ep: 'cpu' });
      }),
    'atlas.compare': ({ a, b, count }) =>
      mapped(() => {
        const ra = comparable(a);
        const rb = comparable(b);
        return compareSources(ra.src, rb.src, count ?? ATLAS_DEFAULTS.compare, { a: { runId: a, name: ra.run.name }, b: { runId: b, name: rb.run.name } });
      }),
    'export.figure': async ({ id, figure, format, dpi, size, title }) => {
      const { run, dir } = runOf(id);
      const fig = await mapped(() => figureOf(id, run, dir, figure, { size, title }));
      const out = await mapped(() => renderFigure(fig, format, { dpi }));
      return { filename: `${figureFileName(id, figure)}.${out.extension}`, mime: out.mime, base64: Buffer.from(out.bytes).toString('base64') };
    },
    'export.atlas': async ({ id, format, classes, count, dpi, size, title, tokens, layers }) => {
      const lmRun = languageModel(id, { classes, tokens, layers });
      if (lmRun) {
        const target = newExportFolder(opts.workspace().dir, `run-${id}-${format}-${stamp(new Date())}`);
        const r = await mapped(() => writeLmAtlas(lmReader(opts.lm(), id), { outDir: target, format, tokens, layers, count, dpi, size, title, provenance: lmProvenance(id, lmRun.run, lmRun.dir) }));
        return { outDir: r.outDir, files: r.files, analyzed: false };
      }
      const { run } = requireAnalysed(id); // the UI analyses in the background first; this must not block
      const dir = opts.workspace().runDir(id);
      const target = newExportFolder(opts.workspace().dir, `run-${id}-${format}-${stamp(new Date())}`);
      const r = await mapped(() =>
        exportRunAtlas({ runDir: dir, outDir: target, format, classes, count, dpi, size, title, runId: id, runName: run.name, ep: opts.executionProvider() }),
      );
      return { outDir: r.outDir, files: r.files, analyzed: r.analyzed };
    },
    'export.atlasFile': async ({ id, format, classes, count, dpi, size, title, tokens, layers }) => {
      const lmRun = languageModel(id, { classes, tokens, layers });
      if (lmRun) {
        const request = { format, tokens, layers, count, dpi, size, title, provenance: lmProvenance(id, lmRun.run, lmRun.dir) };
        const f = await mapped(async () => atlasFile(await renderLmAtlas(await readLmAtlas(lmReader(opts.lm(), id), request), request), format, `run-${id}`));
        return { filename: f.filename, mime: f.mime, base64: Buffer.from(f.bytes).toString('base64'), files: f.files, analyzed: false };
      }
      const { run } = requireAnalysed(id);
      const dir = opts.workspace().runDir(id);
      const f = await mapped(() => runAtlasFile({ runDir: dir, format, classes, count, dpi, size, title, runId: id, runName: run.name, ep: opts.executionProvider() }));
      return { filename: f.filename, mime: f.mime, base64: Buffer.from(f.bytes).toString('base64'), files: f.files, analyzed: f.analyzed };
    },
  };

  /** The figure a spec names, drawn from the same data the atlas calls return, at the size asked for. */
  async function figureOf(id: number, run: RunRow, dir: string, spec: FigureSpec, options: FigureOptions): Promise<Figure> {
    const provenance: Provenance = { run_id: String(id), ...(run.name ? { run_name: run.name } : {}), run_dir: dir, gate: run.config.gate, config: run.config, app_version: APP_VERSION };
    const atlas = (n: number) => handlers['atlas.get']({ id, count: n }) as Atlas;
    const shape = () => atlas(1).imageShape;
    const labels = () => atlas(1).classes.map((c) => c.label);
    switch (spec.kind) {
      case 'lm-spectrum':
      case 'lm-truncation':
      case 'lm-tokens':
      case 'lm-contexts':
      case 'lm-explanation':
      case 'lm-compare':
        return lmFigure(opts.lm(), id, spec, lmProvenance(id, run, dir), options);
      case 'eigenvectors':
        return atlasFigure(atlas(spec.count), spec, provenance, options);
      case 'spectrum':
      case 'truncation':
        return atlasFigure(atlas(1), spec, provenance, options);
      case 'feature': {
        const detail = handlers['atlas.feature']({ id, class: spec.class, rank: spec.rank }) as FeatureDetail;
        return featureFigure(detail, { imageShape: shape(), labels: labels() }, { ...provenance, class: spec.class, rank: spec.rank, figure: 'feature' }, options);
      }
      case 'explanation': {
        const ex = await handlers['atlas.explain']({ id, input: spec.input, class: spec.class, count: spec.count });
        const input = 'testIndex' in spec.input ? { test_index: spec.input.testIndex } : { drawn: true };
        return explanationFigure(ex, { imageShape: shape(), labels: labels() }, { ...provenance, ...input, class: ex.class, figure: 'explanation' }, options);
      }
      case 'compare-pairs':
      case 'compare-similarity': {
        const cmp = handlers['atlas.compare']({ a: id, b: spec.b, count: spec.count }) as AtlasComparison;
        const both = { ...provenance, compared_with: { run_id: String(spec.b), gate: cmp.b.gate } };
        return spec.kind === 'compare-pairs'
          ? comparePairsFigure(cmp, { class: spec.class, count: spec.count }, { ...both, class: spec.class, figure: 'compare-pairs' }, options)
          : similarityFigure(cmp, { ...both, figure: 'compare-similarity' }, options);
      }
    }
  }

  /** The run when it is a language model (whose atlas is read through lm.*), after refusing what only a classifier's atlas takes. */
  function languageModel(id: number, o: { classes?: number[]; tokens?: string[]; layers?: number[] }): { run: RunRow; dir: string } | null {
    const { run, dir } = runOf(id);
    if (!isLmConfig(run.config)) {
      if (o.tokens || o.layers) throw new ApiError('bad_request', `run ${id} is a classifier: its atlas is chosen by classes, not by tokens or layers`);
      return null;
    }
    if (o.classes) throw new ApiError('bad_request', `run ${id} is a language model: its atlas is chosen by tokens and layers, not by classes`);
    return { run, dir };
  }

  return {
    handlers,
    analyzing: (runId) => jobs.has(opts.workspace().runDir(runId)),
    busy: () => jobs.size > 0,
    async close() {
      const pending = [...jobs.values()];
      for (const job of pending) job.abort.abort();
      await Promise.all(pending.map((j) => j.done));
      sources.clear();
      tests.clear();
    },
  };
}

/** run-12-eigenvectors-positive-class-3: says what the file holds, without its contents. */
function figureFileName(id: number, f: FigureSpec): string {
  if (f.kind.startsWith('lm-')) return lmFigureFileName(id, f as LmFigureSpec);
  const parts = [`run-${id}`, f.kind];
  if (f.kind === 'eigenvectors') parts.push(f.sign);
  if (f.kind === 'compare-pairs' || f.kind === 'compare-similarity') parts.push(`vs-run-${f.b}`);
  if ('class' in f && f.class !== undefined) parts.push(`class-${f.class}`);
  if (f.kind === 'feature') parts.push(`rank-${f.rank}`);
  if (f.kind === 'explanation') parts.push('testIndex' in f.input ? `test-${f.input.testIndex}` : 'drawn');
  return parts.join('-');
}

/** 20261130-174512, local time: sorts by when, reads at a glance. */
function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Runs `f` (sync or async), its failures mapped as every api failure is (errors.ts). */
function mapped<T>(f: () => T): T {
  try {
    const out = f();
    return out instanceof Promise ? (out.catch((e: unknown) => Promise.reject(toApiError(e))) as T) : out;
  } catch (e) {
    throw toApiError(e);
  }
}
