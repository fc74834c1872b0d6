// A run as the workspace stores it: statuses, final metrics and the row's shape. Free of Node
// imports, so that the api contract can hand these very types to the renderer.
import type { TrainConfig } from '../engine/train/config';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'diverged', 'interrupted', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINAL_METRICS = ['train_loss', 'test_loss', 'test_accuracy'] as const;
export type FinalMetric = (typeof FINAL_METRICS)[number];

export interface RunRow {
  id: number;
  name: string;
  status: RunStatus;
  config: TrainConfig;
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
}
