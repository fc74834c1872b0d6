// Figures for a paper, from a real (tiny) run through the command line: a column (3.25 in) and a
// page (6.75 in) wide, vector PDF with the font embedded, true minus signs and no e-notation in
// the text, the title left out on request. Each page is rasterised with pdftoppm into
// test-results/figures/ to be looked at (CI keeps them).
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { runTraining } from '../../src-main/engine/train/run';
import { exportCommand } from '../../src-main/hosts/cli/export-command';
import { UsageError } from '../../src-main/hosts/cli/usage';
import { readChunks } from '../../src-main/export/png';
import { tempDir } from '../helpers/cli';
import { CHECK_PDF, pdfInfo, poppler, requirePoppler } from './poppler';

const PICTURES = resolve(import.meta.dirname, '../../test-results/figures');
const POINTS = { column: 3.25 * 72, page: 6.75 * 72 };
const FIGURES = ['spectrum-4', 'class-4-positive', 'truncation'];

let root = '';
let run = '';

beforeAll(async () => {
  root = tempDir('sqs-paper-');
  run = (await runTraining({ ...DEFAULT_CONFIG, d: 16, h: 16, batch: 1024, epochs: 1 }, join(root, 'run'))).run_dir;
  mkdirSync(PICTURES, { recursive: true });
});

async function cli(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await exportCommand(argv), stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('export atlas --size', () => {
  afterAll(() => vi.restoreAllMocks());

  it('refuses a size it does not know, naming the ones it does', async () => {
    await expect(cli(['atlas', run, '--format', 'pdf', '--out', join(root, 'bad'), '--size', 'poster'])).rejects.toThrow(UsageError);
    await expect(cli(['atlas', run, '--format', 'pdf', '--out', join(root, 'bad'), '--size', 'poster'])).rejects.toThrow(/--size: unknown size 'poster'; allowed: screen, column, page/);
  });

  it('png at a column wide: 3.25 in at the DPI asked for', async () => {
    const out = join(root, 'png-column');
    expect((await cli(['atlas', run, '--format', 'png', '--out', out, '--classes', '4', '--size', 'column', '--dpi', '200'])).code).toBe(0);
    const png = readFileSync(join(out, 'spectrum-4.png'));
    const ihdr = readChunks(png).find((c) => c.type === 'IHDR')!;
    expect(new DataView(ihdr.data.buffer, ihdr.data.byteOffset).getUint32(0)).toBe(3.25 * 200);
  });
});

describe.skipIf(!CHECK_PDF)('figures for a paper, as PDF pages', () => {
  beforeAll(() => requirePoppler());

  it.each(['column', 'page'] as const)('%s: the page is the preset wide, text has true minus signs and no e-notation, and it rasterises', async (size) => {
    const out = join(root, `pdf-${size}`);
    const r = await cli(['atlas', run, '--format', 'pdf', '--out', out, '--classes', '4', '--size', size]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const name of FIGURES) {
      const file = join(out, `${name}.pdf`);
      const [w] = pdfInfo(file)['Page size'].split(' x ').map(Number);
      expect(w, name).toBe(POINTS[size]);
      const fonts = poppler('pdffonts', [file]);
      expect(fonts, name).toMatch(/\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
      const text = poppler('pdftotext', [file, '-']);
      expect(text, name).not.toMatch(/\de[-+]\d|\d-\d/); // no 1e-3, no hyphen for a minus
      if (name !== 'truncation') expect(text, name).toContain('−'); // λ < 0 in the spectrum; −max |Eᵀv| on the colour bar
      poppler('pdftoppm', ['-png', '-r', '150', '-singlefile', file, join(PICTURES, `${size}-${name}`)]);
      const png = readFileSync(join(PICTURES, `${size}-${name}.png`));
      const ihdr = readChunks(png).find((c) => c.type === 'IHDR')!;
      expect(new DataView(ihdr.data.buffer, ihdr.data.byteOffset).getUint32(0), name).toBe(Math.round((POINTS[size] / 72) * 150));
    }
    const spectrum = poppler('pdftotext', [join(out, 'spectrum-4.pdf'), '-']);
    expect(spectrum).toContain('spectrum of Q for class 4');
    expect(spectrum).toContain('eigenvalue λ');
    expect(spectrum).toContain('rank (by |λ|)');
  });

  it('--no-title: the figures carry no title, the PDF still names itself', async () => {
    const out = join(root, 'pdf-untitled');
    expect((await cli(['atlas', run, '--format', 'pdf', '--out', out, '--classes', '4', '--size', 'column', '--no-title'])).code).toBe(0);
    const file = join(out, 'truncation.pdf');
    const text = poppler('pdftotext', [file, '-']);
    expect(text).not.toContain('surrogate accuracy keeping');
    expect(text).toContain('components kept per class (k)');
    expect(pdfInfo(file).Title).toBe('surrogate accuracy keeping the top k components per class');
    poppler('pdftoppm', ['-png', '-r', '150', '-singlefile', file, join(PICTURES, 'column-truncation-untitled')]);
  });
});
