// The workspace: one folder with workspace.db (SQLite, WAL) and runs/<id>/ holding each run's
// files. Opening it applies pending migrations, refuses a database from a newer app, and marks
// runs whose training process died as interrupted. A workspace that cannot be written (a
// read-only file system or folder) still opens for reading; every refusal is one line naming the
// file (database-errors.ts).
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileProblem } from '../engine/util/atomic-file';
import { damaged, databaseProblem, notADatabase, WorkspaceAccessError, WorkspaceError } from './database-errors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export { WorkspaceAccessError, WorkspaceError };

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * The caller only reads. Where the workspace can be written it opens as usual (its upkeep done);
   * where it cannot, it opens read-only instead of being refused.
   */
  readonly?: boolean;
}

export class Workspace {
  private constructor(
    readonly dir: string,
    readonly db: Db,
    /** false when opened read-only because its files cannot be written */
    readonly writable: boolean,
  ) {}

  static open(dir: string, opts: OpenOptions = {}): Workspace {
    const file = join(dir, 'workspace.db');
    const problem = unwritable(dir);
    if (problem === null) return Workspace.openForWriting(dir, file);
    if (!opts.readonly) throw new WorkspaceAccessError(`workspace ${resolve(dir)} cannot be changed (${problem.reason}); commands that only read it (runs list, show, diff, export-metrics, compare-features) still work`, problem.code);
    return Workspace.openForReading(dir, file);
  }

  private static openForWriting(dir: string, file: string): Workspace {
    let db: Db | null = null;
    try {
      mkdirSync(join(dir, 'runs'), { recursive: true });
      checkHeader(file);
      db = new Database(file);
      // another process may hold the write lock for a moment (the app and a CLI sweep): wait for it
      db.pragma('busy_timeout = 10000');
      const version = checkVersion(db, file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, version);
      checkSchema(db, file);
      db.pragma('foreign_keys = ON');
      const ws = new Workspace(resolve(dir), db, true);
      ws.markDeadRunsInterrupted();
      ws.recoverDeletes();
      return ws;
    } catch (e) {
      db?.close();
      throw opening(e, dir, file);
    }
  }

  private static openForReading(dir: string, file: string): Workspace {
    if (!existsSync(file)) throw new WorkspaceError(`no workspace at ${resolve(dir)} (no workspace.db there), and the folder is read-only`);
    let db: Db | null = null;
    try {
      checkHeader(file);
      db = readOnlyDatabase(file);
      const version = checkVersion(db, file);
      if (version < SCHEMA_VERSION) throw new WorkspaceAccessError(`${file} has schema version ${version}, older than this app's (${SCHEMA_VERSION}), and cannot be upgraded where it cannot be written; open it once where it can`, 'EROFS');
      checkSchema(db, file);
      return new Workspace(resolve(dir), db, false);
    } catch (e) {
      db?.close();
      throw opening(e, dir, file);
    }
  }

  get file(): string {
    return join(this.dir, 'workspace.db');
  }

  /** `e` as the error it means for this workspace (SQLite's refusals named, database-errors.ts). */
  problem(e: unknown): unknown {
    return databaseProblem(e, this.file);
  }

  runDir(id: number): string {
    return join(this.dir, 'runs', String(id));
  }

  close(): void {
    this.db.close();
  }

  /**
   * Finishes deletions cut short by a crash: a tombstone whose run is gone is removed; one whose
   * run still exists (the rows were never deleted) is moved back. A copy left by an import whose
   * process died is removed. Returns how many it handled.
   */
  recoverDeletes(): number {
    const runs = join(this.dir, 'runs');
    let handled = 0;
    for (const name of existsSync(runs) ? readdirSync(runs) : []) {
      const importer = IMPORT_STAGING.exec(name);
      if (importer && !processAlive(Number(importer[1]))) {
        rmSync(join(runs, name), { recursive: true, force: true });
        handled++;
      }
      const m = TOMBSTONE.exec(name);
      if (!m) continue;
      const id = Number(m[1]);
      const exists = this.db.prepare(`SELECT 1 FROM runs WHERE id = ?`).get(id) !== undefined;
      if (!exists) rmSync(join(runs, name), { recursive: true, force: true });
      else if (!existsSync(this.runDir(id))) renameSync(join(runs, name), this.runDir(id));
      else continue;
      handled++;
    }
    return handled;
  }

