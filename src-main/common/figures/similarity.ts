// Cross-run similarity by rank: mean |cos| over classes of matched input-space eigenvectors, matched
// by the optimal assignment and by rank, on 0 to 1; the two told apart by colour, marker and dash.
import type { AtlasComparison } from '../../engine/analysis/atlas-types';
import { chartFrame } from './chart';
import { provenanceFor } from './common';
import { OKABE_ITO, type Figure, type Mark, type Provenance } from './figure';
import { markerRadius, series, type LegendItem } from './legend';
import { figureStyle, type FigureOptions } from './style';
import { niceDomain, tickCount, wholeTicks } from './ticks';

/** The `compare-similarity` figure. */
export function similarityFigure(cmp: AtlasComparison, provenance: Provenance, options: FigureOptions = {}): Figure {
  const style = figureStyle(options);
  const title = `|cos| of matched eigenvectors: run ${cmp.a.runId} vs run ${cmp.b.runId}`;
  const n = Math.max(cmp.byRank.length, cmp.byAssignment.length, 2);
  const items: (LegendItem & { values: number[]; key: string })[] = [
    { label: 'matched by assignment', color: OKABE_ITO[5], marker: 'circle', values: cmp.byAssignment, key: 'by-assignment' },
    { label: 'matched by rank', color: OKABE_ITO[1], marker: 'square', dash: [4 * style.line.data, 2 * style.line.data], values: cmp.byRank, key: 'by-rank' },
  ];
  const y = niceDomain(0, 1, 5);
  const frame = chartFrame({
    style,
    title,
    note: `${cmp.a.gate} vs ${cmp.b.gate}, top ${cmp.count} per class, mean over classes`,
    legend: items,
    x: { domain: [1, n], ticks: wholeTicks(1, n, tickCount(style.width - 80, n, style.font.tick)), label: `rank in run ${cmp.a.runId} (by |λ|)` },
    y: { domain: y.domain, ticks: y.ticks, label: 'mean |cos|' },
    inset: { x: markerRadius(style) + 2, y: markerRadius(style) + 1 },
  });
  const lines: Mark[] = items.map((s) => series(s.values.map((v, i) => [frame.x(i + 1), frame.y(Math.max(0, Math.min(1, v)))]), s, style, s.key));
  return { width: frame.width, height: frame.height, title, provenance: provenanceFor(provenance, 'compare-similarity', { b: cmp.b.runId }), marks: [...frame.head, ...lines, ...frame.axes] };
}
