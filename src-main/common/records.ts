// The shapes the workspace stores and returns: a run's row, its statuses and final metrics, and
// the results of queries. Free of Node imports, so that the api contract hands these very types
// to the renderer.
import type { RunConfig } from '../engine/train/lm-config';
import type { RunSummary } from '../engine/train/run-summary';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'diverged', 'interrupted', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** What may be trained (again): queued, or stopped before its end (interrupted, cancelled, failed), from its last checkpoint. */
export const RESUMABLE: readonly RunStatus[] = ['interrupted', 'cancelled', 'failed', 'queued'];
export const FINAL_METRICS = ['train_loss', 'test_loss', 'test_accuracy'] as const;
export type FinalMetric = (typeof FINAL_METRICS)[number];

export interface RunRow {
  id: number;
  name: string;
  status: RunStatus;
  config: RunConfig;
  gate: string;
  seed: number;
  dataset: string;
  dataset_sha256: string | null;
  sweep_id: number | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  app_version: string;
  git_commit: string | null;
  execution_provider: string;
  host: string;
  pid: number | null;
  error: string | null;
  epochs_done: number;
  steps_done: number;
  train_loss: number | null;
  test_loss: number | null;
  test_accuracy: number | null;
  /** where it trains: here, or as a task of a Slurm job array (common/executor.ts) */
  executor: 'local' | 'slurm';
  /** the Slurm options it was submitted with, as JSON */
  executor_options: string | null;
  /** its latest Slurm job, `<array job id>_<task index>`, its state and a pending job's reason */
  slurm_job: string | null;
  slurm_state: string | null;
  slurm_reason: string | null;
}

export type ListedRun = RunRow & {
  tags: string[];
  /** how many notes the run has, and the newest one */
  note_count: number;
  latest_note: { body: string; created_at: number } | null;
};

export interface Stat {
  mean: number | null;
  std: number | null;
  n: number;
}

export type RunGroup = { key: string | number | null; count: number } & Record<FinalMetric, Stat>;

export interface RunDetail {
  run: RunRow;
  /** the run's folder in the workspace */
  dir: string;
  /** what its run.json says of the training, once it has started */
  result: RunSummary | null;
  tags: string[];
  notes: { id: number; body: string; created_at: number }[];
  artifacts: { path: string; kind: string; sha256: string; bytes: number }[];
  /** the latest analysis, its summary parsed */
  analysis: { id: number; kind: string; created_at: number; summary: unknown } | null;
  metrics: { name: string; points: number }[];
}

export type ConfigLeaf = string | number | boolean | null | unknown[];

export interface RunDiff {
  a: { id: number; name: string; status: string };
  b: { id: number; name: string; status: string };
  /** only the keys whose values differ; a key missing from one run has null there */
  config: { key: string; a: ConfigLeaf; b: ConfigLeaf }[];
  final: Record<FinalMetric, { a: number | null; b: number | null }>;
}

export interface MetricPoint {
  step: number;
  epoch: number;
  value: number | null;
}

/** run id → metric name → points in step order */
export type MetricSeries = Record<number, Record<string, MetricPoint[]>>;

/** {sqs: {c: 1}} → {'sqs.c': 1}; arrays are leaves. */
export function flattenConfig(obj: unknown, prefix = '', out: Record<string, ConfigLeaf> = {}): Record<string, ConfigLeaf> {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out[prefix] = obj as ConfigLeaf;
  return out;
}
