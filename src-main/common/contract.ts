// The one contract between the UI and the back end (docs/architecture.md): every call's input schema,
// every call's output type and every event, served unchanged over Electron IPC and by the web
// host. Inputs are validated here (`parseInput`) before anything runs; outputs are plain JSON.
// The renderer imports this file, so it imports zod and Node-free modules only: the store's
// row types are mirrored below, and service.ts fails to compile if they drift apart. The rules
// for tags, names, ids and paths are rules.ts's; the config's fields are train-fields.ts's.
import { z } from './zod';
import type { ExecutionProvider, GateName, TrainConfig } from '../engine/train/config';
import type { AnyMetricRecord, LmMetricRecord, MetricRecord } from '../engine/train/metric-record';
import type { LmComparison, LmExplanation, LmFeature, LmInfo, LmSpectrum, LmToken } from '../engine/analysis/lm-atlas-types';
import type {
  Atlas,
  AtlasClass,
  AtlasComparison,
  AtlasFeature,
  ExplainedComponent,
  Explanation,
  FeatureDetail,
  FeatureMatch,
  Faithfulness,
  TestExample,
} from '../engine/analysis/atlas-types';
import { EXAMPLE_RANKINGS, type ExampleRanking, type RankedExample } from '../engine/analysis/atlas-types';
import {
  FINAL_METRICS,
  RESUMABLE,
  RUN_STATUSES,
  type FinalMetric,
  type ListedRun,
  type MetricPoint,
  type MetricSeries,
  type RunDetail,
  type RunDiff,
  type RunGroup,
  type RunRow,
  type RunStatus,
  type Stat,
} from './records';
import { ATLAS_COUNT, ATLAS_EXPORT_FORMATS, DPI, EIGEN_SIGNS, FIGURE_FORMATS, FIGURE_SIZES, METRICS_EXPORT_FORMATS, type AtlasExportFormat, type EigenSign, type FigureFormat, type FigureSize, type MetricsExportFormat } from './formats';
import { DatasetSpecSchema, ExecutionProviderSchema, GRID_KEYS, gridField, TrainConfigPatchSchema, type GridKey } from './train-config';
import { schemaOf } from './train-fields';
import { ApiError } from './api-error';
import { AbsolutePath, choice, Concurrency, formatIssues, Name, NoteBody, quote, RunId, ruledNumber, Tags, Tag, type NumberRange } from './rules';
import { WORKSPACE_SWITCH_HINT, type HostInfo } from './host-folders';
import { ExecutorSchema, type Executor, type SlurmExecutor, type SlurmInfo } from './executor';

export { formatIssues };

export type { ExecutionProvider, GateName, TrainConfig };
export { GATE_NAMES } from '../engine/train/config';
export { ATLAS_EXPORT_FORMATS, EIGEN_SIGNS, FIGURE_FORMATS, FIGURE_SIZES, METRICS_EXPORT_FORMATS, type AtlasExportFormat, type EigenSign, type FigureFormat, type FigureSize, type MetricsExportFormat };
export { GRID_KEYS, type GridKey };
export { EXECUTOR_KINDS, ExecutorSchema, SlurmExecutorSchema, type Executor, type ExecutorKind, type SlurmExecutor, type SlurmInfo } from './executor';
export { DATA_ROOT_HINT, FOLDER_PURPOSES, WORKSPACE_SWITCH_HINT, type FolderPurpose, type HostInfo } from './host-folders';
export { EXAMPLE_RANKINGS, type ExampleRanking, type RankedExample };

// ---------------------------------------------------------------- errors

export { API_ERROR_CODES, ApiError, type ApiErrorCode, type ApiErrorShape } from './api-error';

// ---------------------------------------------------------------- shared pieces

export { RESUMABLE, RUN_STATUSES, FINAL_METRICS, type FinalMetric, type RunStatus, type MetricRecord, type LmMetricRecord, type AnyMetricRecord, type ListedRun, type MetricPoint, type MetricSeries, type RunDetail, type RunDiff, type RunGroup, type Stat };

const Empty = z.strictObject({}).optional();

// ---------------------------------------------------------------- inputs

