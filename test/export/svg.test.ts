// The figures as SVG: well-formed, provenance in <metadata>, a colour map centred at 0 with a
// symmetric range per image, text kept as text, and the eigenvector groups readers rely on.
import { describe, expect, it } from 'vitest';
import { divergingColor } from '../../src-main/common/colormap';
import type { AtlasFeature } from '../../src-main/engine/analysis/atlas-types';
import { eigenvectorGrid, eigenvectorsFigure, spectrumChart, truncationChart } from '../../src-main/common/figures';
import type { Provenance } from '../../src-main/common/figures/figure';
import { escapeXml, toSvg } from '../../src-main/export/svg';
import { syntheticAtlas } from './fixtures';
import { provenanceOf, xmlProblems } from './xml';

const P: Provenance = { run_id: 'r<1>&"x"', run_dir: '/tmp/r', gate: 'sqs', config: { d: 16, note: '<b>&' }, app_version: '9.9.9' };

function feat(rank: number, eigenvalue: number, vector: number[]): AtlasFeature {
  const range = vector.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  return { class: 0, rank, eigenvalue, sparsity: 0.5, vector, range };
}

describe('diverging colour map', () => {
  it('is white at 0, blue at -1, red at +1, and symmetric in lightness', () => {
    expect(divergingColor(0)).toBe('#ffffff');
    expect(divergingColor(-1)).toBe('#2166ac');
    expect(divergingColor(1)).toBe('#b2182b');
    expect(divergingColor(5)).toBe(divergingColor(1));
    expect(divergingColor(Number.NaN)).toBe('#ffffff');
    const light = (hex: string) => [1, 3, 5].reduce((s, i) => s + parseInt(hex.slice(i, i + 2), 16), 0);
    expect(light(divergingColor(0.5))).toBeLessThan(light(divergingColor(0.1)));
    expect(light(divergingColor(-0.5))).toBeLessThan(light(divergingColor(-0.1)));
  });
});

