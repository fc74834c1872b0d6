// Small file systems for the fault tests: a tmpfs of a few hundred kilobytes to fill up, remounted
// read-only to make a read-only workspace. Mounting needs root (CI runs as root); where it is not
// permitted these tests are skipped with a warning, unless REQUIRE_ROOT=1 makes them fail instead.
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, ftruncateSync, mkdtempSync, openSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REQUIRE_ROOT = process.env.REQUIRE_ROOT === '1';

function mountPermitted(): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'sqs-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(dir);
  }
}

export const CAN_MOUNT = mountPermitted();
/** Run the suite: mounting works here, or REQUIRE_ROOT=1 asks for it to fail where it does not. */
export const MOUNT_TESTS = CAN_MOUNT || REQUIRE_ROOT;
if (!MOUNT_TESTS) console.warn('cannot mount a tmpfs here (it needs root): the full-disk and read-only workspace tests are skipped');

export interface Mounted {
  dir: string;
  /** remounts it read-only */
  readOnly(): void;
  /** unmounts it and removes the mount point */
  release(): void;
}

/** A fresh tmpfs of `kb` kilobytes. */
export function tmpfs(kb: number): Mounted {
  const dir = mkdtempSync(join(tmpdir(), 'sqs-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k,mode=0755`, 'tmpfs', dir]);
  return {
    dir,
    readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
    release: () => {
      // lazily: a file a failed case left open must not hide why it failed
      execFileSync('umount', ['--lazy', dir]);
      rmdirSync(dir);
    },
  };
}

/** Fills the file system of `file` to the last byte, then frees `freeKb` kilobytes of it again. */
export function fill(file: string, freeKb: number): void {
  const fd = openSync(file, 'w');
  try {
    for (const chunk of [Buffer.alloc(1 << 16), Buffer.alloc(4096), Buffer.alloc(512)]) {
      for (;;) {
        try {
          if (writeSync(fd, chunk) < chunk.length) break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
          break;
        }
      }
    }
    ftruncateSync(fd, Math.max(0, fstatSync(fd).size - freeKb * 1024));
  } finally {
    closeSync(fd);
  }
}