export const RunsListInput = z.strictObject({
  /** `<field><op><value>` expressions, all must hold (query.ts: gate=sqs, test_accuracy>=0.9, tag=paper) */
  filters: z.array(z.string().max(1000), { error: 'must be a list of filter expressions' }).max(64).optional(),
  /** `field` ascending or `-field` descending; default `-id` */
  sort: z.string().max(200).optional(),
  /** also return mean and std of the final metrics per value of this field */
  groupBy: z.string().max(200).optional(),
  limit: ruledNumber({ integer: true, min: 1, max: 10_000 }).optional(),
  offset: ruledNumber({ integer: true, min: 0 }).optional(),
});

export const TrainStartInput = z.strictObject({
  /** laid over the defaults, whose execution provider is the one in the settings */
  config: TrainConfigPatchSchema.optional(),
  name: Name.optional(),
  tags: Tags.optional(),
  /** where it trains: here (default), or as a task on a Slurm cluster */
  executor: ExecutorSchema.optional(),
});

// any number, Infinity and NaN included, so that the field's own rule names what is wrong with it
const GridValue = z.union([z.string().max(1000), z.custom<number>((v) => typeof v === 'number')], { error: 'must be a string or a number' });
/** One key of a sweep and its values, each checked as the config field it sets, so every combination is a valid config. */
export const SweepAxisInput = z
  .strictObject({ key: choice(GRID_KEYS), values: z.array(GridValue).min(1, { error: 'must list at least one value' }).max(1000, { error: 'at most 1000 values' }) });
export const SweepStartInput = z
  .strictObject({
    base: TrainConfigPatchSchema.optional(),
    axes: z.array(SweepAxisInput).min(1, { error: 'must list at least one axis' }).max(16, { error: 'at most 16 axes' }),
    /** at most this many of the sweep's runs train at once (the settings' concurrency caps all runs) */
    concurrency: Concurrency.optional(),
    name: Name.optional(),
    tags: Tags.optional(),
    /** where its runs train: here (default), or as one Slurm job array */
    executor: ExecutorSchema.optional(),
  })
  .superRefine((s, ctx) => {
    // each value checked as the field it sets in the base config's family
    const family = s.base && 'family' in s.base ? 'lm' : 'classifier';
    s.axes.forEach((axis, i) => {
      const field = gridField(axis.key, family);
      if (!field) return ctx.addIssue({ code: 'custom', path: ['axes', i, 'key'], message: `a ${family === 'lm' ? 'language model' : 'classifier'} has no field '${axis.key}'` });
      axis.values.forEach((v, j) => {
        const r = schemaOf(field).safeParse(v);
        if (!r.success) ctx.addIssue({ code: 'custom', path: ['axes', i, 'values', j], message: `${axis.key}: ${r.error.issues[0].message}` });
      });
    });
    if (new Set(s.axes.map((a) => a.key)).size !== s.axes.length) ctx.addIssue({ code: 'custom', path: ['axes'], message: 'each key may appear once' });
    const combos = s.axes.reduce((n, a) => n * a.values.length, 1);
    if (combos > MAX_SWEEP_RUNS) ctx.addIssue({ code: 'custom', path: ['axes'], message: `${combos} combinations: a sweep has at most ${MAX_SWEEP_RUNS} runs` });
  });
export const MAX_SWEEP_RUNS = 10_000;

export const SettingsSchema = z.strictObject({
  workspaceDir: AbsolutePath,
  executionProvider: ExecutionProviderSchema,
  /** how many runs train at once */
  concurrency: Concurrency,
});
export type Settings = z.infer<typeof SettingsSchema>;

/** A key a call once took and no longer does, refused with what to do instead. */
const refusedKey = (why: string) => z.never({ error: why }).optional();

// ---------------------------------------------------------------- atlas inputs

const ClassIndex = ruledNumber({ integer: true, min: 0, max: 9999 });
/** 1-based position in a class's spectrum ordered by |λ| descending */
const Rank = ruledNumber({ integer: true, min: 1, max: 65_536 });
const Count = ruledNumber({ integer: true, min: 1, max: ATLAS_COUNT.max });
/** PNG resolution; figures are laid out in CSS pixels (96 per inch) */
const Dpi = ruledNumber({ integer: true, min: DPI.min, max: DPI.max });
/** as on screen (default), one journal column (3.25 in) or the full text width (6.75 in), text in points */
const Size = choice(FIGURE_SIZES);
/** false: no title on the figure (the paper's caption says what it shows) */
const WithTitle = z.boolean({ error: 'must be true or false' });

