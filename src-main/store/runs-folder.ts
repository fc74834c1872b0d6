// The workspace's runs/ folder against its database. A run's folder is named by its id, and the
// two must never be mixed up: a database restored from a backup, deleted, or emptied no longer
// knows every folder, so new ids start past every folder already there as well as past every id
// the database ever gave, and folders it does not know are reported (`runs import` registers them).
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Workspace } from './workspace';

/** A folder name that is a run id: runs/12 (not runs/012, runs/0 or a hidden folder). */
const RUN_ID_NAME = /^[1-9]\d*$/;

/** Folders the workspace moves aside while it works on them (runs/.deleting-3, runs/.importing-…). */
const STAGING = /^\./;

export const runsRoot = (ws: Workspace): string => join(ws.dir, 'runs');

function namesIn(root: string): string[] {
  try {
    return readdirSync(root);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** The highest run id any name under runs/ carries, tombstones (.deleting-<id>) included; 0 if none. */
function highestFolderId(ws: Workspace): number {
  let max = 0;
  for (const name of namesIn(runsRoot(ws))) {
    const id = /^(?:\.deleting-)?(\d+)$/.exec(name)?.[1];
    if (id !== undefined && Number.isSafeInteger(Number(id))) max = Math.max(max, Number(id));
  }
  return max;
}

/**
 * The id the next run gets: past every id the database holds or ever gave (AUTOINCREMENT keeps
 * that in sqlite_sequence) and past every folder under runs/, so that a new run never lands in
 * a folder another run left. Call it inside the transaction that inserts the run.
 */
export function nextRunId(ws: Workspace): number {
  const given = ws.db.prepare(`SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'runs'), 0), coalesce((SELECT max(id) FROM runs), 0))`).pluck().get() as number;
  return Math.max(given, highestFolderId(ws)) + 1;
}

const holdsFiles = (dir: string): boolean => {
  try {
    return statSync(dir).isDirectory() && readdirSync(dir).length > 0;
  } catch {
    return false;
  }
};

/**
 * Folders under runs/ that hold files but belong to no run of the database (a restored, lost or
 * emptied workspace.db; a folder copied in by hand), as absolute paths, run ids first in order.
 */
export function unregisteredFolders(ws: Workspace): string[] {
  return foldersBesides(runsRoot(ws), new Set((ws.db.prepare(`SELECT id FROM runs`).pluck().all() as number[]).map(String)));
}

/** The run folders in `<workspaceDir>/runs` when there is no database to know them. */
export const runFoldersWithoutDatabase = (workspaceDir: string): string[] => foldersBesides(join(workspaceDir, 'runs'), new Set());

function foldersBesides(root: string, known: ReadonlySet<string>): string[] {
  const names = namesIn(root).filter((n) => !STAGING.test(n) && !known.has(n) && holdsFiles(join(root, n)));
  const order = (n: string) => (RUN_ID_NAME.test(n) ? Number(n) : Number.POSITIVE_INFINITY);
  return names.sort((a, b) => order(a) - order(b) || a.localeCompare(b)).map((n) => join(root, n));
}

/** "2 run folders in <ws>/runs are not in the database: runs 1, 2; 'sqs-workbench runs import <folder>' registers them" */
export function unregisteredNotice(ws: Workspace, folders: readonly string[]): string | null {
  if (folders.length === 0) return null;
  const one = folders.length === 1;
  return `${folders.length} run folder${one ? '' : 's'} in ${runsRoot(ws)} ${one ? 'is' : 'are'} not in the database: ${describeFolders(folders)}; 'sqs-workbench runs import <folder>' registers ${one ? 'it' : 'them'}`;
}

/** "runs 1, 2" or "run 7": the folders' names for a message. */
export const describeFolders = (folders: readonly string[]): string => describeRuns(folders.map((f) => basename(f)));

/** "runs 1, 2, 3" or "run 7" for a message; the first 20 of many, and how many more. */
export function describeRuns(names: readonly (string | number)[]): string {
  const shown = names.length > 20 ? `${names.slice(0, 20).join(', ')} and ${names.length - 20} more` : names.join(', ');
  return `run${names.length === 1 ? '' : 's'} ${shown}`;
}

/** The run id a folder directly under runs/ is named for, or null (runs/sqs-s0, runs/007). */
export function folderRunId(name: string): number | null {
  return RUN_ID_NAME.test(name) && Number.isSafeInteger(Number(name)) ? Number(name) : null;
}

/**
 * Why runs/<id> is not this run's to train into or delete: a run that never started wrote nothing,
 * so files there were left by another run (a database restored from a backup); null when it is.
 */
export function foreignFolder(ws: Workspace, run: { id: number; started_at: number | null }): string | null {
  const dir = ws.runDir(run.id);
  if (run.started_at !== null || !holdsFiles(dir)) return null;
  return `${dir} already holds files that run ${run.id} did not write (left by another run: was workspace.db restored or replaced?); nothing was trained into it, and 'sqs-workbench runs import ${dir}' would register that folder once run ${run.id} is deleted`;
}
