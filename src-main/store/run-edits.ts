// Editing runs after the fact: tags, notes, names, deletion. Every edit checks its input and
// the run first, and changes nothing when either is wrong. Deleting a run removes its rows and
// its folder together: the folder is moved aside first, the rows go in one transaction, and
// only then is the folder removed (or moved back if the rows could not be deleted).
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostName, processAlive, TOMBSTONE, type Workspace } from './workspace';
import { checked, RunEditError, RunNotFoundError } from './runs';
import { Name, NoteBody, Tag } from '../common/rules';

export { RunEditError };

interface RunState {
  status: string;
  pid: number | null;
  host: string;
  started_at: number | null;
}

function requireRun(ws: Workspace, id: number): RunState {
  const row = ws.db.prepare(`SELECT status, pid, host, started_at FROM runs WHERE id = ?`).get(id) as RunState | undefined;
  if (!row) throw new RunNotFoundError(`run ${id} does not exist in ${ws.dir}`);
  return row;
}

/** Adds a tag; false when the run already had it. */
export function tagRun(ws: Workspace, id: number, tag: string): boolean {
  const t = checked('tag', Tag, tag);
  return ws.db.transaction(() => {
    requireRun(ws, id);
    return ws.db.prepare(`INSERT OR IGNORE INTO tags (run_id, tag) VALUES (?, ?)`).run(id, t).changes > 0;
  }).immediate();
}

/** Removes a tag; false when the run did not have it. */
export function untagRun(ws: Workspace, id: number, tag: string): boolean {
  const t = checked('tag', Tag, tag);
  return ws.db.transaction(() => {
    requireRun(ws, id);
    return ws.db.prepare(`DELETE FROM tags WHERE run_id = ? AND tag = ?`).run(id, t).changes > 0;
  }).immediate();
}

/** Appends a note (newlines allowed) and returns its id. */
export function addNote(ws: Workspace, id: number, body: string): number {
  const b = checked('note', NoteBody, body);
  return ws.db.transaction(() => {
    requireRun(ws, id);
    return Number(ws.db.prepare(`INSERT INTO notes (run_id, body, created_at) VALUES (?, ?, ?)`).run(id, b, Date.now() / 1000).lastInsertRowid);
  }).immediate();
}

export function renameRun(ws: Workspace, id: number, name: string): void {
  const n = checked('name', Name, name);
  ws.db.transaction(() => {
    requireRun(ws, id);
    ws.db.prepare(`UPDATE runs SET name = ? WHERE id = ?`).run(n, id);
  }).immediate();
}

const tombstone = (ws: Workspace, id: number): string => join(ws.dir, 'runs', `.deleting-${id}`);

/**
 * Deletes a run's rows (metrics, tags, notes, artifacts, analyses) and its folder, together. A run
 * that never started has no folder of its own, so whatever lies at its folder's place is left.
 */
export function deleteRun(ws: Workspace, id: number): void {
  const run = requireRun(ws, id);
  if (run.status === 'running' && run.pid !== null && run.host === hostName() && processAlive(run.pid)) {
    throw new RunEditError(`run ${id} is being trained (pid ${run.pid}); cancel it before deleting it`);
  }
  const dir = ws.runDir(id);
  const tomb = tombstone(ws, id);
  let moved = false;
  // a run that never started wrote no folder: one there now is another run's (a restored database)
  if (run.started_at !== null && existsSync(dir)) {
    // a tombstone left by a crash while deleting an earlier run with this id is garbage by now
    if (existsSync(tomb)) rmSync(tomb, { recursive: true, force: true });
    renameSync(dir, tomb);
    moved = true;
  }
  try {
    ws.db.transaction(() => {
      for (const table of ['metrics', 'tags', 'notes', 'artifacts', 'analyses']) ws.db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(id);
      ws.db.prepare(`DELETE FROM runs WHERE id = ?`).run(id);
    }).immediate();
  } catch (e) {
    if (moved) renameSync(tomb, dir);
    throw e;
  }
  try {
    rmSync(tomb, { recursive: true, force: true });
  } catch {
    // the rows are gone; a folder that could not be removed now is removed the next time the workspace opens
  }
}