const isPixel = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 1;
/**
 * Pixel values in [0, 1], as the test split's are scaled; the first bad one is named with its
 * index. A refinement of the list rather than z.number() per value, whose type error would end the
 * union below in its generic message, and which would name every one of 784 bad values.
 */
const Pixels = z
  .array(z.unknown(), { error: 'must be a list of pixel values' })
  .min(1)
  .max(65_536)
  .superRefine((a, ctx) => {
    const bad = a.findIndex((v) => !isPixel(v));
    if (bad < 0) return;
    const more = a.filter((v) => !isPixel(v)).length - 1;
    ctx.addIssue({ code: 'custom', path: [bad], message: `${quote(a[bad])} is not a pixel value: must be a number from 0 to 1${more > 0 ? ` (and ${more} more values)` : ''}` });
  }) as unknown as z.ZodType<number[], number[]>;
/** an input to explain: a test example by index, or pixels in [0, 1] (row-major, as many as the run's inputs) */
export const ExplainInputSchema = z.union([z.strictObject({ testIndex: ruledNumber({ integer: true, min: 0 }) }), z.strictObject({ pixels: Pixels })], {
  error: 'must be {testIndex} or {pixels}',
});
export type ExplainInput = z.infer<typeof ExplainInputSchema>;

/** An output direction as typed: a token ("dog"), a difference of two ("he-she"), or a saved vector ("vector:<file>"). */
const LmDirectionSpec = z.string({ error: 'must be a token, tok1-tok2, or vector:<file>' }).min(1, { error: 'must not be empty' }).max(1000, { error: 'at most 1000 characters' });
const LmLayer = ruledNumber({ integer: true, min: 0, max: 255 });
const LmPrompt = z.string().min(1, { error: 'must not be empty' }).max(2000);

/** One figure of the atlas, rendered by the back end exactly as the CLI exports it. */
export const FigureSpecSchema = z.discriminatedUnion(
  'kind',
  [
    /** the class's top eigenvectors of one sign (or by |λ|) as input-space heatmaps with a colour bar */
    z.strictObject({ kind: z.literal('eigenvectors'), class: ClassIndex, sign: choice(EIGEN_SIGNS), count: Count }),
    /** λ by rank for one class */
    z.strictObject({ kind: z.literal('spectrum'), class: ClassIndex }),
    /** surrogate accuracy keeping k components per class; with a class, also that class's recall */
    z.strictObject({ kind: z.literal('truncation'), class: ClassIndex.optional() }),
    /** one feature's detail: its heatmap, its most and least activating test examples */
    z.strictObject({ kind: z.literal('feature'), class: ClassIndex, rank: Rank }),
    /** an input, the logits, and the components that contribute most to one class */
    z.strictObject({ kind: z.literal('explanation'), input: ExplainInputSchema, class: ClassIndex.optional(), count: Count.optional() }),
    /** this run's eigenvectors beside their matches in run b, one class */
    z.strictObject({ kind: z.literal('compare-pairs'), b: RunId, class: ClassIndex, count: Count }),
    /** |cos| of matched eigenvectors by rank, mean over classes (by rank and by assignment) */
    z.strictObject({ kind: z.literal('compare-similarity'), b: RunId, count: Count }),
    /** a language model: λ of Q_ℓ(u) by rank for one layer and output direction */
    z.strictObject({ kind: z.literal('lm-spectrum'), layer: LmLayer, direction: LmDirectionSpec }),
    /** a language model: the fraction of uᵀMLP_ℓ explained by the top k components, against k */
    z.strictObject({ kind: z.literal('lm-truncation'), layer: LmLayer, direction: LmDirectionSpec }),
    /** a language model: one eigenvector's top tokens, both signs */
    z.strictObject({ kind: z.literal('lm-tokens'), layer: LmLayer, direction: LmDirectionSpec, rank: Rank }),
    /** a language model: one eigenvector's top validation contexts */
    z.strictObject({ kind: z.literal('lm-contexts'), layer: LmLayer, direction: LmDirectionSpec, rank: Rank }),
    /** a language model: a prompt's logit for the direction per position, one layer or all */
    z.strictObject({ kind: z.literal('lm-explanation'), prompt: LmPrompt, direction: LmDirectionSpec, layer: LmLayer.optional() }),
    /** a language model: this run's eigenvectors matched to run b's for one layer and direction */
    z.strictObject({ kind: z.literal('lm-compare'), b: RunId, layer: LmLayer, direction: LmDirectionSpec }),
  ],
  { error: 'must be a figure: eigenvectors, spectrum, truncation, feature, explanation, compare-pairs, compare-similarity, lm-spectrum, lm-truncation, lm-tokens, lm-contexts, lm-explanation or lm-compare' },
);
export type FigureSpec = z.infer<typeof FigureSpecSchema>;

