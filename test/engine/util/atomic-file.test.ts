// Replacing files and folders: a reader sees the old version or the new one, never a mix, and a
// failed replacement leaves the old one and no stray temporary file.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceDirAtomic, writeFileAtomic } from '../../../src-main/engine/util/atomic-file';

const temp = () => mkdtempSync(join(tmpdir(), 'sqs-atomic-'));

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an old one, leaving nothing beside it', () => {
    const dir = temp();
    const file = join(dir, 'a.json');
    writeFileAtomic(file, '{"v":1}');
    writeFileAtomic(file, new Uint8Array([123, 125]));
    expect(readFileSync(file, 'utf8')).toBe('{}');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('keeps the old content when the new one cannot be put in place', () => {
    const dir = temp();
    const target = join(dir, 'taken');
    mkdirSync(target); // a folder where the file should go: the rename fails
    writeFileSync(join(target, 'inside'), 'old');
    expect(() => writeFileAtomic(target, 'new')).toThrow();
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});

describe('replaceDirAtomic', () => {
  it('puts a staged folder in place of an existing one, and of none', () => {
    const dir = temp();
    const target = join(dir, 'analysis');
    for (const v of ['1', '2']) {
      const staging = join(dir, `.staging-${v}`);
      mkdirSync(staging);
      writeFileSync(join(staging, 'summary.json'), v);
      replaceDirAtomic(staging, target);
      expect(readFileSync(join(target, 'summary.json'), 'utf8')).toBe(v);
      expect(readdirSync(dir)).toEqual(['analysis']);
    }
  });
});
