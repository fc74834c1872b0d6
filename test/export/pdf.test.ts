// Figures as vector PDF: page size = the figure's in points, text extractable (λ, ±, −, ᵀ in an
// embedded font subset), the provenance in the document information, the same bytes every time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eigenvectorsFigure, spectrumChart, truncationFigure } from '../../src-main/common/figures';
import { toPdf } from '../../src-main/export/pdf';
import { renderFigure } from '../../src-main/export/render';
import { tempDir } from '../helpers/cli';
import { PROVENANCE, syntheticAtlas } from './fixtures';
import { CHECK_PDF, pdfInfo, poppler, requirePoppler } from './poppler';

const atlas = syntheticAtlas(3, 4);

describe('PDF bytes', () => {
  it('is a plain PDF 1.3 with no creation date, and the same figure gives the same bytes', async () => {
    const fig = truncationFigure(atlas, {}, PROVENANCE);
    const a = await toPdf(fig);
    const b = await toPdf(fig);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const text = Buffer.from(a).toString('latin1');
    expect(text.startsWith('%PDF-1.3')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).not.toContain('/CreationDate');
    expect(text).not.toMatch(/\/(JavaScript|AcroForm|Annots|OpenAction)\b/);
    const r = await renderFigure(fig, 'pdf');
    expect(r.mime).toBe('application/pdf');
    expect(r.extension).toBe('pdf');
  });
});

describe.skipIf(!CHECK_PDF)('PDF read back by poppler', () => {
  let dir = '';
  beforeAll(() => {
    requirePoppler();
    dir = tempDir('sqs-pdf-');
  });

  async function write(name: string, bytes: Promise<Uint8Array>): Promise<string> {
    const file = join(dir, name);
    writeFileSync(file, await bytes);
    return file;
  }

  it('page size is the figure size in points, text is text, provenance is in the information', async () => {
    const fig = spectrumChart({ values: [3, -2, 1], title: 'spectrum −λ ± Eᵀv', provenance: PROVENANCE });
    const file = await write('spectrum.pdf', toPdf(fig));
    const info = pdfInfo(file);
    expect(info['Page size']).toBe(`${fig.width * 0.75} x ${fig.height * 0.75} pts`);
    expect(info.Pages).toBe('1');
    expect(info.Title).toBe('spectrum −λ ± Eᵀv');
    expect(info.Creator).toBe('SQS Workbench 9.9.9');
    expect(info.Producer).toBe('SQS Workbench 9.9.9');
    expect(info.Subject).toContain('run 7, sqs gate');
    expect(info.Keywords).toBe('sqs-workbench, run:7, gate:sqs');
    expect(JSON.parse(info.Provenance)).toEqual(PROVENANCE);
    expect(info.CreationDate).toBeUndefined();
    const text = poppler('pdftotext', [file, '-']);
    expect(text).toContain('spectrum −λ ± Eᵀv');
    expect(text).toContain('rank (by |λ|)');
    expect(text).toContain('2 positive, 1 negative');
    const fonts = poppler('pdffonts', [file]);
    expect(fonts).toMatch(/\+DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it('an eigenvector grid: every label extracts, and the page draws (pdftoppm)', async () => {
    const fig = eigenvectorsFigure(atlas, { class: 1, sign: 'positive', count: 4 }, PROVENANCE);
    const file = await write('grid.pdf', toPdf(fig));
    const info = pdfInfo(file);
    expect(info['Page size']).toBe(`${fig.width * 0.75} x ${fig.height * 0.75} pts`);
    expect(JSON.parse(info.Provenance)).toMatchObject({ class: 1, figure: 'eigenvectors', sign: 'positive' });
    const text = poppler('pdftotext', [file, '-']);
    expect(text.replace(/\s+/g, ' ')).toContain(fig.title);
    expect(text.match(/λ = /g)).toHaveLength(4);
    expect(text).toContain('−max |Eᵀv|');
    expect(text).toContain('range ±');
    poppler('pdftoppm', ['-r', '24', '-png', file, join(dir, 'grid')]);
  });

  it('several figures make one page each', async () => {
    const figs = [truncationFigure(atlas, {}, PROVENANCE), eigenvectorsFigure(atlas, { class: 0, sign: 'negative', count: 2 }, PROVENANCE)];
    const file = await write('two.pdf', toPdf(figs));
    expect(pdfInfo(file).Pages).toBe('2');
    const pages = poppler('pdfinfo', ['-f', '1', '-l', '2', file]);
    expect(pages).toMatch(new RegExp(`Page\\s+1 size:\\s+${figs[0].width * 0.75} x ${figs[0].height * 0.75} pts`));
    expect(pages).toMatch(new RegExp(`Page\\s+2 size:\\s+${figs[1].width * 0.75} x ${figs[1].height * 0.75} pts`));
  });
});
