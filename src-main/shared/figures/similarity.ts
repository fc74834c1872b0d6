// Cross-run similarity by rank: mean |cos| over classes of matched input-space eigenvectors, matched
// by rank and by the optimal assignment, from 0 to 1.
import { divergingColor } from '../colormap';
import type { AtlasComparison } from '../../engine/analysis/atlas-types';
import { heading, line, MUTED, text, textWidth, type Figure, type Mark, type Provenance } from './figure';
import { provenanceFor } from './common';
import { axes, integerTicks } from './parts';

/** The `compare-similarity` figure. */
export function similarityFigure(cmp: AtlasComparison, provenance: Provenance): Figure {
  const title = `|cos| of matched eigenvectors: run ${cmp.a.runId} vs run ${cmp.b.runId}`;
  const width = Math.max(480, Math.ceil(textWidth(title, 14, 'bold')) + 28);
  const height = 312;
  const box = { x: 64, y: 46, w: width - 84, h: height - 96 };
  const n = Math.max(cmp.byRank.length, cmp.byAssignment.length);
  const xr: [number, number] = [1, Math.max(n, 2)];
  const a = axes(box, xr, [0, 1], { xLabel: 'rank (by |λ|)', yLabel: 'mean |cos| over classes', xTicks: integerTicks(xr[0], xr[1]) });
  const marks: Mark[] = [heading(title), text(box.x + box.w, 36, `${cmp.a.gate} vs ${cmp.b.gate}, top ${cmp.count} per class`, { anchor: 'end', fill: MUTED, size: 10 }), ...a.marks];
  const series = [
    { name: 'by assignment', values: cmp.byAssignment, color: divergingColor(0.9), dash: undefined, className: 'by-assignment' },
    { name: 'by rank', values: cmp.byRank, color: divergingColor(-0.9), dash: [4, 3], className: 'by-rank' },
  ];
  series.forEach((s, j) => {
    const pts = s.values.map((v, i) => [a.x(i + 1), a.y(Math.max(0, Math.min(1, v)))] as [number, number]);
    if (pts.length > 0) marks.push({ kind: 'path', className: s.className, points: pts, stroke: s.color, width: 1.5, dash: s.dash });
    for (const [cx, cy] of pts) marks.push({ kind: 'circle', cx, cy, r: 2, fill: s.color });
    const ly = box.y + 10 + j * 16;
    marks.push(line(box.x + box.w - 120, ly, box.x + box.w - 96, ly, s.color, { width: 1.5, dash: s.dash }));
    marks.push(text(box.x + box.w - 90, ly + 4, s.name, { size: 10 }));
  });
  return { width, height, title, provenance: provenanceFor(provenance, 'compare-similarity', { b: cmp.b.runId }), marks };
}
