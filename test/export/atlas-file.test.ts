// The atlas as one download: the HTML page as it is, or the figures in a zip that Info-ZIP's
// `unzip` (an independent reader) lists, tests (every CRC-32) and extracts byte for byte, inside
// one folder named like the zip.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atlasFile } from '../../src-main/export/atlas-file';

const UNZIP = '/usr/bin/unzip';

/** bytes that do not compress, as PNG and PDF payloads are */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) out[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

describe('atlas as one file', () => {
  it('is the HTML page itself for the html format', () => {
    const page = '<!doctype html><title>atlas λ</title>';
    const f = atlasFile(new Map([['atlas.html', page]]), 'html', 'run-7');
    expect(f).toMatchObject({ filename: 'run-7-atlas.html', mime: 'text/html', files: ['run-7-atlas.html'] });
    expect(new TextDecoder().decode(f.bytes)).toBe(page);
  });

  it.skipIf(!existsSync(UNZIP))('is a zip of every figure in one folder, which unzip lists, tests and extracts exactly', () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg">${'<rect width="1" height="1"/>'.repeat(500)}<text>−0.5 λ</text></svg>`;
    const png = noise(70_000, 3);
    const files = new Map<string, Uint8Array | string>([
      ['class-0-positive.svg', svg],
      ['truncation.png', png],
      ['empty.pdf', new Uint8Array(0)],
    ]);
    for (const format of ['svg', 'png'] as const) {
      const f = atlasFile(files, format, 'run-12');
      expect(f.filename).toBe(`run-12-atlas-${format}.zip`);
      expect(f.mime).toBe('application/zip');
      const dir = mkdtempSync(join(tmpdir(), 'sqs-zip-'));
      const zip = join(dir, f.filename);
      writeFileSync(zip, f.bytes);
      const listed = execFileSync(UNZIP, ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
      expect(listed).toEqual(['class-0-positive.svg', 'truncation.png', 'empty.pdf'].map((n) => `run-12-atlas-${format}/${n}`));
      expect(f.files).toEqual(listed);
      expect(execFileSync(UNZIP, ['-t', zip], { encoding: 'utf8' })).toMatch(/No errors detected/);
      const extracted = (name: string) => execFileSync(UNZIP, ['-p', zip, `run-12-atlas-${format}/${name}`]);
      expect(extracted('class-0-positive.svg').toString('utf8')).toBe(svg);
      expect(Buffer.compare(extracted('truncation.png'), Buffer.from(png))).toBe(0);
      expect(extracted('empty.pdf').length).toBe(0);
      // SVG text is deflated in an SVG zip; the incompressible bytes are stored, not grown
      const verbose = execFileSync(UNZIP, ['-v', zip], { encoding: 'utf8' });
      const row = (name: string) => verbose.split('\n').find((l) => l.endsWith(name))!.trim().split(/\s+/);
      if (format === 'svg') expect(row('class-0-positive.svg')[1]).toBe('Defl:N');
      if (format === 'png') expect(row('truncation.png').slice(0, 3)).toEqual([String(png.length), 'Stored', String(png.length)]);
    }
  });
});