describe('figures as SVG', () => {
  it('eigenvectorGrid: one heatmap per feature, range symmetric per image, zero drawn white', () => {
    const one = Array.from({ length: 784 }, (_, i) => (i < 392 ? -2 : 1)); // range ±2, so +1 is half red
    const two = new Array(784).fill(0);
    two[10] = 0.5; // a single positive pixel, the rest 0
    const three = new Array(784).fill(0);
    const fig = eigenvectorGrid({ features: [feat(1, 3.5, one), feat(2, -1.25, two), feat(5, 0, three)], imageShape: [28, 28], title: 'class 0 & co', provenance: P });
    const svg = toSvg(fig);
    expect(xmlProblems(svg)).toEqual([]);
    expect(provenanceOf(svg)).toEqual(P);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+" font-family="&apos;DejaVu Sans&apos;, Helvetica, Arial, sans-serif"/);
    expect(svg).toContain('<title>class 0 &amp; co</title>');
    const groups = [...svg.matchAll(/<g class="eigenvector" data-rank="(\d+)" data-eigenvalue="([^"]+)" data-range="([^"]+)">/g)];
    expect(groups.map((g) => Number(g[1]))).toEqual([1, 2, 5]);
    expect(groups.map((g) => Number(g[3]))).toEqual([2, 0.5, 0]);
    expect(svg).toContain(`fill="${divergingColor(-1)}"`);
    expect(svg).toContain(`fill="${divergingColor(0.5)}"`);
    expect(svg).toContain(`fill="${divergingColor(1)}"`);
    expect(svg).toContain('>λ = 3.50</text>');
    expect(svg).toContain('>λ = −1.25</text>');
    expect(svg).toContain('>#5</text>');
    expect(svg).toContain('>−max |Eᵀv|</text>');
    expect(svg).toContain('>each image scaled to its own largest |Eᵀv|</text>');
    expect(svg).not.toMatch(/href=|src=|url\(|<image/);
    // runs of one colour are merged: the first image is two colours, so one rect per half-row
    const first = svg.slice(groups[0].index, groups[1].index);
    expect(first.match(/<rect /g)).toHaveLength(28 + 1);
    // the second image: every pixel but one is 0 → white
    const second = svg.slice(groups[1].index, groups[2].index);
    expect(second).toContain('fill="#ffffff"');
    expect(() => eigenvectorGrid({ features: [feat(1, 1, [1, 2])], imageShape: [28, 28], title: 't', provenance: P })).toThrow(/not a 28×28 image/);
  });

  it('eigenvectorsFigure picks the class, the sign and the count from the atlas', () => {
    const atlas = syntheticAtlas(3, 4);
    const ranks = (sign: 'positive' | 'negative' | 'magnitude', count: number) =>
      [...toSvg(eigenvectorsFigure(atlas, { class: 2, sign, count }, P)).matchAll(/data-rank="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ranks('positive', 4)).toEqual([1, 3, 5, 7]);
    expect(ranks('negative', 3)).toEqual([2, 4, 6]);
    expect(ranks('magnitude', 5)).toEqual([1, 2, 3, 4, 5]);
    const fig = eigenvectorsFigure(atlas, { class: 2, sign: 'negative', count: 2 }, P);
    expect(fig.title).toBe('top 2 negative eigenvectors of Q for class 2 (Pullover), in input space (Eᵀv)');
    expect(fig.provenance).toMatchObject({ class: 2, sign: 'negative', figure: 'eigenvectors', run_id: P.run_id });
    expect(() => eigenvectorsFigure(atlas, { class: 3, sign: 'positive', count: 2 }, P)).toThrow(/unknown class 3: this run has 3 classes \(0 to 2\)/);
    // a class without negative eigenvalues draws a note instead of an empty grid
    const none = { ...atlas, classes: atlas.classes.map((k) => ({ ...k, negative: [] })) };
    const empty = toSvg(eigenvectorsFigure(none, { class: 0, sign: 'negative', count: 4 }, P));
    expect(xmlProblems(empty)).toEqual([]);
    expect(empty).toContain('no negative eigenvalues in this class');
  });

  it('spectrumChart and truncationChart: well-formed, provenance, positives and negatives apart', () => {
    const s = toSvg(spectrumChart({ values: [4, -3, 2, -1, 0.5], title: 'spectrum', provenance: P }));
    expect(xmlProblems(s)).toEqual([]);
    expect(provenanceOf(s).run_id).toBe(P.run_id);
    expect(s.match(/<g class="bar positive"/g)).toHaveLength(3);
    expect(s.match(/<g class="bar negative"/g)).toHaveLength(2);
    expect(s).toContain('<title>rank 2: λ = −3.00</title>');
    expect(s).toContain('3 positive, 2 negative');
    const curves = [
      { key: 'all', label: 'all classes', points: [1, 2, 3].map((k) => ({ k, accuracy: 0.5 + k / 8 })) },
      { key: 'class', label: 'class-3 recall', points: [1, 2, 3].map((k) => ({ k, accuracy: 0.4 + k / 8 })) },
    ];
    const t = toSvg(truncationChart({ curves, title: 'truncation', provenance: P, references: [{ label: 'model', accuracy: 0.9 }] }));
    expect(xmlProblems(t)).toEqual([]);
    expect(provenanceOf(t).app_version).toBe('9.9.9');
    expect(t).toMatch(/<g class="series all" data-label="all classes"><path class="line" d="M[^"]+ L[^"]+ L[^"]+"/);
    expect(t).toMatch(/<g class="series class" data-label="class-3 recall"><path class="line" d="M[^"]+ L[^"]+ L[^"]+"[^>]* stroke-dasharray=/);
    expect(t).toContain('>model (90.0%)</text>');
    expect(t).toMatch(/<g class="reference" data-label="model" data-accuracy="0.9"><line [^>]*stroke-dasharray="[\d. ]+"\/><text [^>]*>model<\/text>/);
    expect(t).toMatch(/<text x="[\d.]+" y="[\d.]+" text-anchor="middle" transform="rotate\(-90 [\d.]+ [\d.]+\)">test accuracy \(%\)<\/text>/);
  });

  it('escapes what XML needs escaped, and the check itself catches broken documents', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg>a & b</svg>')).not.toEqual([]);
    expect(xmlProblems('<svg x=1></svg>')).not.toEqual([]);
  });
});