/** What the whole atlas is exported as: the format, which classes, how many eigenvectors, the figures' look. */
const AtlasExportInput = z.strictObject({
  id: RunId,
  format: choice(ATLAS_EXPORT_FORMATS),
  classes: z.array(ClassIndex).min(1).max(1000).optional(),
  count: Count.optional(),
  dpi: Dpi.optional(),
  size: Size.optional(),
  title: WithTitle.optional(),
  /** a language model: the output directions to read (default: a few frequent tokens) */
  tokens: z.array(LmDirectionSpec).min(1).max(64).optional(),
  /** a language model: the layers to read (default: all) */
  layers: z.array(LmLayer).min(1).max(256).optional(),
});

/** How text is sampled from a language model: the one rule of `generate` and the run page. */
export const GENERATE = {
  prompt: { maxChars: 2000 },
  maxTokens: { integer: true, min: 1, max: 4096 } satisfies NumberRange,
  temperature: { min: 0, max: 100 } satisfies NumberRange,
  topK: { integer: true, min: 0 } satisfies NumberRange,
  seed: { integer: true, min: 0, max: 2 ** 31 - 1 } satisfies NumberRange,
  defaults: { maxTokens: 100, temperature: 1, topK: 0, seed: 0 },
} as const;
export const GenerateInput = z.strictObject({
  id: RunId,
  prompt: z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }).max(GENERATE.prompt.maxChars, { error: `at most ${GENERATE.prompt.maxChars} characters` }),
  maxTokens: ruledNumber(GENERATE.maxTokens).optional(),
  temperature: ruledNumber(GENERATE.temperature).optional(),
  topK: ruledNumber(GENERATE.topK).optional(),
  seed: ruledNumber(GENERATE.seed).optional(),
});

/** One evaluation's sample (samples.jsonl). */
export interface TextSample {
  step: number;
  prompt: string;
  text: string;
}


