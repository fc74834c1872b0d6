// What a journal asks of a figure, checked on the marks of every atlas figure at the paper sizes:
// the page as wide as the preset, text in points (titles 9, labels 8, ticks 7; nothing under 7),
// no line under 0.5 pt, tick labels at both ends of each axis with one number of decimals, no
// data mark over an axis line, and series told apart by marker and dash, not colour alone.
import { describe, expect, it } from 'vitest';
import { atlasFigure, similarityFigure } from '../../src-main/common/figures';
import type { Figure, LineMark, Mark, TextMark } from '../../src-main/common/figures/figure';
import { PX_PER_PT } from '../../src-main/common/figures/style';
import { PROVENANCE, syntheticAtlas, syntheticComparison } from './fixtures';

const atlas = syntheticAtlas(4, 6);
const WIDTH_IN = { column: 3.25, page: 6.75 };

/** Every mark with the scale its groups apply to it. */
function* scaled(marks: readonly Mark[], s = 1): Generator<[Mark, number]> {
  for (const m of marks) {
    yield [m, s];
    if (m.kind === 'group') yield* scaled(m.marks, s * (m.scale ?? 1));
  }
}
const groupNamed = (fig: Figure, name: string) => [...scaled(fig.marks)].map(([m]) => m).find((m) => m.kind === 'group' && m.className === name) as Extract<Mark, { kind: 'group' }> | undefined;
const textsIn = (m: Mark | undefined): TextMark[] => (m ? [...scaled([m])].map(([x]) => x).filter((x): x is TextMark => x.kind === 'text') : []);

for (const size of ['column', 'page'] as const) {
  const figures: [string, Figure][] = [
    ['spectrum', atlasFigure(atlas, { kind: 'spectrum', class: 1 }, PROVENANCE, { size })],
    ['truncation', atlasFigure(atlas, { kind: 'truncation', class: 1 }, PROVENANCE, { size })],
    ['eigenvectors', atlasFigure(atlas, { kind: 'eigenvectors', class: 2, sign: 'negative', count: 6 }, PROVENANCE, { size })],
    ['similarity', similarityFigure(syntheticComparison(atlas, atlas, 5), PROVENANCE, { size })],
  ];

  describe(`${size} size`, () => {
    it.each(figures)('%s: as wide as the page, text in points, no line under 0.5 pt', (_, fig) => {
      expect(fig.width).toBe(WIDTH_IN[size] * 96);
      for (const [m, s] of scaled(fig.marks)) {
        if (m.kind === 'text') {
          expect(m.size * s, m.text).toBeGreaterThanOrEqual(7 * PX_PER_PT - 1e-9);
          expect([7, 8, 9].map((pt) => pt * PX_PER_PT).some((px) => Math.abs(px - m.size * s) < 1e-9), `${m.text}: ${(m.size * s) / PX_PER_PT} pt`).toBe(true);
          if (m.weight === 'bold') expect(m.size * s).toBeCloseTo(9 * PX_PER_PT, 9);
        }
        const width = m.kind === 'line' || m.kind === 'path' ? (m.stroke ? (m.width ?? 1) : undefined) : m.kind === 'rect' && m.stroke ? (m.strokeWidth ?? 1) : undefined;
        if (width !== undefined) expect(width * s, `${m.kind} in ${fig.provenance.figure}`).toBeGreaterThanOrEqual(0.5 * PX_PER_PT - 1e-9);
      }
    });

    it.each(figures.filter(([k]) => k !== 'eigenvectors'))('%s: labelled ticks at both ends of both axes, one number of decimals along each', (_, fig) => {
      const axes = groupNamed(fig, 'axes')!;
      const [bottom, left] = axes.marks as LineMark[];
      const labels = textsIn(groupNamed(fig, 'ticks'));
      const xLabels = labels.filter((t) => t.anchor === 'middle');
      const yLabels = labels.filter((t) => t.anchor === 'end');
      // the outermost tick labels sit at the ends of the axis lines (within the data inset; a bar
      // chart's axis runs on half a bar past its first and last bar)
      const xs = xLabels.map((t) => t.x);
      const halfBar = fig.provenance.figure === 'spectrum' ? (bottom.x2 - left.x1) / atlas.d / 2 : 0;
      expect(Math.min(...xs) - left.x1).toBeLessThan(12 + halfBar);
      expect(bottom.x2 - Math.max(...xs)).toBeLessThan(12 + halfBar);
      const ys = yLabels.map((t) => t.y - t.size * 0.35);
      expect(bottom.y1 - Math.max(...ys)).toBeLessThan(12);
      expect(Math.min(...ys) - left.y1).toBeLessThan(12);
      const decimals = (s: string) => (s.split('.')[1] ?? '').length;
      expect(new Set(yLabels.map((t) => decimals(t.text))).size).toBe(1);
      expect(new Set(xLabels.map((t) => decimals(t.text))).size).toBe(1);
    });

    it.each(figures.filter(([k]) => k !== 'eigenvectors'))('%s: no data mark reaches an axis line', (_, fig) => {
      const [bottom, left] = groupNamed(fig, 'axes')!.marks as LineMark[];
      const half = (bottom.width ?? 1) / 2;
      const data = fig.marks.filter((m) => m.kind === 'group' && /^(spectrum|series |reference)/.test(m.className ?? ''));
      expect(data.length).toBeGreaterThan(0);
      for (const [m] of scaled(data)) {
        const boxes: [number, number, number, number][] = [];
        if (m.kind === 'rect') boxes.push([m.x, m.y, m.x + m.width, m.y + m.height]);
        if (m.kind === 'circle') boxes.push([m.cx - m.r, m.cy - m.r, m.cx + m.r, m.cy + m.r]);
        if (m.kind === 'path') for (const [x, y] of m.points) boxes.push([x, y, x, y]);
        if (m.kind === 'line') boxes.push([Math.min(m.x1, m.x2), Math.min(m.y1, m.y2), Math.max(m.x1, m.x2), Math.max(m.y1, m.y2)]);
        for (const [x0, , , y1] of boxes) {
          if (m.kind === 'line') continue; // a reference line runs from axis to edge, drawn under the axis line
          expect(x0, `${m.kind} at x ${x0}`).toBeGreaterThan(left.x1 + half);
          expect(y1, `${m.kind} at y ${y1}`).toBeLessThan(bottom.y1 - half);
        }
      }
    });
  });
}

