// writeAtlas from atlas data: the files of each format, everything or nothing written, and clear
// errors for a bad format, an unknown class, a non-empty or unwritable output folder.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATLAS_EXPORT_FORMATS } from '../../src-main/common/formats';
import { ExportError, writeAtlas } from '../../src-main/export/atlas';
import { formatNumber as formatValue } from '../../src-main/common/number-format';
import { readChunks } from '../../src-main/export/png';
import { tempDir } from '../helpers/cli';
import { PROVENANCE, syntheticAtlas, syntheticDetail } from './fixtures';
import { CHECK_PDF, pdfInfo, requirePoppler } from './poppler';
import { provenanceOf, xmlProblems } from './xml';

const atlas = syntheticAtlas(3, 2);
let root = '';

beforeAll(() => {
  root = tempDir('sqs-write-atlas-');
});

const expected = (ext: string, classes: number[]) => [...classes.flatMap((c) => [`class-${c}-negative.${ext}`, `class-${c}-positive.${ext}`, `spectrum-${c}.${ext}`]), `truncation.${ext}`].sort();

describe('writeAtlas', () => {
  it.each(['svg', 'png', 'pdf'] as const)('%s: the positive and negative grids and the spectrum per class, and the truncation curve', async (format) => {
    const out = join(root, format);
    const r = await writeAtlas(atlas, { outDir: out, format, classes: [0, 2], dpi: 72, provenance: PROVENANCE });
    expect(readdirSync(out).sort()).toEqual(expected(format, [0, 2]));
    expect(r.files.map((f) => f.slice(out.length + 1)).sort()).toEqual(expected(format, [0, 2]));
    expect(r.classes).toEqual([0, 2]);
    const grid = readFileSync(join(out, `class-2-negative.${format}`));
    if (format === 'svg') {
      const svg = grid.toString('utf8');
      expect(xmlProblems(svg)).toEqual([]);
      expect(provenanceOf(svg)).toMatchObject({ ...PROVENANCE, class: 2, sign: 'negative', figure: 'eigenvectors' });
      expect([...svg.matchAll(/data-eigenvalue="([^"]+)"/g)].map((m) => Number(m[1]))).toEqual(atlas.classes[2].negative.map((f) => f.eigenvalue));
    } else if (format === 'png') {
      const chunks = readChunks(grid);
      expect(chunks.every((c) => c.crcOk)).toBe(true);
      const phys = chunks.find((c) => c.type === 'pHYs')!;
      expect(Math.round(new DataView(phys.data.buffer, phys.data.byteOffset).getUint32(0) * 0.0254)).toBe(72);
    } else {
      expect(grid.subarray(0, 8).toString('latin1')).toBe('%PDF-1.3');
      if (CHECK_PDF) {
        requirePoppler();
        expect(JSON.parse(pdfInfo(join(out, 'truncation.pdf')).Provenance)).toMatchObject({ figure: 'truncation', run_id: '7' });
      }
    }
    expect(readdirSync(root).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('html: one page, every class, a details panel per drawn eigenvector with examples as data URIs', async () => {
    const out = join(root, 'html');
    mkdirSync(out); // an existing empty folder is fine
    const details = atlas.classes.flatMap((k) => k.positive.map((f) => syntheticDetail(f, 3, 3)));
    const r = await writeAtlas(atlas, { outDir: out, format: 'html', provenance: PROVENANCE, details });
    expect(readdirSync(out)).toEqual(['atlas.html']);
    expect(r.classes).toEqual([0, 1, 2]);
    const html = readFileSync(join(out, 'atlas.html'), 'utf8');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/\s(?:src|href)=|url\(|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
    for (let c = 0; c < 3; c++) expect(html).toContain(`data-class="${c}"`);
    expect(html.match(/<svg /g)).toHaveLength(3 * 3 + 1);
    const features = JSON.parse(/<script type="application\/json" id="features">([^<]*)<\/script>/.exec(html)![1]);
    expect(Object.keys(features.panels).sort()).toEqual(atlas.classes.flatMap((k) => [...k.positive, ...k.negative].map((f) => `${k.class}:${f.rank}`)).sort());
    expect(features.panels['1:1']).toContain('class-logits');
    expect(features.panels['1:1']).toContain('data-example="0"');
    // the examples under the titles of their ranking, each with λ(vᵀz)² and vᵀz; the colours explained
    const detail = details.find((d) => d.feature.class === 1 && d.feature.rank === 1)!;
    expect(features.panels['1:1']).toContain('test examples it contributes most to: largest |λ(vᵀz)²|');
    expect(features.panels['1:1']).toContain('…and least: smallest |λ(vᵀz)²|');
    for (const e of detail.topExamples) expect(features.panels['1:1']).toContain(`${formatValue(e.contribution)}<br><span>vᵀz ${formatValue(e.projection)}</span>`);
    expect(features.panels['1:1']).toContain(`signs set so that class ${atlas.classes[1].label} test images have mean vᵀz &gt; 0`);
    expect(html.match(/<p class="meta legend">red: ink there raises vᵀz, blue: lowers it/g)).toHaveLength(3);
    expect(features.panels['1:2']).toContain('no test examples or class logits'); // negatives got no detail here
    const images = Object.values(features.images) as string[];
    expect(images.length).toBeGreaterThan(0);
    for (const uri of images) expect(uri).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/);
    expect(html).toContain(PROVENANCE.app_version);
  });

  it('refuses bad requests with clear errors and leaves nothing behind', async () => {
    const before = readdirSync(root).sort();
    const write = (o: Partial<Parameters<typeof writeAtlas>[1]>) => writeAtlas(atlas, { outDir: join(root, 'bad'), format: 'svg', provenance: PROVENANCE, ...o });
    await expect(write({ classes: [3] })).rejects.toThrow(/unknown class 3: this run has 3 classes \(0 to 2\)/);
    await expect(write({ classes: [1.5] })).rejects.toBeInstanceOf(ExportError);
    await expect(write({ classes: [1, 1] })).rejects.toThrow(/names a class twice/);
    await expect(write({ classes: [] })).rejects.toThrow(/no classes to export/);
    await expect(write({ format: 'gif' as 'svg' })).rejects.toThrow(new RegExp(`unknown format 'gif': choose ${ATLAS_EXPORT_FORMATS.join(', ')}`));
    await expect(write({ format: 'png', dpi: 2000 })).rejects.toThrow(/dpi must be an integer from 36 to 1200/);
    expect(readdirSync(root).sort()).toEqual(before);

    const full = join(root, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    await expect(write({ outDir: full })).rejects.toThrow(/exists and is not empty; choose a new folder/);
    expect(readdirSync(full)).toEqual(['keep.txt']);
    await expect(write({ outDir: join(full, 'keep.txt') })).rejects.toThrow(/exists and is not a folder/);
    await expect(write({ outDir: join(full, 'keep.txt', 'out') })).rejects.toThrow(/cannot write the export to .*keep\.txt.*: a part of the path is a file/);
    expect(readdirSync(full)).toEqual(['keep.txt']);
  });

  it('a read-only parent folder: a clear error, nothing left behind', () => {
    const dir = tempDir('sqs-readonly-');
    chmodSync(dir, 0o755);
    const parent = join(dir, 'locked');
    mkdirSync(parent, { mode: 0o555 });
    chmodSync(parent, 0o555);
    const out = join(parent, 'atlas');
    // root may write anywhere: run the export as an unprivileged user then
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const child = spawnSync(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'write-atlas-child.ts'), out, 'svg'], {
      cwd: resolve(import.meta.dirname, '../..'),
      encoding: 'utf8',
      env: { ...process.env, HOME: dir },
      ...asUser,
    });
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
    expect(result).toEqual({ ok: false, name: 'ExportWriteError', message: `cannot write the export to ${parent}: permission denied` });
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});