/** Every call: its name and the schema its input must satisfy. */
export const METHODS = {
  'runs.list': RunsListInput,
  'runs.show': z.strictObject({ id: RunId }),
  'runs.diff': z.strictObject({ a: RunId, b: RunId }),
  'runs.metrics': z.strictObject({ ids: z.array(RunId).min(1, { error: 'must list at least one run' }).max(1000), names: z.array(z.string().max(100)).max(32).optional() }),
  /** metric points as tidy rows (run_id, name, step, epoch, value), as CSV or JSON text */
  'runs.exportMetrics': z.strictObject({
    ids: z.array(RunId).min(1, { error: 'must list at least one run' }).max(1000),
    format: choice(METRICS_EXPORT_FORMATS),
    names: z.array(z.string().max(100)).max(32).optional(),
  }),
  'runs.tag': z.strictObject({ id: RunId, tag: Tag }),
  'runs.untag': z.strictObject({ id: RunId, tag: Tag }),
  'runs.note': z.strictObject({ id: RunId, body: NoteBody }),
  'runs.rename': z.strictObject({ id: RunId, name: Name }),
  'runs.delete': z.strictObject({ id: RunId }),
  /** a run folder trained elsewhere (train --out), copied into the workspace as a new run */
  'runs.import': z.strictObject({ path: AbsolutePath, name: Name.optional(), tags: z.array(Tag).max(32).optional() }),
  'runs.cancel': z.strictObject({ id: RunId }),
  'runs.resume': z.strictObject({ id: RunId }),
  /** a language model's text sampled at each evaluation */
  'runs.samples': z.strictObject({ id: RunId }),
  /** text sampled from a language-model run's latest weights */
  'runs.generate': GenerateInput,
  'train.start': TrainStartInput,
  'sweep.start': SweepStartInput,
  'settings.get': Empty,
  /** the execution provider and the concurrency; the workspace is the host's choice (settings.chooseWorkspace) */
  'settings.set': SettingsSchema.omit({ workspaceDir: true })
    .partial()
    .extend({ workspaceDir: refusedKey(`cannot be set by a call: the desktop app switches workspace with settings.chooseWorkspace (its folder dialog); ${WORKSPACE_SWITCH_HINT}`) }),
  /** opens the host's folder dialog and switches to the workspace chosen there; null when the person cancelled */
  'settings.chooseWorkspace': Empty,
  'datasets.list': Empty,
  /** a folder of IDX files: without a path, the one chosen in the host's folder dialog (null when cancelled); with one, a folder under the server's --data-root */
  'datasets.import': z.strictObject({ path: AbsolutePath.optional(), name: Name.optional() }),
  'system.executionProviders': Empty,
  /** whether runs can be submitted to Slurm from here: sbatch, the partitions, accounting */
  'system.slurm': Empty,
  /** what the workspace holds that its database does not account for (see WorkspaceCheck) */
  'workspace.check': Empty,
  /** whether this host has a folder dialog, and where folders may be named */
  'system.host': Empty,
  /** whether the run has an analysis, is being analysed, or cannot be (and why) */
  'atlas.status': z.strictObject({ id: RunId }),
  /** starts the analysis in the background; progress and the end arrive as 'analysis' events */
  'atlas.analyze': z.strictObject({
    id: RunId,
    /** input-space eigenvectors kept per class in the analysis file (default 32) */
    topK: ruledNumber({ integer: true, min: 1, max: 65_536 }).optional(),
    /** which GLU layer of a deeper model (default 0) */
    layer: ruledNumber({ integer: true, min: 0, max: 63 }).optional(),
    /** top positive eigenvectors behind each class's adversarial mask (default 0: none) */
    masks: ruledNumber({ integer: true, min: 0, max: 65_536 }).optional(),
    /** analyse again even when the run has an analysis */
    redo: z.boolean({ error: 'must be true or false' }).optional(),
  }),
  /** the analysed run's atlas: summary figures and, per class, the top `count` positive and negative eigenvectors */
  'atlas.get': z.strictObject({ id: RunId, count: Count.optional() }),
  /** one feature's detail; its test examples ranked by |λ(vᵀz)²| (default) or, as asked, by the signed projection vᵀz */
  'atlas.feature': z.strictObject({ id: RunId, class: ClassIndex, rank: Rank, examples: Count.optional(), rankBy: choice(EXAMPLE_RANKINGS).optional() }),
  /** test examples by index (images and labels), for picking an input to explain */
  'atlas.examples': z.strictObject({ id: RunId, indices: z.array(ruledNumber({ integer: true, min: 0 })).min(1).max(256) }),
  'atlas.explain': z.strictObject({ id: RunId, input: ExplainInputSchema, class: ClassIndex.optional(), count: Count.optional() }),
  /** run a's eigenvectors matched to run b's, per class (Hungarian on |cos|, sign gauge fixed) */
  'atlas.compare': z.strictObject({ a: RunId, b: RunId, count: Count.optional() }),
  /** a language-model run's shape and whether its MLPs can be read */
  'lm.info': z.strictObject({ id: RunId }),
  /** vocabulary tokens whose text contains `query` (case-insensitive; a leading space matches ▁), for the output-token search */
  'lm.tokens': z.strictObject({ id: RunId, query: z.string().max(200), limit: Count.optional() }),
  /** the spectrum of Q_ℓ(u) for layer `layer` and output direction `direction`, with truncation and faithfulness over validation positions */
  'lm.spectrum': z.strictObject({ id: RunId, layer: LmLayer, direction: LmDirectionSpec }),
  /** one eigenvector: its top tokens (±) and the validation contexts where it contributes most */
  'lm.feature': z.strictObject({ id: RunId, layer: LmLayer, direction: LmDirectionSpec, rank: Rank, tokens: Count.optional(), contexts: Count.optional() }),
  /** a prompt's logit for the direction, per position and layer: its top `count` components and the rest */
  'lm.explain': z.strictObject({ id: RunId, prompt: z.string().min(1, { error: 'must not be empty' }).max(2000), direction: LmDirectionSpec, count: Count.optional() }),
  /** two runs' eigenvectors for one layer and direction, matched by rank and by assignment */
  'lm.compare': z.strictObject({ a: RunId, b: RunId, layer: LmLayer, direction: LmDirectionSpec, count: Count.optional() }),
  /** one figure as a file's bytes (base64) */
  'export.figure': z.strictObject({ id: RunId, figure: FigureSpecSchema, format: choice(FIGURE_FORMATS), dpi: Dpi.optional(), size: Size.optional(), title: WithTitle.optional() }),
  /** the whole atlas into a new folder the server names, <workspace>/exports/run-<id>-<format>-<time> */
  'export.atlas': AtlasExportInput.extend({
    outDir: refusedKey("cannot be chosen by a call: the atlas is written into the workspace's exports/ folder; download it with export.atlasFile, or write it elsewhere with sqs-workbench export atlas --out DIR"),
  }),
  /** the whole atlas as one file's bytes (base64), to download: the HTML page, or a zip of the SVG, PNG or PDF figures */
  'export.atlasFile': AtlasExportInput,
} as const;

