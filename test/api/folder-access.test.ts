// Which folders a caller may name: under a root as given or as its links resolve, never out of it
// through a link, and in the same words whether a folder outside exists or not.
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderAccess } from '../../src-main/api/folder-access';
import { tempDir } from '../helpers/cli';

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('not refused');
};

describe('folder access', () => {
  const root = tempDir('sqs-folder-access-');
  const real = join(root, 'real');
  mkdirSync(join(real, 'data', 'deep'), { recursive: true });
  mkdirSync(join(real, 'clean', 'inner'), { recursive: true });
  symlinkSync(real, join(root, 'link-to-real'));
  mkdirSync(join(root, 'elsewhere'));
  symlinkSync(join(root, 'elsewhere'), join(real, 'data', 'deep', 'out'));

  it('takes a root given through a link, by either of its names, and answers the real folder', () => {
    const access = folderAccess([join(root, 'link-to-real')], false);
    expect(access.roots).toEqual([join(root, 'link-to-real')]);
    expect(access.readable(join(root, 'link-to-real', 'clean'), 'path', '')).toBe(join(real, 'clean'));
    expect(access.readable(join(real, 'clean', 'inner'), 'path', '')).toBe(join(real, 'clean', 'inner'));
  });

  it('refuses a folder holding a link that leads out, at any depth', () => {
    const access = folderAccess([real], false);
    expect(refusal(() => access.readable(join(real, 'data'), 'path', ''))).toBe(`path: ${join(real, 'data', 'deep', 'out')} is a link that leads outside the folders this server may read`);
    expect(refusal(() => access.readable(join(real, 'data', 'deep', 'out'), 'path', ''))).toMatch(/is outside the folders this server may read \(only folders under .*real\)/);
  });

  it('says the same of a folder outside whether it exists or not', () => {
    const access = folderAccess([real], false);
    const words = (p: string) => refusal(() => access.readable(p, 'path', '')).replace(p, '<p>');
    expect(words(join(root, 'elsewhere'))).toBe(words(join(root, 'nowhere')));
    expect(words(`${real}-twin`)).toBe(words(join(root, 'nowhere')));
  });

  it('reads nothing by default, and anything for the command line', () => {
    expect(refusal(() => folderAccess([], false).readable(real, 'path', ''))).toMatch(/\(none was allowed\); to allow a folder, start the server with sqs-workbench serve --data-root DIR$/);
    expect(refusal(() => folderAccess([], true).readable(real, 'path', 'use the dialog'))).toBe(`path: ${real}: the app reads no folder that a page names; use the dialog`);
    expect(folderAccess('any', false).readable(join(root, 'nowhere'), 'path', '')).toBe(join(root, 'nowhere'));
  });

  it('refuses a root that is not a folder when it is set up', () => {
    expect(refusal(() => folderAccess([join(root, 'nowhere')], false))).toBe(`--data-root ${join(root, 'nowhere')}: no such folder`);
  });
});
