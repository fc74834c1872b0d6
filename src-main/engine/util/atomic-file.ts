// The one way this app replaces a file or a folder so that a reader, or a crash at any moment, sees
// the old version or the new one and never half of either: write aside, flush to disk, rename over,
// then flush the folder so that the rename itself survives a power cut.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Replaces `path` with `content`; a failure (a full disk) leaves the old file and no temporary one, and names `path`. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const tmp = `${path}.tmp-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    throw writeError(e, path);
  }
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkQuietly(tmp);
    throw writeError(e, path);
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkQuietly(tmp);
    throw writeError(e, path);
  }
  fsyncDir(dirname(path));
}

/**
 * Puts a fully written folder `staging` in place of `target` (which may exist: it is replaced).
 * Its files must already be flushed (write them with writeFileAtomic or fsync them).
 */
export function replaceDirAtomic(staging: string, target: string): void {
  fsyncDir(staging);
  const old = `${target}.old-${process.pid}`;
  let moved = false;
  try {
    renameSync(target, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  try {
    renameSync(staging, target);
  } catch (e) {
    if (moved) renameSync(old, target);
    throw e;
  }
  fsyncDir(dirname(target));
  if (moved) rmSync(old, { recursive: true, force: true });
}

const WHY: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'something else appeared there meanwhile',
};

/** Why the file system refused, in words ("no space left on the device"); its own message otherwise. */
export function fileProblem(e: unknown): string {
  if (e instanceof WriteError) return e.reason;
  const err = e as NodeJS.ErrnoException;
  return WHY[err?.code ?? ''] ?? (err instanceof Error ? err.message : String(e));
}

/**
 * What could not be written, and why, in one line; `code` stays the system's (ENOSPC, EACCES…)
 * so that a full disk reads as the machine's state, not as a bug.
 */
export class WriteError extends Error {
  override name = 'WriteError';
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code: string | undefined,
  ) {
    super(`cannot write ${path}: ${reason}`);
  }
}

/** A WriteError saying that `path` could not be written, and why (`e` may be a WriteError about a file inside it). */
export function writeError(e: unknown, path: string): WriteError {
  return new WriteError(path, fileProblem(e), (e as NodeJS.ErrnoException)?.code);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Makes renames in `dir` durable; not possible on every platform (Windows), hence best effort. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}
