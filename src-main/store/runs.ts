// Writing runs into the workspace: creation, status changes and metrics as training goes.
// Metrics arrive in batches (one transaction each) so a training step never waits on the disk.
import { APP_VERSION } from '../common/version';
import { appGitCommit } from './app-info';
import { damaged, storedJson } from './database-errors';
import { nextRunId } from './runs-folder';
import { hostName, type Workspace } from './workspace';
import { isLmConfig, type RunConfig } from '../engine/train/lm-config';
import { LATER_DEFAULTS } from '../engine/train/config';
import type { AnyMetricRecord } from '../engine/train/metric-record';
import { RESUMABLE, type RunRow, type RunStatus } from '../common/records';
import { Name, Tag, verdict } from '../common/rules';
import type { z } from '../common/zod';

export { FINAL_METRICS, RESUMABLE, RUN_STATUSES, type RunRow, type RunStatus } from '../common/records';

export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
}

/** A tag, name or note that cannot be stored, or a run that cannot be edited now; nothing was changed. */
export class RunEditError extends Error {
  override name = 'RunEditError';
}

/** `value` if `rule` holds for it, else a RunEditError naming `what`: "tag: ' paper' starts or ends with spaces". */
export function checked<S extends z.ZodType>(what: string, rule: S, value: unknown): z.output<S> {
  const v = verdict(rule, value);
  if (!v.ok) throw new RunEditError(`${what}: ${v.error}`);
  return v.value;
}

const now = () => Date.now() / 1000;

/**
 * Queues a new run; a bad name or tag is refused (RunEditError) before anything is written. Its
 * id is past every id and every run folder of the workspace (runs-folder.ts), unless `id` names a
 * free one (a folder of runs/ registered where it is). It belongs to this process, whose
 * scheduler trains it (run-owners.ts); `owned: false` leaves it to whoever takes orphaned runs.
 */
