// The one contract between the UI and the back end (DESIGN §2): every call's input schema,
// every call's output type and every event, served unchanged over Electron IPC and by the web
// host. Inputs are validated here (`parseInput`) before anything runs; outputs are plain JSON.
// The renderer imports this file, so it imports zod and Node-free modules only: the store's
// row types are mirrored below, and service.ts fails to compile if they drift apart.
import { z } from 'zod';
import type { ExecutionProvider, GateName, TrainConfig } from '../engine/train/config';
import type { MetricRecord } from '../engine/train/metric-record';
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
import { ATLAS_EXPORT_FORMATS, EIGEN_SIGNS, FIGURE_FORMATS, type AtlasExportFormat, type EigenSign, type FigureFormat } from './formats';
import { choice, DatasetSpecSchema, ExecutionProviderSchema, GRID_KEYS, gridFieldSchema, ruledNumber, TrainConfigPatchSchema, type GridKey } from './train-config';

export type { ExecutionProvider, GateName, TrainConfig };
export { ATLAS_EXPORT_FORMATS, EIGEN_SIGNS, FIGURE_FORMATS, type AtlasExportFormat, type EigenSign, type FigureFormat };
export { GRID_KEYS, type GridKey };
export { EXAMPLE_RANKINGS, type ExampleRanking, type RankedExample };

// ---------------------------------------------------------------- errors

export const API_ERROR_CODES = ['bad_request', 'not_found', 'conflict', 'internal'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** What a failed call gives back, on either transport. */
export interface ApiErrorShape {
  code: ApiErrorCode;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message };
  }
}

/** "config.lr: 0 is out of range: must be a number > 0; tags.0: …": each issue named by its field. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
}

// ---------------------------------------------------------------- shared pieces

export { RUN_STATUSES, FINAL_METRICS, type FinalMetric, type RunStatus, type MetricRecord, type ListedRun, type MetricPoint, type MetricSeries, type RunDetail, type RunDiff, type RunGroup, type Stat };

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_IN_NOTE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const chars = (s: string) => [...s].length;

/** Text of 1 to `max` characters (code points, as SQLite counts them) without control characters. */
function text(max: number, control = CONTROL) {
  return z
    .string({ error: `must be text of 1 to ${max} characters` })
    .refine((s) => s.trim() !== '' && chars(s) <= max, { error: `must be 1 to ${max} characters` })
    .refine((s) => !control.test(s), { error: 'must not contain control characters' });
}

const RunId = ruledNumber({ integer: true, min: 1 });
const Tag = text(64).refine((s) => s.trim() === s, { error: 'must not start or end with spaces' });
const Name = text(200);
const Empty = z.strictObject({}).optional();
const AbsolutePath = z
  .string({ error: 'must be a folder path' })
  .refine((s) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(s), { error: 'must be an absolute folder path' })
  .refine((s) => !s.includes('\0'), { error: 'must not contain NUL' });
const Concurrency = ruledNumber({ integer: true, min: 1, max: 64 });

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
  tags: z.array(Tag).max(32).optional(),
});

