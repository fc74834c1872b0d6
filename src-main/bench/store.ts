// `bench store`: fills a fresh workspace with many runs and metric points, then times the
// queries the UI and CLI depend on. Query times are the median of five calls after one warm-up.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, GATE_NAMES, type TrainConfig } from '../engine/train/config';
import { groupRuns, listRuns, metricSeries } from '../store/query';
import { createRun } from '../store/runs';
import { Workspace, WorkspaceError } from '../store/workspace';

export interface BenchStoreResult {
  /** one page of 50 runs filtered on gate and config.wd, sorted by test accuracy */
  list_ms: number;
  /** every metric point of 20 runs spread over the workspace */
  series_ms: number;
  /** count and mean ± std of the final metrics per gate, over all runs */
  group_ms: number;
  /** metric points written per second, in transactions of RUNS_PER_TX runs */
  ingest_points_per_s: number;
  /** size of workspace.db after a WAL checkpoint */
  db_bytes: number;
}

const NAMES = ['train_loss', 'test_loss', 'test_accuracy'] as const;
const RUNS_PER_TX = 50;
const STEP_EVERY = 10;
const EPOCHS = 20;

/** A small deterministic generator (mulberry32), so every bench writes the same workspace. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function configFor(i: number, r: () => number): TrainConfig {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  return {
    ...DEFAULT_CONFIG,
    gate: GATE_NAMES[i % GATE_NAMES.length],
    seed: Math.floor(i / GATE_NAMES.length) % 10,
    sqs: { c: pick([0, 0.01, 0.1]), lambda: pick([0.25, 0.5, 1]), p: pick([1, 2]) },
    d: pick([256, 512]),
    h: pick([256, 512]),
    lr: pick([3e-4, 1e-3, 3e-3]),
    wd: pick([0.1, 0.25, 0.5, 1.0]),
    noise: pick([0.4, 0.7, 1.0]),
    dataset: pick(['digits', 'fashion-mnist']),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median milliseconds of five calls after a warm-up, to 0.01 ms. */
function time(fn: () => unknown, repeats = 5): number {
  fn();
  const ts: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return Math.round(100 * median(ts)) / 100;
}

export function benchStore(opts: { runs: number; points: number; dir?: string }): BenchStoreResult {
  const { runs, points } = opts;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be an integer >= 1, not ${runs}`);
  if (!Number.isInteger(points) || points < 1) throw new RangeError(`points must be an integer >= 1, not ${points}`);
  if (opts.dir && existsSync(join(opts.dir, 'workspace.db'))) throw new WorkspaceError(`${opts.dir} already holds a workspace: the store bench needs a fresh folder`);
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'sqs-bench-store-'));
  const ws = Workspace.open(dir);
  try {
    const ingestMs = fill(ws, runs, points);
    const ids = Array.from({ length: Math.min(20, runs) }, (_, k) => 1 + Math.floor((k * runs) / Math.min(20, runs)));
    const result: BenchStoreResult = {
      list_ms: time(() => listRuns(ws, { filters: ['gate=sqs', 'config.wd<=0.5'], sort: '-test_accuracy', limit: 50 })),
      series_ms: time(() => metricSeries(ws, ids)),
      group_ms: time(() => groupRuns(ws, {}, 'gate')),
      ingest_points_per_s: Math.round((runs * points) / (ingestMs / 1000)),
      db_bytes: 0,
    };
    ws.db.pragma('wal_checkpoint(TRUNCATE)');
    result.db_bytes = statSync(join(dir, 'workspace.db')).size;
    return result;
  } finally {
    ws.close();
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes the runs and their points; returns the milliseconds spent writing points. */
function fill(ws: Workspace, runs: number, points: number): number {
  const r = rng(1);
  const insert = ws.db.prepare(`INSERT INTO metrics (run_id, step, epoch, name, value) VALUES (?, ?, ?, ?, ?)`);
  const finals = ws.db.prepare(`UPDATE runs SET status = 'completed', epochs_done = ?, steps_done = ?, train_loss = ?, test_loss = ?, test_accuracy = ? WHERE id = ?`);
  let ms = 0;
  for (let start = 0; start < runs; start += RUNS_PER_TX) {
    const n = Math.min(RUNS_PER_TX, runs - start);
    const batch = ws.db.transaction(() => {
      const made: { id: number; rate: number; floor: number; acc: number }[] = [];
      for (let i = start; i < start + n; i++) {
        const config = configFor(i, r);
        made.push({ id: createRun(ws, { config }), rate: 3 + 5 * r(), floor: 0.05 + 0.3 * r(), acc: 0.85 + 0.14 * r() });
      }
      return made;
    });
    const made = batch();
    const t0 = performance.now();
    ws.db.transaction(() => {
      for (const m of made) {
        const last: Record<string, number | null> = { train_loss: null, test_loss: null, test_accuracy: null };
        const evals = Math.ceil(points / 3);
        let step = 0;
        let epoch = 0;
        for (let p = 0; p < points; p++) {
          const name = NAMES[p % 3];
          const q = Math.floor(p / 3) + 1; // the q-th of `evals` evaluations, every STEP_EVERY steps
          step = STEP_EVERY * q;
          epoch = Math.ceil((EPOCHS * q) / evals);
          const decay = Math.exp((-m.rate * q) / evals);
          const noise = 0.01 * (r() - 0.5);
          const value = name === 'test_accuracy' ? m.acc * (1 - 0.9 * decay) + noise : 2.3 * decay + m.floor * (name === 'test_loss' ? 1.1 : 1) + noise;
          insert.run(m.id, step, epoch, name, value);
          last[name] = value;
        }
        finals.run(epoch, step, last.train_loss, last.test_loss, last.test_accuracy, m.id);
      }
    })();
    ms += performance.now() - t0;
  }
  return ms;
}
