// Exported files are listed relative to the folder they were written into, on a server with
// either path separator; a file outside the folder keeps its whole path.
import { describe, expect, it } from 'vitest';
import { relativeTo } from '../../../src-renderer/src/lib/atlas/paths';

describe('relativeTo', () => {
  it('names a file inside the folder by its path from there', () => {
    expect(relativeTo('/ws/exports/run-3-svg-20261130-174512', '/ws/exports/run-3-svg-20261130-174512/class-0-positive.svg')).toBe('class-0-positive.svg');
    expect(relativeTo('/ws/exports/run-3/', '/ws/exports/run-3/sub/a.svg')).toBe('sub/a.svg');
    expect(relativeTo('C:\\ws\\exports\\run-3', 'C:\\ws\\exports\\run-3\\atlas.html')).toBe('atlas.html');
  });

  it('keeps a file outside the folder, or one whose folder only shares a prefix, whole', () => {
    expect(relativeTo('/ws/exports/run-3', '/ws/exports/run-30/atlas.html')).toBe('/ws/exports/run-30/atlas.html');
    expect(relativeTo('/ws/exports/run-3', '/elsewhere/atlas.html')).toBe('/elsewhere/atlas.html');
    expect(relativeTo('/ws/exports/run-3', '/ws/exports/run-3')).toBe('/ws/exports/run-3');
    expect(relativeTo('', '/a/b')).toBe('/a/b');
  });
});
