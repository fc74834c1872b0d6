// The screen draws the atlas's figures with FigureView, the files are written by export/svg.ts:
// rendered both ways (FigureView through Svelte's server renderer), every figure has the same
// elements with the same attributes and the same text, so what the atlas shows is what Export writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSvg } from '../../../src-main/export/svg';
import { atlasFigure, comparePairsFigure, similarityFigure } from '../../../src-main/common/figures';
import type { Figure } from '../../../src-main/common/figures/figure';
import { PROVENANCE, syntheticAtlas, syntheticComparison } from '../../export/fixtures';
import { svelteLoader, type SvelteLoader } from './svelte-ssr';
import { svgBody, svgTokens } from './svg-tokens';

const VIEW = 'src-renderer/src/components/charts/FigureView.svelte';
const atlas = syntheticAtlas(4, 4);
const cmp = syntheticComparison(atlas, syntheticAtlas(4, 4), 3);

const figures: [string, Figure][] = [
  ['spectrum', atlasFigure(atlas, { kind: 'spectrum', class: 2 }, PROVENANCE, { width: 530 })],
  ['truncation with a class', atlasFigure(atlas, { kind: 'truncation', class: 1 }, PROVENANCE, { width: 410 })],
  ['positive eigenvectors', atlasFigure(atlas, { kind: 'eigenvectors', class: 1, sign: 'positive', count: 4 }, PROVENANCE, { width: 620 })],
  ['negative eigenvectors, column size, no title', atlasFigure(atlas, { kind: 'eigenvectors', class: 3, sign: 'negative', count: 4 }, PROVENANCE, { size: 'column', title: false })],
  ['similarity', similarityFigure(cmp, PROVENANCE, { width: 480 })],
  ['matched pairs', comparePairsFigure(cmp, { class: 0, count: 3 }, PROVENANCE, { width: 500 })],
];

describe('FigureView draws what export/svg.ts writes', () => {
  let svelte: SvelteLoader;
  beforeAll(async () => (svelte = await svelteLoader()));
  afterAll(() => svelte?.close());

  it.each(figures)('%s: the same elements, attributes and text', async (_, fig) => {
    const screen = await svelte.render(VIEW, { figure: fig });
    const file = toSvg(fig);
    const a = svgBody(screen);
    const b = svgBody(file);
    expect(a.length).toBeGreaterThan(20);
    expect(a).toEqual(b);
    // the same size, and the screen's figure names itself for screen readers
    const root = (s: string) => svgTokens(s).find((t) => t.startsWith('<svg'))!;
    for (const attr of [`width="${fig.width}"`, `height="${fig.height}"`, `viewBox="0 0 ${fig.width} ${fig.height}"`]) {
      expect(root(screen)).toContain(attr);
      expect(root(file)).toContain(attr);
    }
    expect(root(screen)).toContain(`aria-label="${fig.title}"`);
  });

  it('the texts a reader sees are the export’s, with true minus signs', async () => {
    const fig = figures[0][1];
    const texts = (s: string) => svgBody(s).filter((t) => t.startsWith('text '));
    const screen = texts(await svelte.render(VIEW, { figure: fig }));
    expect(screen).toEqual(texts(toSvg(fig)));
    expect(screen).toContain('text −10');
    expect(screen.join('\n')).not.toMatch(/-\d|e-\d/);
  });

  it('makes the eigenvectors buttons when asked: named, pressed when selected, nothing else changed', async () => {
    const fig = figures[2][1];
    const html = await svelte.render(VIEW, { figure: fig, pickable: 'eigenvector', onpick: () => {}, selected: 3 });
    const buttons = svgTokens(html).filter((t) => t.startsWith('<g') && t.includes('role="button"'));
    expect(buttons.map((t) => /data-rank="(\d+)"/.exec(t)![1])).toEqual(['1', '3', '5', '7']);
    expect(buttons.every((t) => t.includes('tabindex="0"') && /aria-label="class 1 eigenvector rank \d+, λ = [\d.]+"/.test(t))).toBe(true);
    expect(buttons.filter((t) => t.includes('aria-pressed="true"'))).toHaveLength(1);
    expect(buttons.find((t) => t.includes('aria-pressed="true"'))).toContain('data-rank="3"');
    const skip = ['role', 'tabindex', 'aria-label', 'aria-pressed', 'class'];
    expect(svgBody(html, skip)).toEqual(svgBody(toSvg(fig), skip));
  });
});
