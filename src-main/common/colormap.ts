// How a feature is coloured, the same on screen and in every exported figure: a diverging
// blue–white–red map centred at 0 (ColorBrewer RdBu ends), each image on its own symmetric range.
// Node-free: the renderer imports it alongside the contract.

export const NEGATIVE_RGB: readonly [number, number, number] = [33, 102, 172]; // #2166ac
export const POSITIVE_RGB: readonly [number, number, number] = [178, 24, 43]; // #b2182b

/** t in [-1, 1] (clamped; non-finite → 0) to [r, g, b]: 0 → white, -1 → blue, +1 → red. */
export function divergingRgb(t: number): [number, number, number] {
  const x = Number.isFinite(t) ? Math.max(-1, Math.min(1, t)) : 0;
  const end = x < 0 ? NEGATIVE_RGB : POSITIVE_RGB;
  const a = Math.abs(x);
  return [Math.round(255 + (end[0] - 255) * a), Math.round(255 + (end[1] - 255) * a), Math.round(255 + (end[2] - 255) * a)];
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The same colour as #rrggbb. */
export function divergingColor(t: number): string {
  const [r, g, b] = divergingRgb(t);
  return `#${HEX[r]}${HEX[g]}${HEX[b]}`;
}
