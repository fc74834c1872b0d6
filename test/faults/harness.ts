// What every fault-injection case asserts: the command ends with its documented exit code and one
// line on stderr naming the problem (no stack trace), and nothing it was not asked to change has
// changed: the files of the workspace or folder by content, and its database by its rows.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import type { CliResult } from '../helpers/cli';

/** Every file under `dir` by content hash (the database's own files by their rows instead). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (/^workspace\.db(-wal|-shm)?$/.test(rel)) continue;
      else out[rel] = st.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : `(${st.isSymbolicLink() ? 'link' : 'special'})`;
    }
  };
  if (existsSync(dir)) walk(dir);
  const db = join(dir, 'workspace.db');
  if (existsSync(db) && lstatSync(db).isFile()) out['workspace.db (rows)'] = databaseRows(db);
  return out;
}

/** Every row of every table, read without writing; the file's hash when it is not a database. */
function databaseRows(file: string): string {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
    return JSON.stringify(tables.map((t) => [t, (db!.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort()]));
  } catch {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } finally {
    db?.close();
  }
}

/** The command failed as documented: this exit code, one line on stderr matching `message`, no stack. */
export function expectOneLine(r: CliResult, code: number, message: RegExp): void {
  const context = `exit ${r.code}, stderr: ${r.stderr}`;
  expect(r.code, context).toBe(code);
  expect(r.stderr.trimEnd().split('\n'), context).toHaveLength(1);
  expect(r.stderr, context).toMatch(message);
  expect(r.stderr, context).not.toMatch(/^\s+at |Error: .*\n\s+at /m);
}