export type Method = keyof typeof METHODS;
export const METHOD_NAMES = Object.keys(METHODS) as Method[];
/** What a caller sends. */
export type ApiInput<M extends Method> = z.input<(typeof METHODS)[M]>;
/** What the implementation receives, after validation. */
export type ApiParsed<M extends Method> = z.output<(typeof METHODS)[M]>;

export function isMethod(name: string): name is Method {
  return Object.hasOwn(METHODS, name);
}

/** The one place inputs are checked: the parsed input, or an ApiError naming each bad field. */
export function parseInput<M extends Method>(method: M, input: unknown): ApiParsed<M> {
  const r = METHODS[method].safeParse(input);
  if (!r.success) throw new ApiError('bad_request', `${method}: ${formatIssues(r.error)}`);
  return r.data as ApiParsed<M>;
}

// ---------------------------------------------------------------- outputs


/** A run as the workspace stores it. */
export type Run = RunRow;





export interface DatasetInfo {
  /** what a TrainConfig's `dataset` holds: digits, fashion-mnist, idx:<dir> */
  spec: string;
  name: string;
  kind: 'bundled' | 'system' | 'imported';
  /** the folder it is read from; null for bundled data */
  path: string | null;
  /** sizes, when known without loading the data */
  trainN: number | null;
  testN: number | null;
  classes: number | null;
  imageShape: [number, number] | null;
  sha256: string | null;
  source: string;
}

/** What a workspace holds that its database does not account for. */
export interface WorkspaceCheck {
  /** the workspace folder */
  dir: string;
  /**
   * run folders under runs/ that no run of the database owns (its database was restored, lost or
   * emptied, or a folder was copied in), as absolute paths; `runs.import` registers each in place
   */
  unregistered: string[];
  /** queued runs whose process is gone, so that nobody will start them; `runs.resume` takes each over */
  orphaned: number[];
  /** a line for people about each of the above that is not empty */
  notices: string[];
}

// ---------------------------------------------------------------- atlas outputs

export type { Atlas, AtlasClass, AtlasComparison, AtlasFeature, ExplainedComponent, Explanation, FeatureDetail, FeatureMatch, Faithfulness, TestExample };
export type { LmComparison, LmContext, LmDirection, LmExplanation, LmFaithfulness, LmFeature, LmInfo, LmSpectrum, LmToken, LmTokenProjection } from '../engine/analysis/lm-atlas-types';
export { LM_COMPARISON_CAVEAT } from '../engine/analysis/lm-atlas-types';
export type AtlasState = 'ready' | 'missing' | 'analyzing' | 'unavailable';

export interface AtlasStatus {
  runId: number;
  state: AtlasState;
  /** why the run cannot be analysed (unavailable), or why the last analysis failed */
  reason: string | null;
  /** while analysing: the stage and the fraction done, 0..1 */
  progress: { stage: string; fraction: number } | null;
}

