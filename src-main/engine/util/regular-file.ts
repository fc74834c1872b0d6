// Reading a file that someone else may have put there: only a regular file (after following
// links), never a FIFO that blocks forever or a device that never ends, and never more bytes than
// the reader allows. Every refusal is one message that starts with the path.
import { closeSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** A file that cannot be read as a regular file of acceptable size; the message names it. */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
  constructor(
    readonly path: string,
    /** what is wrong, without the path: "missing", "a symbolic link loop", … */
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** The largest file Node reads into one buffer (fs's kIoMaxLength, 2 GiB − 1). */
export const MAX_READ_BYTES = 2 ** 31 - 1;

/** "1.5 MiB", for messages about sizes. */
export function byteSize(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 100 ? 1 : 0)} ${units[u]}`;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

/** Whether anything is at `path`, a broken or looping link included (existsSync says no to those). */
export function entryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The regular file at `path` (links followed): its stats, or an UnreadableFileError saying why not. */
export function statRegularFile(path: string): Stats {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UnreadableFileError(path, 'a symbolic link loop');
    if (code === 'ENOENT') throw new UnreadableFileError(path, entryExists(path) ? 'a symbolic link to a missing file' : 'missing');
    if (code === 'ENOTDIR') throw new UnreadableFileError(path, 'missing (a folder on its path is a file)');
    throw new UnreadableFileError(path, `cannot be read (${code ?? (e as Error).message})`);
  }
  if (!st.isFile()) throw new UnreadableFileError(path, `${kindOf(st)}, not a regular file`);
  return st;
}

/** Reads `length` bytes at `position` of an open file; fewer when the file ends first. */
function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

function withFile<T>(path: string, f: (fd: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UnreadableFileError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return f(fd);
  } catch (e) {
    if (e instanceof UnreadableFileError) throw e;
    throw new UnreadableFileError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The whole regular file at `path`, refused when it is larger than `maxBytes` (`what` names the
 * kind of file in that message: "a run's config.json").
 */
export function readRegularFile(path: string, maxBytes: number, what = 'this file'): Buffer {
  const size = statRegularFile(path).size;
  const cap = Math.min(maxBytes, MAX_READ_BYTES);
  if (size > cap) throw new UnreadableFileError(path, `${byteSize(size)}, more than the ${byteSize(cap)} ${what} may have`);
  // read no more than stat promised, so a file that grows meanwhile cannot exceed the cap
  return withFile(path, (fd) => readAt(fd, size, 0));
}

/** Bytes [position, position + length) of the regular file at `path` (fewer at its end). */
export function readRegularFileRange(path: string, position: number, length: number): Buffer {
  statRegularFile(path);
  return withFile(path, (fd) => readAt(fd, length, position));
}
