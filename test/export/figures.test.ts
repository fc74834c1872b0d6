// Every figure kind of the contract, built from the atlas's shapes and written in every format:
// the SVG is well-formed with its provenance, the marks say what the figure shows.
import { describe, expect, it } from 'vitest';
import { FIGURE_FORMATS } from '../../src-main/common/formats';
import { walkMarks, type Figure, type TextMark } from '../../src-main/common/figures/figure';
import { comparePairsFigure, eigenvectorsFigure, explanationFigure, featureFigure, similarityFigure, spectrumFigure, truncationFigure } from '../../src-main/common/figures';
import { formatNumber } from '../../src-main/common/number-format';
import { renderFigure } from '../../src-main/export/render';
import { toSvg } from '../../src-main/export/svg';
import { PROVENANCE, syntheticAtlas, syntheticComparison, syntheticDetail, syntheticExplanation } from './fixtures';
import { provenanceOf, xmlProblems } from './xml';

const atlas = syntheticAtlas(4, 4);
const labels = atlas.classes.map((k) => k.label);
const texts = (f: Figure) => [...walkMarks(f.marks)].filter((m): m is TextMark => m.kind === 'text').map((m) => m.text);
const groups = (f: Figure, cls: string) => [...walkMarks(f.marks)].filter((m) => m.kind === 'group' && m.className === cls);

const figures: [string, Figure][] = [
  ['eigenvectors', eigenvectorsFigure(atlas, { class: 1, sign: 'magnitude', count: 3 }, PROVENANCE)],
  ['spectrum', spectrumFigure(atlas, { class: 2 }, PROVENANCE)],
  ['truncation', truncationFigure(atlas, {}, PROVENANCE)],
  ['feature', featureFigure(syntheticDetail(atlas.classes[1].negative[0], 4, 5), { imageShape: atlas.imageShape, labels }, PROVENANCE)],
  ['explanation', explanationFigure(syntheticExplanation(atlas), { labels }, PROVENANCE)],
  ['compare-pairs', comparePairsFigure(syntheticComparison(atlas, syntheticAtlas(4, 4), 3), { class: 0, count: 3 }, PROVENANCE)],
  ['compare-similarity', similarityFigure(syntheticComparison(atlas, atlas, 4), PROVENANCE)],
];

describe('figure builders', () => {
  it.each(figures)('%s: well-formed SVG with provenance, and a PNG and a PDF', async (kind, fig) => {
    expect(fig.provenance.figure).toBe(kind);
    expect(fig.width).toBeGreaterThan(200);
    expect(fig.height).toBeGreaterThan(100);
    const svg = toSvg(fig);
    expect(xmlProblems(svg)).toEqual([]);
    expect(provenanceOf(svg)).toMatchObject({ ...PROVENANCE, figure: kind });
    expect(svg).not.toMatch(/href=|src=|url\(|<image/);
    for (const format of FIGURE_FORMATS) {
      const r = await renderFigure(fig, format, { dpi: 48 });
      expect(r.extension).toBe(format);
      expect(r.bytes.length).toBeGreaterThan(500);
    }
    // every mark lies on the page
    for (const m of walkMarks(fig.marks)) {
      if (m.kind === 'text') {
        expect(m.x, `${kind}: ${m.text}`).toBeGreaterThanOrEqual(0);
        expect(m.x, `${kind}: ${m.text}`).toBeLessThanOrEqual(fig.width);
        expect(m.y, `${kind}: ${m.text}`).toBeLessThanOrEqual(fig.height);
      }
    }
  });

  it('feature: the heatmap, λ, rank, sparsity, what its colours mean, examples with contributions and projections, class logits', () => {
    const detail = syntheticDetail(atlas.classes[1].negative[0], 4, 5);
    const fig = featureFigure(detail, { imageShape: atlas.imageShape, labels }, PROVENANCE);
    const t = texts(fig);
    expect(fig.title).toBe('class 1 (Trouser): eigenvector #2 (Eᵀv)');
    expect(detail.feature.eigenvalue).toBe(-8.25);
    expect(t).toContain('λ = −8.25');
    expect(t).toContain('rank 2 of 16 by |λ|');
    expect(t.some((s) => s.startsWith('sparsity'))).toBe(true);
    expect(t).toContain('red: ink there raises vᵀz, blue: lowers it; signs set so that class Trouser test images have mean vᵀz > 0');
    expect(t).toContain('test examples it contributes most to: largest |λ(vᵀz)²| (under each: λ(vᵀz)², vᵀz, index · label)');
    expect(t).toContain('…and least: smallest |λ(vᵀz)²|, the examples it is silent on');
    for (const e of [...detail.topExamples, ...detail.bottomExamples]) {
      expect(t).toContain(formatNumber(e.contribution));
      expect(t).toContain(`vᵀz ${formatNumber(e.projection)}`);
    }
    expect(t).toContain(formatNumber(detail.feature.eigenvalue * 3 ** 2)); // the first example: vᵀz = 3
    expect(t.join(' ')).not.toMatch(/-\d/); // no hyphen for a minus
    expect(groups(fig, 'eigenvector')).toHaveLength(1);
    const bars = [...walkMarks(fig.marks)].filter((m) => m.kind === 'rect' && m.className === 'class-logit');
    expect(bars).toHaveLength(4);
    expect(bars.filter((b) => b.kind === 'rect' && b.stroke)).toHaveLength(1); // its own class outlined
    expect(fig.provenance).toMatchObject({ class: 1, rank: 2 });
  });

  it('explanation: input, logits as bars with the surrogate as dots, each component with its contribution', () => {
    const ex = syntheticExplanation(atlas);
    const fig = explanationFigure(ex, { labels }, PROVENANCE);
    expect(groups(fig, 'eigenvector')).toHaveLength(ex.components.length);
    expect([...walkMarks(fig.marks)].filter((m) => m.kind === 'rect' && m.className === 'logit')).toHaveLength(4);
    expect([...walkMarks(fig.marks)].filter((m) => m.kind === 'circle')).toHaveLength(4);
    const t = texts(fig);
    expect(t).toContain('predicted 1');
    expect(t).toContain('label 1');
    expect(t).toContain(`+${ex.components[0].contribution.toPrecision(3)}`);
  });

  it('compare-pairs: A above B, |cos| under each pair; similarity: two lines from 0 to 1', () => {
    const cmp = syntheticComparison(atlas, syntheticAtlas(4, 4), 3);
    const pairs = comparePairsFigure(cmp, { class: 0, count: 3 }, PROVENANCE);
    expect(groups(pairs, 'eigenvector')).toHaveLength(6);
    expect(texts(pairs).filter((s) => s.startsWith('|cos| = '))).toEqual(cmp.classes[0].matches.map((m) => `|cos| = ${m.similarity.toFixed(2)}`));
    expect(() => comparePairsFigure(cmp, { class: 9, count: 3 }, PROVENANCE)).toThrow(/unknown class 9/);
    const sim = similarityFigure(cmp, PROVENANCE);
    const lines = [...walkMarks(sim.marks)].filter((m) => m.kind === 'group' && m.className?.startsWith('series '));
    expect(lines.map((m) => m.kind === 'group' && m.className)).toEqual(['series by-assignment', 'series by-rank']);
    expect(texts(sim)).toEqual(expect.arrayContaining(['0.0', '1.0', 'matched by rank', 'matched by assignment']));
  });
});
