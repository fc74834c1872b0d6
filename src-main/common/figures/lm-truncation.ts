// The truncation curve of Q_ℓ(u): the fraction of uᵀMLP(x̂) over validation positions explained by
// the top k components by |λ|, against k on a log axis (the first few components matter most),
// with 1 (all explained) as a labelled reference line.
import type { LmSpectrum } from '../../engine/analysis/lm-atlas-types';
import { formatTicks } from '../number-format';
import { chartFrame } from './chart';
import { provenanceFor } from './common';
import { group, line, MUTED, OKABE_ITO, text, type Figure, type Provenance } from './figure';
import { faithfulnessLine } from './lm-spectrum';
import { layerAndDirection } from './lm-common';
import { markerRadius, series } from './legend';
import { figureStyle, PX_PER_PT, type FigureOptions } from './style';
import { niceDomain, type Tick } from './ticks';

/** Ticks of a log axis over whole numbers [lo, hi]: both ends, and the powers of ten (and 2, 5 × them when few) well inside. */
export function logTicks(lo: number, hi: number): Tick[] {
  const inside: number[] = [];
  const decades = Math.log10(hi / lo);
  const mantissas = decades < 1.5 ? [1, 2, 5] : [1];
  for (let e = 0; 10 ** e <= hi; e++) for (const m of mantissas) inside.push(m * 10 ** e);
  // a tick between the ends stands at least a fifth of a decade clear of either
  const clear = (v: number) => Math.log10(v / lo) > 0.2 && Math.log10(hi / v) > 0.2;
  const values = [lo, ...inside.filter(clear), ...(hi > lo ? [hi] : [])];
  const labels = formatTicks(values);
  return values.map((v, i) => ({ at: Math.log10(v), label: labels[i] }));
}

export function lmTruncationFigure(s: LmSpectrum, provenance: Provenance, options: FigureOptions = {}): Figure {
  const style = figureStyle(options);
  const points = s.truncation.filter((p) => p.k >= 1 && Number.isFinite(p.explained));
  const ks = points.map((p) => p.k);
  const lo = ks.length > 0 ? Math.min(...ks) : 1;
  const hi = ks.length > 0 ? Math.max(...ks, lo + 1) : 2;
  const values = points.map((p) => p.explained);
  const y = niceDomain(Math.min(0, ...values), Math.max(1, ...values), 5);
  const title = `fraction explained by the top k components of Q for ${layerAndDirection(s.layer, s.direction)}`;
  const frame = chartFrame({
    style,
    title,
    note: faithfulnessLine(s),
    x: { domain: [Math.log10(lo), Math.log10(hi)], ticks: logTicks(lo, hi), label: 'components kept (k, by |λ|, log scale)' },
    y: { domain: y.domain, ticks: y.ticks, label: 'fraction explained' },
    inset: { x: markerRadius(style) + 2, y: markerRadius(style) + 1 },
  });
  const curve = series(
    points.map((p) => [frame.x(Math.log10(p.k)), frame.y(p.explained)]),
    { label: 'fraction explained', color: OKABE_ITO[5], marker: 'circle' },
    style,
    'explained',
  );
  const ry = frame.y(1);
  const dash = [3 * PX_PER_PT, 2 * PX_PER_PT];
  const reference = group([line(frame.box.x, ry, frame.box.x + frame.box.w, ry, '#666666', { width: style.line.thin, dash }), text(frame.box.x + 4, ry + style.font.tick + 1, 'all of it', { size: style.font.tick, fill: MUTED })], {
    className: 'reference',
  });
  return {
    width: frame.width,
    height: frame.height,
    title,
    provenance: provenanceFor(provenance, 'lm-truncation', { layer: s.layer, direction: s.direction.spec }),
    marks: [...frame.head, reference, curve, ...frame.axes],
  };
}
