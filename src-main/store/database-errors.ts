// What SQLite's refusals mean for the person at the keyboard. A workspace.db that is damaged, not
// a database, or from a newer app is a WorkspaceError (the folder is in a state the app cannot
// use); a full disk, a read-only file system or an I/O error is a WorkspaceAccessError that keeps
// the system's code (ENOSPC, EROFS, EIO), so that it reads as the machine's state and not as a bug.
// Each names the file, in one line.
import Database from 'better-sqlite3';
import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The workspace is in a state this app cannot use (damaged, not a database, newer); nothing was changed. */
export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
}

/** The workspace's files cannot be read or written here and now; `code` is the system's (ENOSPC, EROFS, EIO). */
export class WorkspaceAccessError extends Error {
  override name = 'WorkspaceAccessError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** "<file> is damaged: <how>; restore it from a backup, or …": what a damaged workspace.db says. */
export function damaged(file: string, how: string): WorkspaceError {
  return new WorkspaceError(`${file} is damaged: ${how}; ${RESTORE}`);
}

/** "<file> is not a workspace database (<why>): restore it …" */
export function notADatabase(file: string, why: string): WorkspaceError {
  return new WorkspaceError(`${file} is not a workspace database (${why}): ${RESTORE}`);
}

const RESTORE = `restore it from a backup, or move it aside and register the run folders in a new one with 'sqs-workbench runs import <folder>'`;

function diskFull(file: string): boolean {
  try {
    return statfsSync(dirname(file)).bavail === 0;
  } catch {
    return false;
  }
}

const isFolder = (file: string): boolean => {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
};

/** `e` as the workspace error it means when SQLite refused `file`; any other error unchanged. */
export function databaseProblem(e: unknown, file: string): unknown {
  if (!(e instanceof Database.SqliteError)) return e;
  const code = e.code;
  if (code === 'SQLITE_FULL' || (code.startsWith('SQLITE_IOERR') && diskFull(file))) return new WorkspaceAccessError(`cannot write ${file}: no space left on the device`, 'ENOSPC');
  if (code.startsWith('SQLITE_READONLY')) return new WorkspaceAccessError(`cannot write ${file}: it is read-only (${e.message})`, 'EROFS');
  if (code === 'SQLITE_NOTADB') return notADatabase(file, e.message);
  if (code === 'SQLITE_FORMAT') return damaged(file, e.message);
  if (code.startsWith('SQLITE_CORRUPT')) return damaged(file, e.message);
  if (code.startsWith('SQLITE_CANTOPEN')) return new WorkspaceError(isFolder(file) ? `${file} is a folder, not a database: move it aside and the workspace starts a new one` : `${file} cannot be opened (${e.message})`);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new WorkspaceAccessError(`${file} is locked by another process for longer than the app waits (${e.message}); try again`, 'EBUSY');
  if (code.startsWith('SQLITE_IOERR')) return new WorkspaceAccessError(`cannot read or write ${file}: input/output error (${code})`, 'EIO');
  return e;
}

/** A JSON column of a row (a run's config, an analysis summary); text that does not parse is a damaged database. */
export function storedJson<T>(text: string, what: string, file: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw damaged(file, `${what} is not valid JSON (${(e as Error).message})`);
  }
}
