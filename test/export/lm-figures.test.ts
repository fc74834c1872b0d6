// The language-model figures, built from hand-made readings in the contract's shapes: each is
// well-formed SVG with its provenance and renders as PNG and PDF; titles, tokens, contexts and
// values say what the reading holds; axes carry labelled ticks at both ends; minus signs are true.
import { describe, expect, it } from 'vitest';
import { FIGURE_FORMATS } from '../../src-main/common/formats';
import { walkMarks, type Figure, type Mark, type RectMark, type TextMark } from '../../src-main/common/figures/figure';
import { componentsLine, contextWindow, lmCompareFigure, lmContextsFigure, lmExplanationFigure, lmSpectrumFigure, lmTokensFigure, lmTruncationFigure, logTicks } from '../../src-main/common/figures';
import { PX_PER_PT } from '../../src-main/common/figures/style';
import { textWidth } from '../../src-main/common/figures/text-metrics';
import { renderFigure } from '../../src-main/export/render';
import { toSvg } from '../../src-main/export/svg';
import { PROVENANCE as ATLAS_PROVENANCE } from './fixtures';
import { HE_SHE, lmComparison, lmExplanation, lmFeature, lmSpectrum } from './lm-fixtures';
import { provenanceOf, xmlProblems } from './xml';

// a language model's provenance names no single layer: each figure adds its own
const { layer: _layer, ...PROVENANCE } = ATLAS_PROVENANCE;

type Group = Extract<Mark, { kind: 'group' }>;
const texts = (f: Figure) => [...walkMarks(f.marks)].filter((m): m is TextMark => m.kind === 'text').map((m) => m.text);
const groups = (f: Figure, cls: string) => [...walkMarks(f.marks)].filter((m): m is Group => m.kind === 'group' && (m.className ?? '').split(' ').includes(cls));
const ticks = (f: Figure) => groups(f, 'ticks').flatMap((g) => g.marks.filter((m): m is TextMark => m.kind === 'text').map((m) => m.text));
const barOf = (g: Group) => g.marks.find((m): m is RectMark => m.kind === 'rect')!;

const figures: [string, Figure][] = [
  ['lm-spectrum', lmSpectrumFigure(lmSpectrum(), PROVENANCE)],
  ['lm-truncation', lmTruncationFigure(lmSpectrum(), PROVENANCE)],
  ['lm-tokens', lmTokensFigure(lmFeature(), PROVENANCE)],
  ['lm-contexts', lmContextsFigure(lmFeature(), PROVENANCE)],
  ['lm-explanation', lmExplanationFigure(lmExplanation(), {}, PROVENANCE)],
  ['lm-compare', lmCompareFigure(lmComparison(), PROVENANCE)],
];

