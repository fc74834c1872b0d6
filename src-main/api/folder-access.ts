// Which folders outside its workspace the api reads on a caller's say-so. IPC and HTTP serve a page,
// and a page must not choose the files the app reads: a folder comes from the host itself (the
// desktop app's folder dialog, in the main process), from under a root the person who started the
// server allowed (`serve --data-root DIR`, checked after links are resolved), or, on the command
// line, from the person who typed it. Refusals read the same whether the folder exists or not.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { ApiError, DATA_ROOT_HINT, type FolderPurpose } from '../common/contract';

export type { FolderPurpose };

/** The host's own folder dialog: the folder the person chose, or null when they cancelled. */
export type ChooseFolder = (purpose: FolderPurpose) => Promise<string | null>;

/** 'any': the command line, whose person typed the path; else the roots folders may lie under (none by default). */
export type DataRoots = 'any' | readonly string[];

/** How many entries of a folder are looked at for links that lead out of the roots. */
const MAX_ENTRIES = 10_000;

const inside = (root: string, p: string): boolean => {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[A-Za-z]:/.test(r));
};

/** A root as given (resolved) and as its real path, for a lexical check and one after links are resolved. */
interface Root {
  given: string;
  real: string;
}

/** Each root an existing folder, as given and as its real path; refuses one that is not (at start-up). */
function checkedRoots(roots: readonly string[]): Root[] {
  return roots.map((r) => {
    const given = resolve(r);
    let real: string;
    try {
      real = realpathSync(given);
    } catch {
      throw new ApiError('bad_request', `--data-root ${given}: no such folder`);
    }
    if (!statSync(real).isDirectory()) throw new ApiError('bad_request', `--data-root ${given}: not a folder`);
    return { given, real };
  });
}

export interface FolderAccess {
  /**
   * The real path of the folder `path` names, after checking that a caller may have it read;
   * `instead` says what to do instead on a host with a folder dialog and no roots (the desktop app).
   */
  readable(path: string, field: string, instead: string): string;
  /** what system.host reports: 'any', or the roots as given */
  roots: DataRoots;
}

export function folderAccess(roots: DataRoots, chooser: boolean): FolderAccess {
  const checked = roots === 'any' ? [] : checkedRoots(roots);
  /** a path as written lies under a root as given or as resolved; a real path under a root's real path */
  const named = (dir: string) => checked.some((r) => inside(r.given, dir) || inside(r.real, dir));
  const resolved = (dir: string) => checked.some((r) => inside(r.real, dir));
  const refuse = (field: string, dir: string, instead: string): never => {
    if (chooser && checked.length === 0) throw new ApiError('bad_request', `${field}: ${dir}: the app reads no folder that a page names; ${instead}`);
    const allowed = checked.length === 0 ? 'none was allowed' : `only folders under ${checked.map((r) => r.given).join(', ')}`;
    throw new ApiError('bad_request', `${field}: ${dir} is outside the folders this server may read (${allowed}); ${DATA_ROOT_HINT}`);
  };
  return {
    roots: roots === 'any' ? 'any' : checked.map((r) => r.given),
    readable(path, field, instead) {
      const dir = resolve(path);
      if (roots === 'any') return dir;
      // the lexical check first: outside every root, the answer is the same whether the folder exists or not
      if (!named(dir)) return refuse(field, dir, instead);
      let target: string;
      try {
        target = realpathSync(dir);
      } catch {
        throw new ApiError('bad_request', `${field}: ${dir} is not a folder`);
      }
      if (!resolved(target)) return refuse(field, dir, instead);
      if (!statSync(target).isDirectory()) throw new ApiError('bad_request', `${field}: ${dir} is not a folder`);
      checkLinks(target, field, dir, resolved);
      return target;
    },
  };
}

/**
 * Refuses a folder holding a link, at any depth, that leads out of the roots: what is copied or
 * read from it must stay inside them. Links to folders inside are followed (loops end at the cap).
 */
function checkLinks(dir: string, field: string, shown: string, allows: (p: string) => boolean): void {
  let seen = 0;
  const walk = (d: string, named: string): void => {
    for (const name of readdirSync(d)) {
      if (++seen > MAX_ENTRIES) throw new ApiError('bad_request', `${field}: ${shown} holds more than ${MAX_ENTRIES} entries; a dataset or run folder holds a few`);
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p, join(named, name));
      if (!st.isSymbolicLink()) continue;
      let target: string;
      try {
        target = realpathSync(p);
      } catch {
        continue; // a link to nothing: its reader names it
      }
      if (!allows(target)) throw new ApiError('bad_request', `${field}: ${join(named, name)} is a link that leads outside the folders this server may read`);
      if (statSync(target).isDirectory()) walk(target, join(named, name));
    }
  };
  walk(dir, shown);
}
