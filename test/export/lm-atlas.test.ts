// A language model's atlas written from hand-made readings through a reader of the lm.* shapes:
// per layer and direction the spectrum, truncation curve and each top feature's tokens and contexts,
// in every format; the HTML page self-contained; PDFs rasterised into test-results/lm-atlas/ to be
// looked at; a bad layer, a repeated token or a tokenizer without the default words refused in words.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LmDirection } from '../../src-main/engine/analysis/lm-atlas-types';
import { readLmAtlas, writeLmAtlas, type LmAtlasReader } from '../../src-main/export/lm-atlas';
import { tempDir } from '../helpers/cli';
import { PROVENANCE as ATLAS_PROVENANCE } from './fixtures';
import { LM_INFO, lmFeature, lmSpectrum, token } from './lm-fixtures';
import { CHECK_PDF, pdfInfo, poppler, requirePoppler } from './poppler';
import { provenanceOf, xmlProblems } from './xml';

const { layer: _layer, ...PROVENANCE } = ATLAS_PROVENANCE;
const PICTURES = resolve(import.meta.dirname, '../../test-results/lm-atlas');

/** A two-layer model whose tokenizer knows `known`; every direction reads the fixture's numbers. */
function reader(known = ['dog', 'he-she', 'the']): LmAtlasReader & { asked: string[] } {
  const asked: string[] = [];
  const direction = (spec: string): LmDirection => {
    if (!known.includes(spec)) throw new Error(`'${spec}' is not one token of this tokenizer`);
    return spec.includes('-') ? { kind: 'difference', spec, label: spec, plus: token(9), minus: token(8) } : { kind: 'token', spec, label: spec, token: token(spec === 'dog' ? 0 : 3) };
  };
  return {
    asked,
    info: async () => LM_INFO,
    spectrum: async (layer, spec) => (asked.push(`spectrum ${layer} ${spec}`), lmSpectrum(layer, direction(spec))),
    feature: async (layer, spec, rank) => (asked.push(`feature ${layer} ${spec} ${rank}`), { ...lmFeature(rank), layer, direction: direction(spec) }),
  };
}

let root = '';
beforeAll(() => {
  root = tempDir('sqs-lm-atlas-');
  mkdirSync(PICTURES, { recursive: true });
});

describe('the language-model atlas', () => {
  it.each(['svg', 'png', 'pdf'] as const)('%s: per layer and token the spectrum, the truncation curve, and each top feature’s tokens and contexts', async (format) => {
    const out = join(root, format);
    const r = await writeLmAtlas(reader(), { outDir: out, format, tokens: ['dog', 'he-she'], layers: [1], count: 2, dpi: 72, provenance: PROVENANCE });
    const names = (spec: string) => ['spectrum', 'truncation', 'rank-1-tokens', 'rank-1-contexts', 'rank-2-tokens', 'rank-2-contexts'].map((f) => `layer-1-${spec}-${f}.${format}`);
    expect(readdirSync(out).sort()).toEqual([...names('dog'), ...names('he-she')].sort());
    expect(r.files).toHaveLength(12);
    if (format === 'svg') {
      const svg = readFileSync(join(out, 'layer-1-he-she-rank-2-tokens.svg'), 'utf8');
      expect(xmlProblems(svg)).toEqual([]);
      expect(provenanceOf(svg)).toMatchObject({ ...PROVENANCE, figure: 'lm-tokens', layer: 1, direction: 'he-she', rank: 2 });
      expect(svg).toContain('‘ he’ − ‘ she’, layer 1: eigenvector #2');
    }
    if (format === 'pdf' && CHECK_PDF) {
      requirePoppler();
      expect(JSON.parse(pdfInfo(join(out, 'layer-1-dog-spectrum.pdf')).Provenance)).toMatchObject({ figure: 'lm-spectrum', layer: 1, direction: 'dog', run_id: '7' });
      for (const f of ['spectrum', 'truncation', 'rank-1-tokens', 'rank-1-contexts']) poppler('pdftoppm', ['-png', '-r', '100', '-singlefile', join(out, `layer-1-dog-${f}.pdf`), join(PICTURES, `atlas-pdf-${f}`)]);
      expect(readdirSync(PICTURES).filter((n) => n.startsWith('atlas-pdf-'))).toHaveLength(4);
    }
  });

  it('html: one self-contained page, a button and a section per layer and token, every figure inline', async () => {
    const out = join(root, 'html');
    await writeLmAtlas(reader(), { outDir: out, format: 'html', tokens: ['dog'], count: 3, provenance: PROVENANCE });
    expect(readdirSync(out)).toEqual(['atlas.html']);
    const html = readFileSync(join(out, 'atlas.html'), 'utf8');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain('<title>Feature atlas: story-sqs (run 7)</title>');
    expect([...html.matchAll(/<section class="reading" id="([^"]+)"/g)].map((m) => m[1])).toEqual(['layer-0-dog', 'layer-1-dog']);
    expect([...html.matchAll(/data-show="([^"]+)"/g)].map((m) => m[1])).toEqual(['all', 'layer-0-dog', 'layer-1-dog']);
    expect(html.match(/<svg /g)).toHaveLength(2 * (2 + 2 * 3));
    expect(html).toContain('first order (gated MLP)');
    expect(JSON.parse(/<script type="application\/json" id="provenance">(.*?)<\/script>/.exec(html)![1])).toMatchObject(PROVENANCE);
  });

  it('reads the default words the tokenizer has, and every layer', async () => {
    const r = reader(['the', 'dog']);
    const data = await readLmAtlas(r, { format: 'svg', count: 1 });
    expect(data.sections.map((s) => `${s.layer} ${s.spectrum.direction.spec}`)).toEqual(['0 the', '0 dog', '1 the', '1 dog']);
    expect(r.asked.filter((a) => a.startsWith('feature'))).toEqual(['feature 0 the 1', 'feature 0 dog 1', 'feature 1 the 1', 'feature 1 dog 1']);
  });

  it('refuses an unknown or repeated layer, a repeated token, an unknown token, a tokenizer without any default word, an unreadable model', async () => {
    const out = join(root, 'refused');
    const write = (o: object, r = reader()) => writeLmAtlas(r, { outDir: out, format: 'svg', provenance: PROVENANCE, ...o });
    await expect(write({ layers: [2] })).rejects.toThrow('unknown layer 2: this model has layers 0 to 1');
    await expect(write({ layers: [1, 1] })).rejects.toThrow('layer list 1,1 names a layer twice');
    await expect(write({ tokens: ['dog', 'dog'] })).rejects.toThrow('token list dog,dog names a token twice');
    await expect(write({ tokens: ['zebra'] })).rejects.toThrow("'zebra' is not one token of this tokenizer");
    await expect(write({}, reader([]))).rejects.toThrow('none of the default tokens (the, he, she, happy, dog) is one token of this tokenizer; name some with --tokens');
    await expect(write({}, { ...reader(), info: async () => ({ ...LM_INFO, unreadable: 'a ReLU MLP has no gate product' }) })).rejects.toThrow('run 7 cannot be read: a ReLU MLP has no gate product');
    expect(readdirSync(root).filter((n) => n === 'refused' || n.includes('partial'))).toEqual([]);
  });
});
