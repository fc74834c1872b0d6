// A prompt explained: one row per position (its token at the left), and per layer shown a bar of
// the layer's direct contribution to the direction's logit there (red raises it, blue lowers it)
// with its value, and under it the layer's top components λ(vᵀx̂)² and the rest. One layer, or
// every layer side by side on one shared scale.
import type { LmExplanation } from '../../engine/analysis/lm-atlas-types';
import { divergingColor } from '../colormap';
import { formatSigned } from '../number-format';
import { headingBlock, plotAxes } from './chart';
import { provenanceFor } from './common';
import { ExportError } from './errors';
import { group, line, rect, text, MUTED, type Figure, type Mark, type Provenance } from './figure';
import { directionName, fitText, quoted } from './lm-common';
import { figureStyle, type FigureOptions } from './style';
import { textWidth } from './text-metrics';
import { niceDomain } from './ticks';

type Layer = LmExplanation['layers'][number];
type Position = Layer['positions'][number];

/** "#3 +0.412 · #1 −0.220 · rest +0.051" */
export function componentsLine(p: Position): string {
  return [...p.components.map((c) => `#${c.rank} ${formatSigned(c.contribution)}`), `rest ${formatSigned(p.remainder)}`].join(' · ');
}

export function lmExplanationFigure(ex: LmExplanation, spec: { layer?: number }, provenance: Provenance, options: FigureOptions = {}): Figure {
  const layers = spec.layer === undefined ? ex.layers : ex.layers.filter((l) => l.layer === spec.layer);
  if (layers.length === 0) throw new ExportError(`unknown layer ${spec.layer}: this model has layers ${ex.layers.map((l) => l.layer).join(', ')}`);
  const style = figureStyle(options);
  const { font, pad } = style;
  const which = layers.length === 1 ? `layer ${layers[0].layer}` : 'each layer';
  const title = `the logit of ${directionName(ex.direction)}: ${which}’s MLP at each position of the prompt`;
  const head = headingBlock(style, title, 'bars: the layer’s direct contribution uᵀMLP(x̂)/rms; under them its top components λ(vᵀx̂)² and the rest');
  const size = font.label;
  const small = font.tick;
  const rowH = size * 1.35 + small * 1.35;
  const tokenW = Math.min(style.width * 0.25, Math.max(textWidth('token', size), ...ex.tokens.map((t) => textWidth(quoted(t.text), size))) + 6);
  const values = layers.flatMap((l) => l.positions.map((p) => p.total)).filter(Number.isFinite);
  const big = Math.max(1e-12, ...values.map(Math.abs));
  const x = niceDomain(-big, big, 2);
  const colTop = pad + head.height + size * 1.6;
  // room between the columns for the tick labels at their ends
  const gap = size + Math.max(...x.ticks.map((t) => textWidth(t.label, font.tick)));
  const colW = (style.width - 2 * pad - tokenW - gap * layers.length) / layers.length;
  const box = (i: number) => ({ x: pad + tokenW + gap + i * (colW + gap), y: colTop, w: colW, h: Math.max(1, ex.tokens.length) * rowH });
  const marks: Mark[] = [...head.marks];
  const rowY = (i: number) => colTop + i * rowH;
  ex.tokens.forEach((t, i) => marks.push(text(pad + tokenW - 4, rowY(i) + size * 1.05, fitText(quoted(t.text), tokenW - 4, size), { size, anchor: 'end' })));
  layers.forEach((l, li) => {
    const b = box(li);
    const axes = plotAxes(b, { domain: x.domain, ticks: x.ticks, label: `layer ${l.layer}` }, { domain: [0, 1], ticks: [], label: '' }, style);
    const x0 = axes.x(0);
    const rows: Mark[] = l.positions.map((p) => {
      const y = rowY(p.position);
      const x1 = axes.x(Number.isFinite(p.total) ? p.total : 0);
      const up = p.total >= 0;
      const value = formatSigned(p.total);
      const vw = textWidth(value, small);
      // the value beside the bar's end, or across the zero line when it would leave the column
      const vx = up ? (x1 + 3 + vw <= b.x + b.w ? x1 + 3 : x0 - 3 - vw) : x1 - 3 - vw >= b.x + 2 ? x1 - 3 - vw : x0 + 3;
      return group(
        [
          rect(Math.min(x0, x1), y + size * 0.2, Math.abs(x1 - x0), size * 1.0, divergingColor(up ? 0.85 : -0.85)),
          // zero, beside the bar only: the components' line under it stays clear
          line(x0, y + size * 0.05, x0, y + size * 1.35, '#222222', { width: style.line.thin }),
          text(vx, y + size * 1.05, value, { size: small }),
          text(b.x + 3, y + size * 1.35 + small * 1.0, fitText(componentsLine(p), b.w - 6, small), { size: small, fill: MUTED }),
        ],
        { className: 'position', data: { layer: l.layer, position: p.position, total: p.total }, title: `${quoted(ex.tokens[p.position]?.text ?? '')}, layer ${l.layer}: ${value} (${componentsLine(p)})` },
      );
    });
    marks.push(group(rows, { className: `layer layer-${l.layer}` }));
    marks.push(...axes.marks.filter((m) => !(m.kind === 'text' && m.rotate === -90)));
  });
  marks.push(text(pad + tokenW - 4, colTop - size * 0.5, 'token', { size, anchor: 'end', fill: MUTED }));
  const height = Math.ceil(colTop + Math.max(1, ex.tokens.length) * rowH + style.tick + 3 + small * 1.05 + font.label * 1.35 + pad);
  return {
    width: style.width,
    height,
    title,
    provenance: provenanceFor(provenance, 'lm-explanation', { direction: ex.direction.spec, tokens: ex.tokens.length, ...(spec.layer !== undefined ? { layer: spec.layer } : {}) }),
    marks,
  };
}