const GridValue = z.union([z.string().max(1000), z.number()], { error: 'must be a string or a number' });
export const SweepStartInput = z
  .strictObject({
    base: TrainConfigPatchSchema.optional(),
    axes: z
      .array(z.strictObject({ key: choice(GRID_KEYS), values: z.array(GridValue).min(1, { error: 'must list at least one value' }).max(1000) }))
      .min(1, { error: 'must list at least one axis' })
      .max(16),
    /** at most this many of the sweep's runs train at once (the settings' concurrency caps all runs) */
    concurrency: Concurrency.optional(),
    name: Name.optional(),
    tags: z.array(Tag).max(32).optional(),
  })
  .superRefine((s, ctx) => {
    if (new Set(s.axes.map((a) => a.key)).size !== s.axes.length) ctx.addIssue({ code: 'custom', path: ['axes'], message: 'each key may appear once' });
    // each value is checked as the config field it sets, so every combination is a valid config
    s.axes.forEach((axis, i) =>
      axis.values.forEach((v, j) => {
        const r = gridFieldSchema(axis.key).safeParse(v);
        if (!r.success) ctx.addIssue({ code: 'custom', path: ['axes', i, 'values', j], message: `${axis.key}: ${r.error.issues[0].message}` });
      }),
    );
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

// ---------------------------------------------------------------- atlas inputs

const ClassIndex = ruledNumber({ integer: true, min: 0, max: 9999 });
/** 1-based position in a class's spectrum ordered by |λ| descending */
const Rank = ruledNumber({ integer: true, min: 1, max: 65_536 });
const Count = ruledNumber({ integer: true, min: 1, max: 64 });
/** PNG resolution; figures are laid out in CSS pixels (96 per inch) */
const Dpi = ruledNumber({ integer: true, min: 36, max: 1200 });

const Pixels = z
  .array(z.number({ error: 'must be a number' }).refine(Number.isFinite, { error: 'must be finite' }), { error: 'must be a list of pixel values' })
  .min(1)
  .max(65_536);
/** an input to explain: a test example by index, or pixels in [0, 1] (row-major, as many as the run's inputs) */
export const ExplainInputSchema = z.union([z.strictObject({ testIndex: ruledNumber({ integer: true, min: 0 }) }), z.strictObject({ pixels: Pixels })], {
  error: 'must be {testIndex} or {pixels}',
});
export type ExplainInput = z.infer<typeof ExplainInputSchema>;

/** One figure of the atlas, rendered by the back end exactly as the CLI exports it. */
export const FigureSpecSchema = z.discriminatedUnion(
  'kind',
  [
    /** the class's top eigenvectors of one sign (or by |λ|) as input-space heatmaps with a colour bar */
    z.strictObject({ kind: z.literal('eigenvectors'), class: ClassIndex, sign: choice(EIGEN_SIGNS), count: Count }),
    /** λ by rank for one class */
    z.strictObject({ kind: z.literal('spectrum'), class: ClassIndex }),
    /** surrogate accuracy keeping k components per class */
    z.strictObject({ kind: z.literal('truncation') }),
    /** one feature's detail: its heatmap, its most and least activating test examples */
    z.strictObject({ kind: z.literal('feature'), class: ClassIndex, rank: Rank }),
    /** an input, the logits, and the components that contribute most to one class */
    z.strictObject({ kind: z.literal('explanation'), input: ExplainInputSchema, class: ClassIndex.optional(), count: Count.optional() }),
    /** this run's eigenvectors beside their matches in run b, one class */
    z.strictObject({ kind: z.literal('compare-pairs'), b: RunId, class: ClassIndex, count: Count }),
    /** |cos| of matched eigenvectors by rank, mean over classes (by rank and by assignment) */
    z.strictObject({ kind: z.literal('compare-similarity'), b: RunId, count: Count }),
  ],
  { error: 'must be a figure: eigenvectors, spectrum, truncation, feature, explanation, compare-pairs or compare-similarity' },
);
export type FigureSpec = z.infer<typeof FigureSpecSchema>;

/** Every call: its name and the schema its input must satisfy. */
export const METHODS = {
  'runs.list': RunsListInput,
  'runs.show': z.strictObject({ id: RunId }),
  'runs.diff': z.strictObject({ a: RunId, b: RunId }),
  'runs.metrics': z.strictObject({ ids: z.array(RunId).min(1, { error: 'must list at least one run' }).max(1000), names: z.array(z.string().max(100)).max(32).optional() }),
  'runs.tag': z.strictObject({ id: RunId, tag: Tag }),
  'runs.untag': z.strictObject({ id: RunId, tag: Tag }),
  'runs.note': z.strictObject({ id: RunId, body: text(10_000, CONTROL_IN_NOTE) }),
  'runs.rename': z.strictObject({ id: RunId, name: Name }),
  'runs.delete': z.strictObject({ id: RunId }),
  'runs.cancel': z.strictObject({ id: RunId }),
  'runs.resume': z.strictObject({ id: RunId }),
  'train.start': TrainStartInput,
  'sweep.start': SweepStartInput,
  'settings.get': Empty,
  'settings.set': SettingsSchema.partial(),
  'datasets.list': Empty,
  'datasets.import': z.strictObject({ path: AbsolutePath, name: Name.optional() }),
  'system.executionProviders': Empty,
  /** whether the run has an analysis, is being analysed, or cannot be (and why) */
  'atlas.status': z.strictObject({ id: RunId }),
  /** starts the analysis in the background; progress and the end arrive as 'analysis' events */
  'atlas.analyze': z.strictObject({ id: RunId }),
  /** the analysed run's atlas: summary figures and, per class, the top `count` positive and negative eigenvectors */
  'atlas.get': z.strictObject({ id: RunId, count: Count.optional() }),
  /** one feature's detail; its test examples ranked by |λ(vᵀz)²| (default) or, as asked, by the signed projection vᵀz */
  'atlas.feature': z.strictObject({ id: RunId, class: ClassIndex, rank: Rank, examples: Count.optional(), rankBy: choice(EXAMPLE_RANKINGS).optional() }),
  /** test examples by index (images and labels), for picking an input to explain */
  'atlas.examples': z.strictObject({ id: RunId, indices: z.array(ruledNumber({ integer: true, min: 0 })).min(1).max(256) }),
  'atlas.explain': z.strictObject({ id: RunId, input: ExplainInputSchema, class: ClassIndex.optional(), count: Count.optional() }),
  /** run a's eigenvectors matched to run b's, per class (Hungarian on |cos|, sign gauge fixed) */
  'atlas.compare': z.strictObject({ a: RunId, b: RunId, count: Count.optional() }),
  /** one figure as a file's bytes (base64) */
  'export.figure': z.strictObject({ id: RunId, figure: FigureSpecSchema, format: choice(FIGURE_FORMATS), dpi: Dpi.optional() }),
  /** the whole atlas into a new folder (default: <workspace>/exports/run-<id>-<format>-<time>) */
  'export.atlas': z.strictObject({
    id: RunId,
    format: choice(ATLAS_EXPORT_FORMATS),
    classes: z.array(ClassIndex).min(1).max(1000).optional(),
    count: Count.optional(),
    dpi: Dpi.optional(),
    outDir: AbsolutePath.optional(),
  }),
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

// ---------------------------------------------------------------- atlas outputs

export type { Atlas, AtlasClass, AtlasComparison, AtlasFeature, ExplainedComponent, Explanation, FeatureDetail, FeatureMatch, Faithfulness, TestExample };
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

/** Every call's result. */
export interface ApiOutputs {
  'runs.list': { total: number; rows: ListedRun[]; groups: RunGroup[] | null };
  'runs.show': RunDetail;
  'runs.diff': RunDiff;
  'runs.metrics': MetricSeries;
  'runs.tag': { changed: boolean };
  'runs.untag': { changed: boolean };
  'runs.note': { noteId: number };
  'runs.rename': { id: number; name: string };
  'runs.delete': { id: number };
  /** a queued run is cancelled at once; a running one stops at its next step boundary */
  'runs.cancel': { id: number; status: 'cancelled' | 'stopping' };
  'runs.resume': { id: number; status: 'queued' };
  'train.start': { runId: number };
  'sweep.start': { sweepId: number; runIds: number[] };
  'settings.get': Settings;
  'settings.set': Settings;
  'datasets.list': DatasetInfo[];
  'datasets.import': DatasetInfo;
  'system.executionProviders': { available: ExecutionProvider[]; known: readonly ExecutionProvider[] };
  'atlas.status': AtlasStatus;
  'atlas.analyze': AtlasStatus;
  'atlas.get': Atlas;
  'atlas.feature': FeatureDetail;
  'atlas.examples': TestExample[];
  'atlas.explain': Explanation;
  'atlas.compare': AtlasComparison;
  'export.figure': ExportedFigure;
  'export.atlas': { outDir: string; files: string[]; analyzed: boolean };
}
export type ApiOutput<M extends Method> = ApiOutputs[M];

// ---------------------------------------------------------------- events

export type ApiEvent =
  /** at most a few per second per run, and always the last step */
  | { type: 'progress'; runId: number; epoch: number; step: number; totalSteps: number; loss: number; etaSeconds: number | null }
  /** one evaluation, as recorded in the workspace */
  | { type: 'metrics'; runId: number; record: MetricRecord }
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
