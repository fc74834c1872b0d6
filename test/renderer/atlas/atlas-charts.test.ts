// The atlas charts' maths and markup: stems of a spectrum from the zero line in the colours of
// the heatmaps, bars per class from zero, and the spectrum chart rendered to SVG on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divergingColor } from '../../../src-main/shared/colormap';
import { groupedBars, NEGATIVE_COLOR, POSITIVE_COLOR, spectrumStems, zeroedDomain } from '../../../src-renderer/src/components/charts/atlas-marks';
import { sig, signed } from '../../../src-renderer/src/lib/atlas/numbers';
import { svelteLoader, tidy, type SvelteLoader } from '../charts/svelte-ssr';

describe('atlas chart maths', () => {
  it('colours positive eigenvalues red and negative blue, as the heatmaps do', () => {
    expect(POSITIVE_COLOR).toBe(divergingColor(1));
    expect(NEGATIVE_COLOR).toBe(divergingColor(-1));
    const { stems, zero } = spectrumStems([3, -2, 1, -0.5], 400, 100);
    expect(stems.map((s) => s.color)).toEqual([POSITIVE_COLOR, NEGATIVE_COLOR, POSITIVE_COLOR, NEGATIVE_COLOR]);
    expect(stems.map((s) => s.rank)).toEqual([1, 2, 3, 4]);
    expect(stems[0].y).toBeLessThan(zero);
    expect(stems[1].y).toBeGreaterThan(zero);
    expect(stems.map((s) => s.x)).toEqual([...stems.map((s) => s.x)].sort((a, b) => a - b));
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

  it('states eigenvalues to three significant digits with a true minus sign', () => {
    expect(sig(1.23456)).toBe('1.23');
    expect(sig(-0.004567)).toBe('−4.57×10⁻³');
    expect(sig(0)).toBe('0');
    expect(signed(2)).toBe('+2.00');
    expect(signed(-2)).toBe('−2.00');
  });
});

describe('SpectrumChart', () => {
  let svelte: SvelteLoader;
  beforeAll(async () => (svelte = await svelteLoader()));
  afterAll(() => svelte?.close());

  it('draws one stem per eigenvalue, a zero line and axes', async () => {
    const html = tidy(await svelte.render('src-renderer/src/components/charts/SpectrumChart.svelte', { eigenvalues: [4, -3, 2, -1, 0.5] }));
    expect(html.match(/<g class="stem/g)).toHaveLength(5);
    expect(html.match(/<g class="stem positive"/g)).toHaveLength(3);
    expect(html).toContain('<line class="zero"');
    expect(html).toContain(`fill="${NEGATIVE_COLOR}"`);
    expect(html).toContain('rank (by |λ|)');
    expect(html).not.toContain('NaN');
  });
});