export function createRun(ws: Workspace, r: { name?: string; config: RunConfig; sweepId?: number | null; tags?: readonly string[]; gitCommit?: string | null; id?: number; owned?: boolean }): number {
  if (r.name !== undefined) checked('name', Name, r.name);
  for (const t of r.tags ?? []) checked('tag', Tag, t);
  return ws.db.transaction(() => {
    const id = r.id ?? nextRunId(ws);
    ws.db
      .prepare(
        `INSERT INTO runs (id, name, status, config, gate, seed, dataset, sweep_id, created_at, app_version, git_commit, execution_provider, host, pid)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, r.name ?? '', JSON.stringify(r.config), r.config.gate, r.config.seed, r.config.dataset, r.sweepId ?? null, now(), APP_VERSION, r.gitCommit ?? appGitCommit(), r.config.ep, hostName(), r.owned === false ? null : process.pid);
    if (!r.name) ws.db.prepare(`UPDATE runs SET name = ? WHERE id = ?`).run(`${r.config.gate}-s${r.config.seed}-${id}`, id);
    const tag = ws.db.prepare(`INSERT OR IGNORE INTO tags (run_id, tag) VALUES (?, ?)`);
    for (const t of r.tags ?? []) tag.run(id, t);
    return id;
  }).immediate();
}

export function getRun(ws: Workspace, id: number): RunRow {
  const row = ws.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as StoredRun | undefined;
  if (!row) throw new RunNotFoundError(`run ${id} does not exist in ${ws.dir}`);
  return storedRun(ws, row);
}

/** A row of runs as SQLite returns it: the config still JSON text. */
export type StoredRun = Omit<RunRow, 'config'> & { config: string };

const TEXT_COLUMNS = ['name', 'status', 'config', 'gate', 'dataset', 'app_version', 'execution_provider', 'host'] as const;
const NUMBER_COLUMNS = ['id', 'seed', 'created_at', 'epochs_done', 'steps_done'] as const;

/**
 * A run as read back, its config parsed. A damaged page can hold what the schema forbids (a NULL
 * name, a config that is not an object): that is said, in one line, rather than shown or tripped over.
 */
export function storedRun(ws: Workspace, row: StoredRun): RunRow {
  const bad = [...TEXT_COLUMNS.filter((c) => typeof row[c] !== 'string'), ...NUMBER_COLUMNS.filter((c) => typeof row[c] !== 'number')];
  if (bad.length > 0) throw damaged(ws.file, `run ${row.id} has no valid ${bad.join(', ')}`);
  const config = storedJson<RunRow['config'] | null>(row.config, `run ${row.id}'s config`, ws.file);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw damaged(ws.file, `run ${row.id}'s config is not a JSON object`);
  return { ...row, config: isLmConfig(config) ? config : ({ ...LATER_DEFAULTS, ...config } as RunRow['config']) };
}

export function markRunning(ws: Workspace, id: number): void {
  ws.db.prepare(`UPDATE runs SET status = 'running', started_at = coalesce(started_at, ?), pid = ?, host = ?, error = NULL, ended_at = NULL WHERE id = ?`).run(now(), process.pid, hostName(), id);
}

/** Records evaluations and keeps the run's latest figures in step, in one transaction. */
export function recordMetrics(ws: Workspace, id: number, records: readonly AnyMetricRecord[]): void {
  if (records.length === 0) return;
  const insert = ws.db.prepare(`INSERT OR REPLACE INTO metrics (run_id, step, epoch, name, value) VALUES (?, ?, ?, ?, ?)`);
  const latest = ws.db.prepare(`UPDATE runs SET epochs_done = ?, steps_done = ?, train_loss = ?, test_loss = ?, test_accuracy = ? WHERE id = ?`);
  ws.db.transaction(() => {
    for (const r of records) {
      for (const [name, v] of Object.entries(r)) {
        if (name === 'step' || name === 'epoch' || typeof v !== 'number') continue;
        insert.run(id, r.step, r.epoch, name, Number.isFinite(v) ? v : null);
      }
    }
    const last = records[records.length - 1];
    // the runs table's held-out loss: a classifier's test loss, a language model's validation loss
    const heldOut = 'val_loss' in last ? last.val_loss : last.test_loss;
    latest.run(last.epoch, last.step, finite(last.train_loss), finite(heldOut), 'test_accuracy' in last ? finite(last.test_accuracy) : null, id);
  }).immediate();
}

export function finishRun(ws: Workspace, id: number, status: RunStatus, error: string | null = null): void {
  ws.db.prepare(`UPDATE runs SET status = ?, ended_at = ?, pid = NULL, error = ? WHERE id = ?`).run(status, now(), error, id);
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

export const CANCELLABLE: readonly RunStatus[] = ['queued', 'running'];
/**
 * A row that may be claimed to train: its status is RESUMABLE (plain words, never user input),
 * and it is not a run cancelled while running whose job has not stopped yet (no end time).
 */
export const RESUMABLE_SQL = `status IN (${RESUMABLE.map((s) => `'${s}'`).join(', ')}) AND NOT (status = 'cancelled' AND ended_at IS NULL)`;

/**
 * Cancels a queued or running run. A running one is stopped by its training job, which polls its
 * row, so this works from any process. Returns whether the row changed.
 */
export function cancelRun(ws: Workspace, id: number): boolean {
  return (
    ws.db
      .prepare(`UPDATE runs SET status = 'cancelled', ended_at = CASE WHEN status = 'queued' THEN ? ELSE ended_at END, pid = CASE WHEN status = 'queued' THEN NULL ELSE pid END WHERE id = ? AND status IN ('queued', 'running')`)
      .run(now(), id).changes > 0
  );
}

/** Puts an interrupted, cancelled or failed run back in the queue, owned by this process; it continues from its last checkpoint. False: it is not resumable (now). */
export function requeueRun(ws: Workspace, id: number): boolean {
  return ws.db.prepare(`UPDATE runs SET status = 'queued', ended_at = NULL, pid = ?, host = ? WHERE id = ? AND ${RESUMABLE_SQL}`).run(process.pid, hostName(), id).changes > 0;
}
