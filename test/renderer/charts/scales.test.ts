// The charts' maths: domains, scales, ticks and path data, including log scales over values
// that are zero, negative or missing.
import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src-main/common/contract';
import { asPercent, colorOf, dotsOf, drawable, pathOf, round, ticksOf, withTokens, xDomain, xScale, yDomain, yScale, type Series } from '../../../src-renderer/src/components/charts/scales';

const pts = (values: (number | null)[]): MetricPoint[] => values.map((value, i) => ({ step: 8 * (i + 1), epoch: i + 1, value }));
const one = (values: (number | null)[]): Series[] => [{ key: 'a', label: 'a', points: pts(values) }];

describe('chart scales', () => {
  it('rounds without -0', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(Object.is(round(-0.0001), 0)).toBe(true);
    expect(round(2.5e-7, 8)).toBe(2.5e-7);
  });

  it('takes the x extent over every series, by epoch or by step', () => {
    const s: Series[] = [...one([1, 2, 3]), { key: 'b', label: 'b', points: pts([1, 2, 3, 4, 5]) }];
    expect(xDomain(s, 'epoch')).toEqual([1, 5]);
    expect(xDomain(s, 'step')).toEqual([8, 40]);
    expect(xDomain([], 'epoch')).toEqual([0, 1]);
    expect(xDomain(one([0.5]), 'epoch')).toEqual([0, 2]);
  });

  it("draws a language model's metric against the tokens trained on at each step, skipping a step without a count", () => {
    const loss = [{ step: 100, epoch: 1, value: 4 }, { step: 200, epoch: 2, value: 3 }, { step: 300, epoch: 3, value: 2.5 }];
    const tokens = [{ step: 100, epoch: 1, value: 12_800 }, { step: 200, epoch: 2, value: 25_600 }];
    const points = withTokens(loss, tokens);
    expect(points.map((p) => p.tokens)).toEqual([12_800, 25_600, undefined]);
    expect(xDomain([{ key: 'a', label: 'a', points }], 'tokens')).toEqual([12_800, 25_600]);
    const xs = xScale([12_800, 25_600], [0, 100]);
    expect(dotsOf(points, 'tokens', xs, yScale([0, 4], [100, 0], false), false).map((d) => d.cx)).toEqual([0, 100]);
  });

  it('makes a linear y domain nice and keeps a flat series visible', () => {
    expect(yDomain(one([0.13, 0.91, null]), false)).toEqual([0.1, 1]);
    expect(yDomain(one([0.5, 0.5]), false)).toEqual([0.25, 0.75]);
    expect(yDomain(one([0, 0]), false)).toEqual([-0.5, 0.5]);
    expect(yDomain(one([]), false)).toEqual([0, 1]);
    expect(yDomain(one([-2, Number.NaN, 3]), false)).toEqual([-2, 3]);
  });

  it('spans the positive values on a log scale with a margin, ignoring zero and negatives', () => {
    const [lo, hi] = yDomain(one([0, -1, 0.02, 0.5, null]), true);
    expect([lo, hi].map((v) => round(v, 4))).toEqual([0.017, 0.5873]);
    expect(0.5 / lo).toBeCloseTo(hi / 0.02);
    expect(yDomain(one([1]), true)).toEqual([0.5, 2]);
    expect(yDomain(one([0, -3]), true)).toEqual([1, 10]);
    expect(drawable(0, true)).toBe(false);
    expect(drawable(0, false)).toBe(true);
    expect(drawable(null, false)).toBe(false);
  });

  it('ticks a linear axis evenly, with integers only for epochs', () => {
    const x = xScale([1, 3], [0, 200]);
    expect(ticksOf(x, 5, true).map((t) => [t.label, t.pos])).toEqual([['1', 0], ['2', 100], ['3', 200]]);
    expect(ticksOf(xScale([0, 2000], [0, 200]), 3, true).map((t) => t.label)).toEqual(['0', '500', '1000', '1500', '2000']);
    const y = yScale([0, 1], [100, 0], false);
    expect(ticksOf(y, 5).map((t) => [t.label, t.pos])).toEqual([['0.0', 100], ['0.2', 80], ['0.4', 60], ['0.6', 40], ['0.8', 20], ['1.0', 0]]);
  });

  it('labels a log axis at decades, at 1, 2 and 5 when it spans few, linearly within one', () => {
    const wide = yScale([0.001, 10], [400, 0], true);
    expect(ticksOf(wide).map((t) => t.label)).toEqual(['1×10⁻³', '0.01', '0.1', '1', '10']);
    expect(ticksOf(wide).map((t) => t.pos)).toEqual([400, 300, 200, 100, 0]);
    const narrow = yScale([0.1, 10], [100, 0], true);
    expect(ticksOf(narrow).map((t) => t.label)).toEqual(['0.1', '0.2', '0.5', '1', '2', '5', '10']);
    const within = yScale([2.05, 2.35], [100, 0], true);
    expect(ticksOf(within).map((t) => t.label)).toEqual(['2.05', '2.10', '2.15', '2.20', '2.25', '2.30', '2.35']); // one number of decimals along the axis
  });

  it('draws path data rounded to 2 decimals, with gaps where a value cannot be drawn', () => {
    const x = xScale([1, 4], [0, 300]);
    const lin = yScale([0, 1], [90, 0], false);
    expect(pathOf(pts([0.1, 0.5, null, 0.9]), 'epoch', x, lin, false)).toBe('M0,81L100,45M300,9Z');
    const log = yScale([0.01, 1], [90, 0], true);
    expect(pathOf(pts([0.1, 0, 1 / 3, 1]), 'epoch', x, log, true)).toBe('M0,45ZM200,21.47L300,0');
    expect(pathOf(pts([0, -1]), 'epoch', x, log, true)).toBeNull();
    expect(pathOf(pts([0, -1]), 'epoch', x, lin, false)).not.toBeNull();
    expect(dotsOf(pts([0.1, 0, 1 / 3]), 'epoch', x, log, true).map((d) => [d.cx, d.cy])).toEqual([[0, 45], [200, 21.47]]);
  });

  it('gives each series a distinct colour, cycling after ten', () => {
    expect(new Set(Array.from({ length: 10 }, (_, i) => colorOf(i))).size).toBe(10);
    expect(colorOf(10)).toBe(colorOf(0));
  });

  it('reads an accuracy in percent, keeping where each point was taken and its gaps', () => {
    expect(asPercent(pts([0.5, null, 0.9375]))).toEqual([
      { step: 8, epoch: 1, value: 50 },
      { step: 16, epoch: 2, value: null },
      { step: 24, epoch: 3, value: 93.75 },
    ]);
    expect(ticksOf(yScale(yDomain([{ key: 'a', label: 'a', points: asPercent(pts([0.8, 0.95])) }], false), [100, 0], false)).map((t) => t.label)).toEqual(['80', '85', '90', '95']);
  });
});