export interface ExportedFigure {
  filename: string;
  mime: 'image/svg+xml' | 'image/png' | 'application/pdf';
  base64: string;
}

/** The whole atlas as one download: run-12-atlas.html, or run-12-atlas-svg.zip holding a folder of figures. */
export interface ExportedAtlas {
  filename: string;
  mime: 'text/html' | 'application/zip';
  base64: string;
  /** what it holds: the page, or the zip's entries (folder/name) */
  files: string[];
  /** true when the run had no analysis of this version and one was computed (and saved in the run) first */
  analyzed: boolean;
}

/** Every call's result. */
export interface ApiOutputs {
  'runs.list': { total: number; rows: ListedRun[]; groups: RunGroup[] | null };
  'runs.show': RunDetail;
  'runs.samples': { samples: TextSample[] };
  /** the prompt as the tokenizer reads it back (lower-cased), and the sampled continuation */
  'runs.generate': { prompt: string; text: string; tokens: number; seed: number };
  'runs.diff': RunDiff;
  'runs.metrics': MetricSeries;
  'runs.exportMetrics': { format: MetricsExportFormat; text: string };
  'runs.tag': { changed: boolean };
  'runs.untag': { changed: boolean };
  'runs.note': { noteId: number };
  'runs.rename': { id: number; name: string };
  'runs.delete': { id: number };
  'runs.import': { id: number; status: RunStatus };
  /** a queued run is cancelled at once; a running one stops at its next step boundary */
  'runs.cancel': { id: number; status: 'cancelled' | 'stopping' };
  'runs.resume': { id: number; status: 'queued' };
  /** slurmJob: the job array its runs were submitted as (executor slurm) */
  'train.start': { runId: number; slurmJob?: string };
  'sweep.start': { sweepId: number; runIds: number[]; slurmJob?: string };
  'settings.get': Settings;
  'settings.set': Settings;
  /** null: the person cancelled the dialog, nothing changed */
  'settings.chooseWorkspace': Settings | null;
  'datasets.list': DatasetInfo[];
  /** null: the person cancelled the dialog, nothing was imported */
  'datasets.import': DatasetInfo | null;
  'system.executionProviders': { available: ExecutionProvider[]; known: readonly ExecutionProvider[] };
  'system.slurm': SlurmInfo;
  'workspace.check': WorkspaceCheck;
  'system.host': HostInfo;
  'atlas.status': AtlasStatus;
  'atlas.analyze': AtlasStatus;
  'atlas.get': Atlas;
  'atlas.feature': FeatureDetail;
  'atlas.examples': TestExample[];
  'atlas.explain': Explanation;
  'atlas.compare': AtlasComparison;
  'lm.info': LmInfo;
  'lm.tokens': { matches: LmToken[] };
  'lm.spectrum': LmSpectrum;
  'lm.feature': LmFeature;
  'lm.explain': LmExplanation;
  'lm.compare': LmComparison;
  'export.figure': ExportedFigure;
  'export.atlas': { outDir: string; files: string[]; analyzed: boolean };
  'export.atlasFile': ExportedAtlas;
}
export type ApiOutput<M extends Method> = ApiOutputs[M];

// ---------------------------------------------------------------- events

export type ApiEvent =
  /** at most a few per second per run, and always the last step */
  | { type: 'progress'; runId: number; epoch: number; step: number; totalSteps: number; loss: number; etaSeconds: number | null; tokens?: number; tokensPerSecond?: number }
  /** one evaluation, as recorded in the workspace (a language model's has no accuracy, but perplexity and tokens) */
  | { type: 'metrics'; runId: number; record: AnyMetricRecord }
  /** a run was queued, started, or ended (error set when it failed) */
  | { type: 'status'; runId: number; status: RunStatus; error: string | null }
  /** an analysis started from the UI moved on, finished (state ready) or failed (state missing, error set) */
  | { type: 'analysis'; runId: number; state: AtlasState; stage: string; fraction: number; error: string | null };

/** The api both transports expose: Electron's preload proxies it, the web host serves it. */
export interface Api {
  call<M extends Method>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  on(listener: (e: ApiEvent) => void): () => void;
}

// keep DatasetSpecSchema reachable for clients that validate a spec before sending it
export { DatasetSpecSchema };
