// Runs of both families written straight into a workspace through the store, as a finished
// training leaves them (row, metrics, run.json, a language model's samples.jsonl), for tests of
// the views that show them without training anything. The numbers are made up but consistent:
// a loss that falls, perplexity exp(validation loss), tokens = steps × batch × context.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src-main/engine/train/config';
import { DEFAULT_LM_CONFIG, type LmConfig } from '../../src-main/engine/train/lm-config';
import type { LmMetricRecord, MetricRecord } from '../../src-main/engine/train/metric-record';
import { RUN_FILES, writeSummary } from '../../src-main/engine/train/run-files';
import { createRun, finishRun, markRunning, recordMetrics } from '../../src-main/store/runs';
import type { Workspace } from '../../src-main/store/workspace';

export interface SeededLmRun {
  id: number;
  records: LmMetricRecord[];
  samples: { step: number; prompt: string; text: string }[];
}

/** A completed language-model run with `evaluations` evaluations, each with a sample. */
export function seedLmRun(ws: Workspace, o: { name: string; config?: Partial<Omit<LmConfig, 'family'>>; evaluations?: number; startLoss?: number; tags?: string[] }): SeededLmRun {
  const config: LmConfig = { ...DEFAULT_LM_CONFIG, ...o.config };
  const n = o.evaluations ?? 5;
  const id = createRun(ws, { name: o.name, config, tags: o.tags });
  const dir = ws.runDir(id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, RUN_FILES.config), JSON.stringify(config, null, 2) + '\n');
  markRunning(ws, id);
  const start = o.startLoss ?? Math.log(config.vocab);
  const records = Array.from({ length: n }, (_, i): LmMetricRecord => {
    const step = Math.round(((i + 1) * config.steps) / n);
    const val = 1.5 + (start - 1.5) * Math.exp(-3 * (i + 1) / n);
    const seconds = step / 40;
    return { epoch: i + 1, step, tokens: step * config.batch * config.ctx, train_loss: val - 0.05, val_loss: val, val_ppl: Math.exp(val), lr: config.lr, seconds, tokens_per_s: (step * config.batch * config.ctx) / seconds };
  });
  recordMetrics(ws, id, records);
  const samples = records.map((r, i) => ({ step: r.step, prompt: 'once upon a time', text: ` there was a little ${['dog', 'cat', 'bird', 'fox', 'girl'][i % 5]} who lived near the sea.` }));
  writeFileSync(join(dir, RUN_FILES.samples), samples.map((s) => JSON.stringify(s)).join('\n') + '\n');
  const last = records[n - 1];
  writeSummary(dir, { status: 'completed', epochs_completed: n, steps: last.step, seconds: last.seconds, execution_provider: config.ep, train_loss: last.train_loss, test_loss: last.val_loss, test_accuracy: null, val_ppl: last.val_ppl, tokens: last.tokens, tokens_per_s: last.tokens_per_s });
  finishRun(ws, id, 'completed');
  return { id, records, samples };
}

/** A completed classifier run with `epochs` evaluations. */
export function seedClassifierRun(ws: Workspace, o: { name: string; config?: Partial<TrainConfig>; epochs?: number }): number {
  const config: TrainConfig = { ...DEFAULT_CONFIG, ...o.config };
  const n = o.epochs ?? 3;
  const id = createRun(ws, { name: o.name, config });
  mkdirSync(ws.runDir(id), { recursive: true });
  markRunning(ws, id);
  const records = Array.from({ length: n }, (_, i): MetricRecord => ({ epoch: i + 1, step: (i + 1) * 30, train_loss: 0.5 / (i + 1), test_loss: 0.45 / (i + 1), test_accuracy: 0.9 + 0.02 * i, lr: config.lr, seconds: i + 1 }));
  recordMetrics(ws, id, records);
  finishRun(ws, id, 'completed');
  return id;
}
