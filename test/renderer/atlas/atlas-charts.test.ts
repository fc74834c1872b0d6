// The atlas's charts on screen: the spectrum, the truncation curves and the eigenvector grids are
// the shared figures (rendered on the server here), eigenvectors are buttons, and the bars per
// class of the feature detail stand on the zero line in the colours of the heatmaps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divergingColor } from '../../../src-main/common/colormap';
import { groupedBars, NEGATIVE_COLOR, POSITIVE_COLOR, zeroedDomain } from '../../../src-renderer/src/components/charts/atlas-marks';
import { heatmapRgba } from '../../../src-renderer/src/lib/atlas/pixels';
import { sig, signed } from '../../../src-renderer/src/lib/atlas/numbers';
import { syntheticAtlas } from '../../export/fixtures';
import { svelteLoader, type SvelteLoader } from '../charts/svelte-ssr';
import { FakeApi } from '../fake-api';

describe('bars per class', () => {
  it('colours positive values red and negative blue, as the heatmaps do', () => {
    expect(POSITIVE_COLOR).toBe(divergingColor(1));
    expect(NEGATIVE_COLOR).toBe(divergingColor(-1));
  });

  it('always holds 0 in a value domain', () => {
    expect(zeroedDomain([2, 5])[0]).toBe(0);
    expect(zeroedDomain([-3, -1])[1]).toBe(0);
    expect(zeroedDomain([])).toEqual([-1, 1]);
  });

  it('draws bars per class from the zero line, one per series, signed colours on request', () => {
    const { bars, zero } = groupedBars(3, [{ key: 'logit', color: 'sign', values: [2, -1, 0.5] }], 300, 100);
    expect(bars.map((b) => b.group)).toEqual([0, 1, 2]);
    expect(bars[0].y + bars[0].height).toBeCloseTo(zero, 1);
    expect(bars[1].y).toBeCloseTo(zero, 1);
    expect(bars.map((b) => b.color)).toEqual([POSITIVE_COLOR, NEGATIVE_COLOR, POSITIVE_COLOR]);
    const two = groupedBars(2, [{ key: 'model', color: '#000', values: [1, 2] }, { key: 'surrogate', color: '#999', values: [1, 2] }], 300, 100);
    expect(two.bars).toHaveLength(4);
    expect(two.bars[2].x).toBeGreaterThan(two.bars[0].x);
  });

  it('states eigenvalues to three significant digits with a true minus sign and ×10ⁿ', () => {
    expect(sig(1.23456)).toBe('1.23');
    expect(sig(-0.004567)).toBe('−4.57×10⁻³');
    expect(sig(0)).toBe('0');
    expect(signed(2)).toBe('+2.00');
    expect(signed(-2)).toBe('−2.00');
  });

  it('paints a canvas heatmap as the figures colour it, a range of 0 meaning the largest |value|', () => {
    const rgba = heatmapRgba([-2, 1, 0], 0);
    expect([...rgba.slice(0, 3)]).toEqual([33, 102, 172]); // −2 of ±2: the blue end
    const mid = divergingColor(0.5).slice(1).match(/../g)!.map((h) => parseInt(h, 16));
    expect([...rgba.slice(4, 7)]).toEqual(mid);
    expect([...rgba.slice(8, 11)]).toEqual([255, 255, 255]);
  });
});

describe('atlas figures on screen', () => {
  let svelte: SvelteLoader;
  beforeAll(async () => (svelte = await svelteLoader()));
  afterAll(() => svelte?.close());
  const atlas = syntheticAtlas(3, 4);
  const api = new FakeApi({});
  const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

  it('ClassCharts: a bar per eigenvalue with its rank and λ on hover; accuracy and the class’s recall with the model as reference', async () => {
    const html = await svelte.render('src-renderer/src/components/atlas/ClassCharts.svelte', { api, atlas, klass: atlas.classes[1] });
    expect(count(html, /<g class="bar positive"/g)).toBe(8);
    expect(count(html, /<g class="bar negative"/g)).toBe(8);
    expect(html).toContain('<title>rank 2: λ = −8.25</title>');
    expect(html).toContain('spectrum of Q for class 1 (Trouser)');
    expect(html).toMatch(/<g class="series all" data-label="all classes">/);
    expect(html).toMatch(/<g class="series class" data-label="class-1 \(Trouser\) recall">/);
    expect(html).toMatch(/<g class="reference" data-label="model" data-accuracy="0.91">/);
    expect(html).toContain('aria-label="export spectrum of class 1"');
    expect(html).not.toMatch(/NaN|\de-\d/);
  });

  it('FeatureGrid: the positive grid as the export draws it, each eigenvector a button', async () => {
    const html = await svelte.render('src-renderer/src/components/atlas/FeatureGrid.svelte', { api, atlas, cls: 2, sign: 'positive', selectedRank: 3, onopen: () => {} });
    const buttons = [...html.matchAll(/<g class="eigenvector pick[^"]*" data-rank="(\d+)"[^>]* role="button" tabindex="0" aria-label="class 2 eigenvector rank \d+, λ = [\d.]+" aria-pressed="(true|false)"/g)];
    expect(buttons.map((m) => Number(m[1]))).toEqual([1, 3, 5, 7]);
    expect(buttons.filter((m) => m[2] === 'true').map((m) => Number(m[1]))).toEqual([3]);
    expect(html).toContain('top 4 positive eigenvectors of Q for class 2 (Pullover), in input space (Eᵀv)');
    expect(html).toContain('each image scaled to its own largest |Eᵀv|');
  });
});
