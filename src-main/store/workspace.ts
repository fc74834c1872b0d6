// The workspace: one folder with workspace.db (SQLite, WAL) and runs/<id>/ holding each run's
// files. Opening it applies pending migrations, refuses a database from a newer app, and marks
// runs whose training process died as interrupted.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
}

export type Db = Database.Database;

export class Workspace {
  private constructor(
    readonly dir: string,
    readonly db: Db,
  ) {}

  static open(dir: string, opts: { readonly?: boolean } = {}): Workspace {
    mkdirSync(join(dir, 'runs'), { recursive: true });
    const file = join(dir, 'workspace.db');
    const db = new Database(file, { readonly: opts.readonly ?? false });
    try {
      // another process may hold the write lock for a moment (the app and a CLI sweep): wait for it
      db.pragma('busy_timeout = 10000');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new WorkspaceError(
          `${file} has schema version ${version}, newer than this app understands (${SCHEMA_VERSION}); upgrade sqs-workbench to open it (the file was left untouched)`,
        );
      }
      if (!opts.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        migrate(db, version);
      }
      db.pragma('foreign_keys = ON');
      const ws = new Workspace(resolve(dir), db);
      if (!opts.readonly) {
        ws.markDeadRunsInterrupted();
        ws.recoverDeletes();
      }
      return ws;
    } catch (e) {
      db.close();
      throw e;
    }
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
