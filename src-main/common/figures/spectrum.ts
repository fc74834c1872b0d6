// A class's spectrum: λ against rank (by |λ|) as bars from 0, positive eigenvalues red and negative
// blue (as the heatmaps colour them; the side of the zero line says the sign as well), each bar
// naming its rank and λ on hover.
import { divergingColor } from '../colormap';
import type { Atlas } from '../../engine/analysis/atlas-types';
import { formatNumber } from '../number-format';
import { chartFrame } from './chart';
import { className, findClass, provenanceFor } from './common';
import { group, line, rect, type Figure, type Mark, type Provenance } from './figure';
import { figureStyle, type FigureOptions, type FigureStyle } from './style';
import { niceDomain, tickCount, wholeTicks } from './ticks';

export interface SpectrumChartInput {
  /** eigenvalues ordered by |λ| descending */
  values: readonly number[];
  title: string;
  provenance: Provenance;
  /** the line under the title; default: how many eigenvalues of each sign */
  note?: string;
  style?: FigureStyle;
}

export function spectrumChart(o: SpectrumChartInput): Figure {
  const style = o.style ?? figureStyle();
  const n = o.values.length;
  const pos = o.values.filter((v) => v > 0).length;
  const finite = o.values.filter(Number.isFinite);
  const y = niceDomain(finite.reduce((m, v) => Math.min(m, v), 0), finite.reduce((m, v) => Math.max(m, v), 0), 5);
  const xTicks = wholeTicks(1, Math.max(1, n), tickCount(style.width - 80, n, style.font.tick));
  const frame = chartFrame({
    style,
    title: o.title,
    note: o.note ?? `${pos} positive, ${n - pos} negative eigenvalues`,
    x: { domain: [0.5, Math.max(1, n) + 0.5], ticks: xTicks, label: 'rank (by |λ|)' },
    y: { domain: y.domain, ticks: y.ticks, label: 'eigenvalue λ' },
    // the first bar stands clear of the y axis, the longest short of the x axis
    inset: { x: style.line.axis + 1, y: style.line.axis },
  });
  const slot = frame.box.w / Math.max(1, n);
  const bw = Math.max(style.line.thin, slot * 0.7);
  const y0 = frame.y(0);
  const bars: Mark[] = o.values.map((v, i) => {
    const y1 = frame.y(Number.isFinite(v) ? v : 0);
    const sign = v >= 0 ? 'positive' : 'negative';
    return group([rect(frame.x(i + 1) - bw / 2, Math.min(y0, y1), bw, Math.abs(y1 - y0), divergingColor(v >= 0 ? 1 : -1))], {
      className: `bar ${sign}`,
      data: { rank: i + 1, eigenvalue: v },
      title: `rank ${i + 1}: λ = ${formatNumber(v)}`,
    });
  });
  const zero = line(frame.box.x, y0, frame.box.x + frame.box.w, y0, '#222222', { width: style.line.thin });
  return { width: frame.width, height: frame.height, title: o.title, provenance: o.provenance, marks: [...frame.head, group(bars, { className: 'spectrum' }), zero, ...frame.axes] };
}

/** The `spectrum` figure: { class }. */
export function spectrumFigure(atlas: Atlas, spec: { class: number }, provenance: Provenance, options: FigureOptions = {}): Figure {
  const k = findClass(atlas, spec.class);
  return spectrumChart({
    values: k.eigenvalues,
    title: `spectrum of Q for ${className(spec.class, k.label)}`,
    provenance: provenanceFor(provenance, 'spectrum', { class: spec.class }),
    style: figureStyle(options),
  });
}
