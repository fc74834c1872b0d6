// A feature's top tokens: the tokens whose embeddings (through the MLP's norm) project most on the
// eigenvector, positive ones as red bars to the right of zero and negative ones as blue bars to the
// left, one row each, the token's text on the other side of the zero line from its bar.
import type { LmFeature, LmTokenProjection } from '../../engine/analysis/lm-atlas-types';
import { divergingColor } from '../colormap';
import { formatNumber } from '../number-format';
import { headingBlock, plotAxes } from './chart';
import { provenanceFor } from './common';
import { group, line, MUTED, rect, text, type Figure, type Mark, type Provenance } from './figure';
import { fitText, layerAndDirection, tokenLabel } from './lm-common';
import { figureStyle, type FigureOptions } from './style';
import { niceDomain } from './ticks';

/** "‘dog’, layer 1: eigenvector #3, λ = 0.412": names one feature in its figures' titles. */
export const featureTitle = (f: Pick<LmFeature, 'layer' | 'direction' | 'rank' | 'eigenvalue'>): string =>
  `${layerAndDirection(f.layer, f.direction)}: eigenvector #${f.rank}, λ = ${formatNumber(f.eigenvalue)}`;

export function lmTokensFigure(f: LmFeature, provenance: Provenance, options: FigureOptions = {}): Figure {
  const style = figureStyle(options);
  const { font, pad } = style;
  const title = `${featureTitle(f)}: top tokens`;
  const head = headingBlock(style, title, 'vᵀx̂(token): each token’s embedding through the MLP’s norm, read on v (the direct path)');
  const rows: LmTokenProjection[] = [...f.topTokens.positive, ...f.topTokens.negative];
  const size = font.tick;
  const rowH = Math.max(size * 1.45, 9);
  const values = rows.map((r) => r.projection).filter(Number.isFinite);
  const big = Math.max(1e-12, ...values.map(Math.abs));
  const x = niceDomain(-big, big, 4);
  const top = pad + head.height + size * 0.6;
  const box = { x: pad + size, y: top, w: style.width - 2 * pad - 2 * size, h: Math.max(rowH, rows.length * rowH) };
  const axes = plotAxes(box, { domain: x.domain, ticks: x.ticks, label: 'vᵀx̂ (projection on v)' }, { domain: [0, 1], ticks: [], label: '' }, style);
  const x0 = axes.x(0);
  const labelRoom = Math.min(x0 - box.x, box.x + box.w - x0) - 4;
  const bars: Mark[] = rows.map((r, i) => {
    const cy = top + (i + 0.5) * rowH;
    const x1 = axes.x(Number.isFinite(r.projection) ? r.projection : 0);
    const positive = r.projection >= 0;
    const label = fitText(tokenLabel(r), labelRoom, size);
    return group(
      [
        rect(Math.min(x0, x1), cy - rowH * 0.35, Math.abs(x1 - x0), rowH * 0.7, divergingColor(positive ? 0.85 : -0.85)),
        text(positive ? x0 - 4 : x0 + 4, cy + size * 0.35, label, { size, anchor: positive ? 'end' : 'start' }),
      ],
      { className: `token ${positive ? 'positive' : 'negative'}`, data: { id: r.id, projection: r.projection }, title: `${tokenLabel(r)} (id ${r.id}, ${r.token}): vᵀx̂ = ${formatNumber(r.projection)}` },
    );
  });
  // a divider between the positive and the negative tokens
  const split = f.topTokens.positive.length;
  const divider: Mark[] = split > 0 && split < rows.length ? [line(box.x, top + split * rowH, box.x + box.w, top + split * rowH, '#cccccc', { width: style.line.thin })] : [];
  const zero = line(x0, box.y, x0, box.y + box.h, '#222222', { width: style.line.thin });
  const empty: Mark[] = rows.length === 0 ? [text(box.x + 4, top + rowH * 0.7, 'no tokens', { size, fill: MUTED })] : [];
  // the y axis stands for nothing here: only the x axis and its ticks are kept
  const xAxis = axes.marks.filter((m) => !(m.kind === 'text' && m.rotate === -90));
  const height = Math.ceil(box.y + box.h + style.tick + 3 + size * 1.05 + font.label * 1.35 + pad);
  return {
    width: style.width,
    height,
    title,
    provenance: provenanceFor(provenance, 'lm-tokens', { layer: f.layer, direction: f.direction.spec, rank: f.rank }),
    marks: [...head.marks, ...divider, group(bars, { className: 'tokens' }), zero, ...empty, ...xAxis],
  };
}
