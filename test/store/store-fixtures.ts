// Small workspaces with known runs for the store tests, and a dump to prove "nothing changed".
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEFAULT_CONFIG, type GateName, type TrainConfig } from '../../src-main/engine/train/config';
import type { MetricRecord } from '../../src-main/engine/train/trainer';
import { createRun, finishRun, getRun, markRunning, recordMetrics, type RunRow } from '../../src-main/store/runs';
import { Workspace } from '../../src-main/store/workspace';
import type { ListedRun } from '../../src-main/common/records';

export function tempWorkspace(): Workspace {
  return Workspace.open(mkdtempSync(join(tmpdir(), 'sqs-store-')));
}

export const GATES: GateName[] = ['bilinear', 'sqs', 'swiglu'];
export const WDS = [0.1, 0.25, 0.5, 1.0];

export interface Seeded {
  id: number;
  config: TrainConfig;
  tags: string[];
  records: MetricRecord[];
}

/**
 * 12 runs: 3 gates × 4 seeds with varied weight decay; each trained 3 epochs (5 metrics per
 * epoch) except the last, which stays queued without metrics. Tags: 'even' on even seeds,
 * 'paper' on sqs runs. Each run gets a folder with a file in it.
 */
export function seedRuns(ws: Workspace): Seeded[] {
  const out: Seeded[] = [];
  let k = 0;
  for (const gate of GATES) {
    for (let seed = 0; seed < 4; seed++, k++) {
      const config: TrainConfig = { ...structuredClone(DEFAULT_CONFIG), gate, seed, wd: WDS[(seed + k) % 4], sqs: { ...DEFAULT_CONFIG.sqs, c: gate === 'sqs' ? 0.05 : 0.01 } };
      const tags = [...(seed % 2 === 0 ? ['even'] : []), ...(gate === 'sqs' ? ['paper'] : [])];
      const id = createRun(ws, { config, tags });
      const records: MetricRecord[] = [];
      if (k !== 11) {
        for (let epoch = 1; epoch <= 3; epoch++) {
          const t = epoch / 3;
          records.push({
            epoch,
            step: epoch * 10,
            train_loss: 1 / (epoch + k),
            test_loss: 1.2 / (epoch + k) + 0.001 * seed,
            test_accuracy: 0.8 + 0.15 * t + 0.004 * k - 0.003 * seed,
            lr: 1e-3 * (1 - t),
            seconds: epoch * 2.5,
          });
        }
        markRunning(ws, id);
        recordMetrics(ws, id, records);
        finishRun(ws, id, 'completed');
      }
      mkdirSync(ws.runDir(id), { recursive: true });
      writeFileSync(join(ws.runDir(id), 'weights.safetensors'), `weights of ${id}`);
      out.push({ id, config, tags, records });
    }
  }
  return out;
}

/** Every run as runs.list gives it, read one by one the plain way: its tags, its note count and newest note. */
export function allRuns(ws: Workspace): ListedRun[] {
  const ids = ws.db.prepare(`SELECT id FROM runs ORDER BY id`).pluck().all() as number[];
  const tags = ws.db.prepare(`SELECT tag FROM tags WHERE run_id = ? ORDER BY tag`).pluck();
  const notes = ws.db.prepare(`SELECT id, body, created_at FROM notes WHERE run_id = ?`);
  return ids.map((id) => {
    const all = notes.all(id) as { id: number; body: string; created_at: number }[];
    const newest = all.reduce<(typeof all)[number] | null>((a, n) => (a === null || n.created_at > a.created_at || (n.created_at === a.created_at && n.id > a.id) ? n : a), null);
    return { ...getRun(ws, id), tags: tags.all(id) as string[], note_count: all.length, latest_note: newest && { body: newest.body, created_at: newest.created_at } };
  });
}

/** Every row of every table and every file under runs/, as one comparable string. */
export function dump(ws: Workspace): string {
  const tables = ws.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
  const rows = tables.map((t) => [t, (ws.db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort()]);
  return JSON.stringify({ rows, files: files(join(ws.dir, 'runs')) });
}

export function files(dir: string, root = dir): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? [`${relative(root, p)}/`, ...files(p, root)] : [`${relative(root, p)}=${readFileSync(p, 'utf8')}`];
    })
    .sort();
}

/** The query plan's details, one string per step. */
export function plan(ws: Workspace, s: { sql: string; params: unknown[] }): string[] {
  return (ws.db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.params) as { detail: string }[]).map((r) => r.detail);
}

export function meanStd(xs: number[]): { mean: number | null; std: number | null; n: number } {
  if (xs.length === 0) return { mean: null, std: null, n: 0 };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std, n: xs.length };
}
