// What the language-model figures share: how an output direction and a token are named in a
// title or a label, which reading a spectrum is (exact for bilinear), and how much text fits.
import type { LmDirection, LmToken } from '../../engine/analysis/lm-atlas-types';
import { textWidth } from './text-metrics';

/** ‘dog’, or ‘he’ − ‘she’ for a difference, or the vector's label. */
export function directionName(d: LmDirection): string {
  switch (d.kind) {
    case 'token':
      return quoted(d.token.text);
    case 'difference':
      return `${quoted(d.plus.text)} − ${quoted(d.minus.text)}`;
    case 'vector':
      return d.label;
  }
}

/** A token's text between curly quotes, its leading space kept visible inside them; line breaks as ⏎. */
export function quoted(s: string): string {
  return `‘${visible(s)}’`;
}

/** Text as one line: line breaks as ⏎, tabs as spaces. */
export function visible(s: string): string {
  return s.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
}

export const tokenLabel = (t: LmToken): string => quoted(t.text);

/** "layer 1, ‘dog’": what every title of one layer and direction ends with. */
export const layerAndDirection = (layer: number, d: LmDirection): string => `${directionName(d)}, layer ${layer}`;

export function readingKind(exact: boolean): string {
  return exact ? 'exact (bilinear MLP)' : 'first order (gated MLP)';
}

/** `s` cut with … so that it is at most `width` px wide at `size` px. */
export function fitText(s: string, width: number, size: number, weight: 'normal' | 'bold' = 'normal'): string {
  if (textWidth(s, size, weight) <= width) return s;
  let out = s;
  while (out.length > 1 && textWidth(`${out}…`, size, weight) > width) out = out.slice(0, -1);
  return `${out}…`;
}

/** A direction as part of a file name: dog, he-she; anything else as _. */
export const directionSlug = (spec: string): string => spec.replace(/[^A-Za-z0-9-]+/g, '_').replace(/^_+|_+$/g, '') || 'token';
