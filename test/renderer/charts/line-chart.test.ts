// LineChart rendered to SVG on the server: axes with ticks, one path and a dot per point for
// each series, a legend, and a log scale that leaves out what it cannot draw. The markup is
// compared after rounding numbers (Observable Plot's way), so a change of layout shows in review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src-main/common/contract';
import { svelteLoader, tidy, type SvelteLoader } from './svelte-ssr';

const CHART = 'src-renderer/src/components/charts/LineChart.svelte';
const pts = (values: (number | null)[]): MetricPoint[] => values.map((value, i) => ({ step: 8 * (i + 1), epoch: i + 1, value }));
const series = [
  { key: 'train', label: 'train loss', points: pts([0.9, 0.4, 0.2]) },
  { key: 'test', label: 'test loss', points: pts([1.1, 0.5, 0]) },
];
const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

describe('LineChart', () => {
  let svelte: SvelteLoader;
  beforeAll(async () => (svelte = await svelteLoader()));
  afterAll(() => svelte?.close());

  it('draws each series with a dot per point, axes with ticks and a legend', async () => {
    const html = tidy(await svelte.render(CHART, { series, title: 'loss', yLabel: 'loss' }));
    expect(count(html, /<path /g)).toBe(2);
    expect(count(html, /<circle /g)).toBe(6);
    expect(count(html, /<li>/g)).toBe(2);
    expect(html).toContain('train loss');
    // epochs 1..3 on x, 0..1.1 on y
    expect([...html.matchAll(/text-anchor="middle">(\d+)</g)].map((m) => m[1])).toEqual(['1', '2', '3']);
    expect([...html.matchAll(/text-anchor="end">([\d.]+)</g)].map((m) => m[1])).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']); // as tidied: numbers rounded to one decimal
    expect(html).toContain('<text class="label"');
    expect(html).not.toContain('type="checkbox"');
    expect(html).toMatchSnapshot();
  });

  it('on a log scale leaves out values that are not positive and offers the toggle', async () => {
    const html = tidy(await svelte.render(CHART, { series, title: 'loss', log: true, onlog: () => {}, x: 'step' }));
    expect(count(html, /<circle /g)).toBe(5);
    expect(html).not.toMatch(/NaN|Infinity/);
    expect(html).toMatch(/<input type="checkbox" checked/);
    // ticks at 0.2, 0.3, … 1, closer together as they rise
    const ys = [...html.matchAll(/y="([\d.]+)" dy="0.3em" text-anchor="end">([\d.]+)</g)].map((m) => [Number(m[2]), Number(m[1])]);
    expect(ys.map(([v]) => v)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    const gaps = ys.slice(1).map(([, y], i) => ys[i][1] - y);
    expect(gaps.every((g, i) => i === 0 || g < gaps[i - 1])).toBe(true);
    expect([...html.matchAll(/text-anchor="middle">(\d+)</g)].map((m) => Number(m[1]))).toEqual(expect.arrayContaining([10, 20]));
  });

  it('draws empty axes for series without points', async () => {
    const html = tidy(await svelte.render(CHART, { series: [{ key: 'a', label: 'a', points: [] }] }));
    expect(count(html, /<path /g)).toBe(0);
    expect(html).not.toMatch(/NaN/);
  });
});
