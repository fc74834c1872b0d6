// Two language-model runs' eigenvectors of Q_ℓ(u) matched by rank and by the optimal assignment,
// |cos| on 0 to 1 by rank in run a, the two told apart by colour, marker and dash, and the caveat
// (residual-stream bases line up only for runs that share their initialisation) under the title.
import type { LmComparison } from '../../engine/analysis/lm-atlas-types';
import { formatFixed } from '../number-format';
import { chartFrame } from './chart';
import { provenanceFor } from './common';
import { OKABE_ITO, type Figure, type Mark, type Provenance } from './figure';
import { layerAndDirection } from './lm-common';
import { markerRadius, series, type LegendItem } from './legend';
import { figureStyle, type FigureOptions } from './style';
import { niceDomain, tickCount, wholeTicks } from './ticks';

export function lmCompareFigure(c: LmComparison, provenance: Provenance, options: FigureOptions = {}): Figure {
  const style = figureStyle(options);
  const title = `|cos| of matched eigenvectors of Q for ${layerAndDirection(c.layer, c.direction)}: run ${c.a} vs run ${c.b}`;
  const byAssignment = [...c.assignment].sort((p, q) => p.a - q.a);
  const n = Math.max(c.byRank.length, byAssignment.length, 2);
  const items: (LegendItem & { points: [number, number][]; key: string })[] = [
    { label: `by assignment (mean ${formatFixed(c.meanAssignment, 3)})`, color: OKABE_ITO[5], marker: 'circle', points: byAssignment.map((p) => [p.a, p.cos]), key: 'by-assignment' },
    { label: `by rank (mean ${formatFixed(c.meanByRank, 3)})`, color: OKABE_ITO[1], marker: 'square', dash: [4 * style.line.data, 2 * style.line.data], points: c.byRank.map((v, i) => [i + 1, v]), key: 'by-rank' },
  ];
  const y = niceDomain(0, 1, 5);
  const frame = chartFrame({
    style,
    title,
    note: c.caveat,
    legend: items,
    x: { domain: [1, n], ticks: wholeTicks(1, n, tickCount(style.width - 80, n, style.font.tick)), label: `rank in run ${c.a} (by |λ|)` },
    y: { domain: y.domain, ticks: y.ticks, label: '|cos|' },
    inset: { x: markerRadius(style) + 2, y: markerRadius(style) + 1 },
  });
  const clamp = (v: number) => Math.max(0, Math.min(1, Number.isFinite(v) ? v : 0));
  const lines: Mark[] = items.map((s) => series(s.points.map(([r, v]) => [frame.x(r), frame.y(clamp(v))]), s, style, s.key));
  return {
    width: frame.width,
    height: frame.height,
    title,
    provenance: provenanceFor(provenance, 'lm-compare', { b: c.b, layer: c.layer, direction: c.direction.spec, count: c.count }),
    marks: [...frame.head, ...lines, ...frame.axes],
  };
}