  /** A run left 'running' by a process that no longer exists was interrupted. */
  markDeadRunsInterrupted(): number {
    const running = this.db.prepare(`SELECT id, pid, host FROM runs WHERE status = 'running'`).all() as { id: number; pid: number | null; host: string }[];
    const dead = running.filter((r) => r.pid === null || r.host !== hostName() || !processAlive(r.pid));
    const mark = this.db.prepare(`UPDATE runs SET status = 'interrupted', ended_at = ?, pid = NULL WHERE id = ? AND status = 'running'`);
    const now = Date.now() / 1000;
    this.db.transaction(() => dead.forEach((r) => mark.run(now, r.id)))();
    return dead.length;
  }
}

/** A run folder moved aside while its rows are deleted: runs/.deleting-<id>. */
export const TOMBSTONE = /^\.deleting-(\d+)$/;

/** A copy of a folder being imported by process <pid>: runs/.importing-<pid>-<time>. */
export const IMPORT_STAGING = /^\.importing-(\d+)-\d+$/;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * An empty workspace.db is a new workspace; any other file must start as SQLite's do. (SQLite
 * itself would take a file cut short within its header for an empty one, and write over it.)
 */
function checkHeader(file: string): void {
  let head: Buffer;
  try {
    if (!statSync(file).isFile() || statSync(file).size === 0) return;
    head = Buffer.alloc(SQLITE_HEADER.length);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return; // missing, a folder, unreadable: opening says what it is
  }
  if (!head.equals(SQLITE_HEADER)) throw notADatabase(file, 'it does not begin as an SQLite file does');
}

function checkVersion(db: Db, file: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (!Number.isInteger(version) || version < 0) throw damaged(file, `its schema version ${version} is not one any version of this app wrote`);
  if (version > SCHEMA_VERSION) {
    throw new WorkspaceError(`${file} has schema version ${version}, newer than this app understands (${SCHEMA_VERSION}); upgrade sqs-workbench to open it (the file was left untouched)`);
  }
  return version;
}

/** Why the workspace cannot be written (a read-only file system or folder), or null when it can. */
function unwritable(dir: string): { reason: string; code: string } | null {
  for (const path of [dir, join(dir, 'runs'), join(dir, 'workspace.db')]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return { reason: path === dir ? fileProblem(e) : `${path}: ${fileProblem(e)}`, code };
      return null; // anything else is for opening to report
    }
  }
  return null;
}

/**
 * A read-only connection. SQLite reads a WAL database only beside its -shm file, which a read-only
 * folder cannot hold; then (a workspace closed cleanly has no -wal to miss) the file is read into
 * memory and opened from there.
 */
function readOnlyDatabase(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('user_version', { simple: true });
    return db;
  } catch (e) {
    db.close();
    const wal = `${file}-wal`;
    if (!(e instanceof Database.SqliteError) || !e.code.startsWith('SQLITE_CANTOPEN') || (existsSync(wal) && statSync(wal).size > 0)) throw e;
  }
  const bytes = readFileSync(file);
  // bytes 18 and 19 say WAL (2); as a plain rollback-journal file (1) it reads without -shm
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
  return new Database(bytes, { readonly: true });
}

/** What went wrong while opening, said about this workspace. */
function opening(e: unknown, dir: string, file: string): unknown {
  const p = databaseProblem(e, file);
  if (p !== e || p instanceof WorkspaceError || p instanceof WorkspaceAccessError) return p;
  // the statements that open a workspace are fixed: any other refusal is the file's (a bad schema format)
  if (e instanceof Database.SqliteError) return damaged(file, e.message);
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string' && /^E[A-Z]+$/.test(err.code)) return new WorkspaceAccessError(`workspace ${resolve(dir)} cannot be opened: ${fileProblem(e)}`, err.code);
  return e;
}

let written: Map<string, string> | undefined;

/** Each table and index the migrations make, by name, as SQLite records its definition. */
function writtenSchema(): Map<string, string> {
  if (written) return written;
  const db = new Database(':memory:');
  try {
    migrate(db, 0);
    return (written = schemaOf(db));
  } finally {
    db.close();
  }
}

const schemaOf = (db: Db): Map<string, string> =>
  new Map((db.prepare(`SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL`).all() as { name: string; sql: string }[]).map((r) => [r.name, r.sql]));

/**
 * Every table and index of ours is there as the migrations wrote it (a damaged schema would
 * otherwise surface later as a baffling SQL error); tables and views a researcher added are left be.
 */
function checkSchema(db: Db, file: string): void {
  const have = schemaOf(db);
  for (const [name, sql] of writtenSchema()) {
    if (have.get(name) !== sql) throw damaged(file, `its ${sql.startsWith('CREATE TABLE') ? 'table' : 'index'} '${name}' ${have.has(name) ? 'is not defined as this app wrote it' : 'is missing'}`);
  }
}

function migrate(db: Db, from: number): void {
  for (let v = from; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

export function hostName(): string {
  return hostname();
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
