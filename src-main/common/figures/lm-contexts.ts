// A feature's top contexts: the validation windows where λ(vᵀx̂)² is largest, one line each, the
// token read set bold on a tint of its contribution's sign (red raises the logit, blue lowers it),
// as much text around it as fits, and the contribution and vᵀx̂ at the right.
import type { LmContext, LmFeature } from '../../engine/analysis/lm-atlas-types';
import { divergingColor } from '../colormap';
import { formatSigned, formatNumber } from '../number-format';
import { headingBlock } from './chart';
import { provenanceFor } from './common';
import { group, MUTED, rect, text, type Figure, type Mark, type Provenance } from './figure';
import { visible } from './lm-common';
import { featureTitle } from './lm-tokens';
import { figureStyle, type FigureOptions } from './style';
import { textWidth } from './text-metrics';

/** The pieces around `at` that fit in `width` px at `size`: as many on the left as fit in its share, the rest on the right. */
export function contextWindow(c: Pick<LmContext, 'pieces' | 'at'>, width: number, size: number): { before: string; token: string; after: string } {
  const w = (s: string, weight: 'normal' | 'bold' = 'normal') => textWidth(s, size, weight);
  // the read token's leading space goes before it: the tint covers the word alone
  const piece = visible(c.pieces[c.at] ?? '');
  const token = piece.trimStart();
  let room = width - w(token, 'bold') - w(piece.slice(0, piece.length - token.length));
  let before = piece.slice(0, piece.length - token.length);
  for (let i = c.at - 1; i >= 0; i--) {
    const next = visible(c.pieces[i]) + before;
    if (w(`…${next}`) > room * 0.6) {
      before = `…${before.trimStart()}`;
      break;
    }
    before = next;
  }
  room -= w(before) - w(piece.slice(0, piece.length - token.length));
  let after = '';
  for (let i = c.at + 1; i < c.pieces.length; i++) {
    const next = after + visible(c.pieces[i]);
    if (w(`${next}…`) > room) {
      after = `${after}…`;
      break;
    }
    after = next;
  }
  return { before, token, after };
}

export function lmContextsFigure(f: LmFeature, provenance: Provenance, options: FigureOptions = {}): Figure {
  const style = figureStyle(options);
  const { font, pad } = style;
  const size = font.label;
  const title = `${featureTitle(f)}: top contexts`;
  const head = headingBlock(style, title, 'validation text where λ(vᵀx̂)² is largest; at the right λ(vᵀx̂)² and vᵀx̂ at the bold token');
  const rowH = size * 1.6;
  const values = f.topContexts.map((c) => [formatSigned(c.contribution), `vᵀx̂ ${formatNumber(c.projection)}`] as const);
  const valueW = Math.max(textWidth('+0.000', size), ...values.map(([a]) => textWidth(a, size, 'bold')));
  const projW = Math.max(0, ...values.map(([, b]) => textWidth(b, font.tick)));
  const textW = style.width - 2 * pad - valueW - projW - 2 * size;
  const top = pad + head.height + size * 0.4;
  const rows: Mark[] = f.topContexts.map((c, i) => {
    const y = top + (i + 0.8) * rowH;
    const win = contextWindow(c, textW, size);
    const x1 = pad + textWidth(win.before, size);
    const tw = textWidth(win.token, size, 'bold');
    return group(
      [
        rect(x1 - 1, y - size * 0.95, tw + 2, size * 1.25, divergingColor(c.contribution >= 0 ? 0.3 : -0.3)),
        text(pad, y, win.before, { size }),
        text(x1, y, win.token, { size, weight: 'bold' }),
        // a text's leading space is not drawn everywhere: it becomes an offset
        text(x1 + tw + textWidth(win.after.slice(0, win.after.length - win.after.trimStart().length), size), y, win.after.trimStart(), { size }),
        text(style.width - pad - projW - size, y, values[i][0], { size, weight: 'bold', anchor: 'end' }),
        text(style.width - pad, y, values[i][1], { size: font.tick, anchor: 'end', fill: MUTED }),
      ],
      { className: 'context', data: { position: c.position, contribution: c.contribution }, title: `validation position ${c.position}: λ(vᵀx̂)² = ${formatNumber(c.contribution)}, vᵀx̂ = ${formatNumber(c.projection)}` },
    );
  });
  const empty: Mark[] = f.topContexts.length === 0 ? [text(pad, top + rowH * 0.8, 'no contexts', { size, fill: MUTED })] : [];
  const height = Math.ceil(top + Math.max(1, f.topContexts.length) * rowH + pad);
  return {
    width: style.width,
    height,
    title,
    provenance: provenanceFor(provenance, 'lm-contexts', { layer: f.layer, direction: f.direction.spec, rank: f.rank }),
    marks: [...head.marks, group(rows, { className: 'contexts' }), ...empty],
  };
}