describe('language-model figures', () => {
  it.each(figures)('%s: well-formed SVG with provenance, a PNG and a PDF, every text on the page', async (kind, fig) => {
    expect(fig.provenance.figure).toBe(kind);
    const svg = toSvg(fig);
    expect(xmlProblems(svg)).toEqual([]);
    expect(provenanceOf(svg)).toMatchObject({ ...PROVENANCE, figure: kind });
    for (const format of FIGURE_FORMATS) expect((await renderFigure(fig, format, { dpi: 48 })).bytes.length).toBeGreaterThan(500);
    for (const m of walkMarks(fig.marks)) {
      if (m.kind !== 'text') continue;
      expect(m.x, m.text).toBeGreaterThanOrEqual(0);
      const w = textWidth(m.text, m.size, m.weight);
      const right = m.anchor === 'end' ? m.x : m.anchor === 'middle' ? m.x + w / 2 : m.x + w;
      if (m.rotate === undefined) expect(right, m.text).toBeLessThanOrEqual(fig.width + 0.5);
      expect(m.y, m.text).toBeLessThanOrEqual(fig.height);
    }
    expect(texts(fig).join(' ')).not.toMatch(/-\d/); // a true minus, never a hyphen
  });

  it('spectrum: the direction, layer and count of each sign in the title; a bar per eigenvalue, red above and blue below zero', () => {
    const fig = lmSpectrumFigure(lmSpectrum(), PROVENANCE);
    expect(fig.title).toBe('spectrum of Q for ‘ dog’, layer 1: 8 positive, 4 negative');
    expect(texts(fig)).toContain('first order (gated MLP): correlation 0.9912, relative error 4.10% over validation positions');
    expect(groups(fig, 'positive')).toHaveLength(8);
    expect(groups(fig, 'negative')).toHaveLength(4);
    expect(groups(fig, 'bar').map((g) => g.data?.eigenvalue)).toEqual(lmSpectrum().eigenvalues);
    const t = ticks(fig);
    expect(t[0]).toBe('1'); // ranks from 1 …
    expect(t).toContain('12'); // … to 12
    expect(t.slice(12)).toEqual(['−4', '−2', '0', '2', '4']); // λ from −2.4 to 3, both ends labelled
    expect(lmSpectrumFigure(lmSpectrum(0, HE_SHE), PROVENANCE).title).toBe('spectrum of Q for ‘ he’ − ‘ she’, layer 0: 8 positive, 4 negative');
    // a small model's eigenvalues, of order 10⁻⁵: the tick at zero reads 0, not a rounding's dust
    const tiny = lmSpectrumFigure({ ...lmSpectrum(), eigenvalues: [3.35e-5, -2.97e-5, 1e-6] }, PROVENANCE);
    expect(ticks(tiny).slice(-5)).toEqual(['−4×10⁻⁵', '−2×10⁻⁵', '0', '2×10⁻⁵', '4×10⁻⁵']);
  });

  it('truncation: k on a log axis labelled at 1 and 12, the fraction from its lowest (negative) value to 1', () => {
    expect(logTicks(1, 12).map((t) => t.label)).toEqual(['1', '2', '5', '12']);
    expect(logTicks(1, 256).map((t) => t.label)).toEqual(['1', '10', '100', '256']);
    expect(logTicks(1, 256)[2].at).toBeCloseTo(2, 12);
    const fig = lmTruncationFigure(lmSpectrum(), PROVENANCE);
    const t = ticks(fig);
    expect(t.slice(0, 4)).toEqual(['1', '2', '5', '12']);
    expect(t.slice(4)).toEqual(['−0.5', '0.0', '0.5', '1.0']); // the fraction from −0.2 to 1, both ends labelled
    const path = [...walkMarks(fig.marks)].find((m) => m.kind === 'path' && m.className === 'line');
    const xs = path?.kind === 'path' ? path.points.map((p) => p[0]) : [];
    expect(xs).toHaveLength(12);
    expect(xs[1] - xs[0]).toBeCloseTo(xs[3] - xs[1], 9); // equal steps in log k: 1→2 spans what 2→4 spans
  });

  it('tokens: a bar per top token, positive right of zero and negative left, each labelled with its text', () => {
    const fig = lmTokensFigure(lmFeature(), PROVENANCE);
    expect(fig.title).toBe('‘ dog’, layer 1: eigenvector #2, λ = −2.40: top tokens');
    const pos = groups(fig, 'positive');
    const neg = groups(fig, 'negative');
    expect(pos.map((g) => g.data?.projection)).toEqual([2.5, 2, 1.5, 1]);
    expect(neg.map((g) => g.data?.projection)).toEqual([-1.8, -1.4, -1]);
    expect(texts(fig)).toEqual(expect.arrayContaining(['‘ dog’', '‘ cat’', '‘ she’', '‘.’']));
    const zero = barOf(neg[0]).x + barOf(neg[0]).width;
    for (const g of pos) expect(barOf(g).x).toBeCloseTo(zero, 9);
    expect(barOf(pos[0]).width / barOf(neg[0]).width).toBeCloseTo(2.5 / 1.8, 9); // lengths in proportion
    const t = ticks(fig);
    expect(t[0].startsWith('−')).toBe(true);
    expect(t.at(-1)).toBe(t[0].slice(1)); // symmetric about zero, both ends labelled
  });

  it('contexts: each window with the read token bold, its contribution and projection at the right', () => {
    const f = lmFeature();
    const fig = lmContextsFigure(f, PROVENANCE);
    const rows = groups(fig, 'context');
    expect(rows).toHaveLength(3);
    const bold = rows.map((g) => g.marks.filter((m): m is TextMark => m.kind === 'text' && m.weight === 'bold').map((m) => m.text));
    expect(bold).toEqual([['dog', '−9.60'], ['ball', '−5.40'], ['time', '−2.40']]); // λ(vᵀx̂)² = −2.4 · 2², · 1.5², · 1²
    expect(texts(fig)).toContain('vᵀx̂ 2.00');
    // a window too narrow for the whole story keeps the token and elides both sides
    const w = contextWindow({ pieces: f.topContexts[0].pieces, at: 7 }, 120, 11);
    expect(w.token).toBe('dog');
    expect(w.before.startsWith('…')).toBe(true);
    expect(w.after.endsWith('…')).toBe(true);
    expect(textWidth(w.before + w.after, 11) + textWidth(w.token, 11, 'bold')).toBeLessThanOrEqual(120);
  });

  it('explanation: a row per prompt token and a column per layer, bars of the totals, the components and the rest under them', () => {
    const ex = lmExplanation();
    const all = lmExplanationFigure(ex, {}, PROVENANCE);
    expect(all.title).toBe('the logit of ‘ dog’: each layer’s MLP at each position of the prompt');
    expect(groups(all, 'position').map((g) => g.data?.total)).toEqual([-1.5, -0.5, 0.5, 1.5, -3, -1, 1, 3]);
    expect(componentsLine(ex.layers[1].positions[3])).toBe('#1 +1.80 · #3 +0.600 · rest +0.600');
    expect(texts(all)).toEqual(expect.arrayContaining(['layer 0', 'layer 1', '‘ the’', '‘ ran’', '+3.00', '−1.50']));
    const one = lmExplanationFigure(ex, { layer: 1 }, PROVENANCE);
    expect(one.title).toBe('the logit of ‘ dog’: layer 1’s MLP at each position of the prompt');
    expect(groups(one, 'position')).toHaveLength(4);
    expect(one.provenance).toMatchObject({ layer: 1, direction: 'dog' });
    expect(() => lmExplanationFigure(ex, { layer: 5 }, PROVENANCE)).toThrow('unknown layer 5: this model has layers 0, 1');
  });

  it('compare: |cos| by assignment and by rank on 0 to 1, with their means, and the caveat under the title', () => {
    const fig = lmCompareFigure(lmComparison(), PROVENANCE);
    expect(fig.title).toBe('|cos| of matched eigenvectors of Q for ‘ dog’, layer 1: run 7 vs run 8');
    expect(texts(fig).join(' ')).toContain('Residual-stream bases only line up for runs that share their initialisation');
    expect(texts(fig)).toEqual(expect.arrayContaining(['by assignment (mean 0.660)', 'by rank (mean 0.512)']));
    expect(ticks(fig)).toEqual(expect.arrayContaining(['0.0', '1.0', '1', '6']));
    expect(groups(fig, 'series')).toHaveLength(2);
    expect(fig.provenance).toMatchObject({ b: 8, layer: 1, direction: 'dog' });
  });

  it('at a journal column: 3.25 in wide, text at 7, 8 or 9 pt', () => {
    const column = { size: 'column' } as const;
    for (const fig of [
      lmSpectrumFigure(lmSpectrum(), PROVENANCE, column),
      lmTruncationFigure(lmSpectrum(), PROVENANCE, column),
      lmTokensFigure(lmFeature(), PROVENANCE, column),
      lmContextsFigure(lmFeature(), PROVENANCE, column),
      lmExplanationFigure(lmExplanation(), {}, PROVENANCE, column),
      lmCompareFigure(lmComparison(), PROVENANCE, column),
    ]) {
      expect(fig.width).toBe(3.25 * 96);
      for (const m of walkMarks(fig.marks)) if (m.kind === 'text') expect([7, 8, 9].some((pt) => Math.abs(pt * PX_PER_PT - m.size) < 1e-9), `${fig.title}: ${m.text}`).toBe(true);
    }
  });
});
