// The one way this app replaces a file or a folder so that a reader, or a crash at any moment, sees
// the old version or the new one and never half of either: write aside, flush to disk, rename over,
// then flush the folder so that the rename itself survives a power cut.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkQuietly(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkQuietly(tmp);
    throw e;
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