describe('series', () => {
  it('differ in marker and dash as well as colour, and the model line is labelled', () => {
    const fig = atlasFigure(atlas, { kind: 'truncation', class: 1 }, PROVENANCE, { size: 'column' });
    const series = fig.marks.filter((m) => m.kind === 'group' && m.className?.startsWith('series ')) as Extract<Mark, { kind: 'group' }>[];
    expect(series).toHaveLength(2);
    const look = series.map((g) => {
      const line = g.marks.find((m) => m.kind === 'path' && m.className === 'line') as Extract<Mark, { kind: 'path' }>;
      const marker = g.marks.find((m) => m !== line)!;
      return { color: line.stroke, dash: (line.dash ?? []).join(' '), marker: marker.kind };
    });
    expect(look[0].color).not.toBe(look[1].color);
    expect(look[0].dash).not.toBe(look[1].dash);
    expect(look[0].marker).not.toBe(look[1].marker);
    const reference = groupNamed(fig, 'reference')!;
    expect(textsIn(reference).map((t) => t.text)).toEqual(['model']);
    expect(textsIn(groupNamed(fig, 'legend')).map((t) => t.text)).toEqual(['all classes', 'class-1 (Trouser) recall', 'model (91.0%)']);
  });

  it('the truncation range fits the values, from just below the lowest to just above the highest', () => {
    const fig = atlasFigure(atlas, { kind: 'truncation' }, PROVENANCE, { size: 'column' });
    const ticks = textsIn(groupNamed(fig, 'ticks')).filter((t) => t.anchor === 'end').map((t) => Number(t.text));
    // accuracies 0.5 … 0.875 and the model's 0.91: 50 % to 100 % in steps of 10
    expect(ticks).toEqual([50, 60, 70, 80, 90, 100]);
  });
});
