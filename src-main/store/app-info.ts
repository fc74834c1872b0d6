// Which commit of the app recorded a run, in a git checkout (the version is in common/version.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROOT } from '../engine/util/app-files';

let commit: string | null | undefined;

/** The commit checked out at the app's root, read from .git without running git; null elsewhere. */
export function appGitCommit(): string | null {
  if (commit !== undefined) return commit;
  commit = null;
  try {
    const git = join(APP_ROOT, '.git');
    if (!existsSync(git)) return commit;
    const head = readFileSync(join(git, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return (commit = /^[0-9a-f]{40}$/.test(head) ? head : null);
    const ref = head.slice(5);
    if (existsSync(join(git, ref))) return (commit = readFileSync(join(git, ref), 'utf8').trim());
    const packed = existsSync(join(git, 'packed-refs')) ? readFileSync(join(git, 'packed-refs'), 'utf8') : '';
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    commit = line ? line.split(' ')[0] : null;
  } catch {
    commit = null;
  }
  return commit;
}
