// How every number meant for a reader is written, on screen, in exported figures and in the HTML
// atlas: a true minus sign (U+2212), scientific notation as m×10ⁿ (never 1e-3), and the labels of
// one axis all with the same number of decimals. Node-free: the renderer imports it too.

export const MINUS = '\u2212';

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** An integer as superscript digits, with a superscript minus: −3 → ⁻³. */
export function superscript(n: number): string {
  const digits = String(Math.abs(Math.trunc(n)))
    .split('')
    .map((d) => SUPERSCRIPT_DIGITS[Number(d)])
    .join('');
  return n < 0 ? `⁻${digits}` : digits;
}

/** A hyphen-minus at the front (as JavaScript writes negative numbers) as a true minus sign. */
function minus(s: string): string {
  return s.startsWith('-') ? MINUS + s.slice(1) : s;
}

function nonFinite(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : `${MINUS}∞`;
}

/** The decimal exponent of |v| once rounded to `digits` significant digits (999.7 → 3 at 3 digits). */
function exponentOf(v: number, digits: number): number {
  return Number(v.toExponential(Math.max(0, digits - 1)).split('e')[1]);
}

/**
 * `digits` significant digits (default 3): 0.0123, 1.23, 123; outside [0.01, 1000) as
 * 1.23×10⁻³ or 4.56×10⁴. Zero is 0; NaN and ±∞ as such.
 */
export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  if (v === 0) return '0';
  const e = exponentOf(v, digits);
  if (e >= -2 && e < 3) return minus(v.toFixed(Math.max(0, digits - 1 - e)));
  const mantissa = (v / 10 ** e).toFixed(Math.max(0, digits - 1));
  return `${minus(mantissa)}×10${superscript(e)}`;
}

/** A fixed number of decimals with a true minus; a value that rounds to zero has no sign. */
export function formatFixed(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : minus(s);
}

/** A fraction as a percentage: 0.9061 → 90.61% (two decimals unless told). */
export function formatPercent(x: number, decimals = 2): string {
  return `${formatFixed(100 * x, decimals)}%`;
}

/** A value with its sign always shown: +1.23, −0.456, 0. */
export function formatSigned(v: number, digits = 3): string {
  return v > 0 ? `+${formatNumber(v, digits)}` : formatNumber(v, digits);
}

/** The fewest decimals (up to 12) that write every value exactly, as round tick values are. */
function decimalsFor(values: readonly number[]): number {
  for (let d = 0; d < 12; d++) {
    const f = 10 ** d;
    if (values.every((v) => Math.abs(v * f - Math.round(v * f)) < 1e-6 * Math.max(1, Math.abs(v * f)))) return d;
  }
  return 12;
}

/**
 * The labels of one axis's ticks, all with the same number of decimals (−0.05, 0.00, 0.05,
 * 0.10); when the largest is under 0.01 or from 100 000 on, all as m×10ⁿ with one shared n.
 */
export function formatTicks(values: readonly number[]): string[] {
  const finite = values.filter(Number.isFinite);
  const largest = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (largest === 0) return values.map((v) => (Number.isFinite(v) ? '0' : nonFinite(v)));
  const e = Math.floor(Math.log10(largest) + 1e-12);
  if (e >= -2 && e < 5) {
    const d = decimalsFor(finite);
    return values.map((v) => formatFixed(v, d));
  }
  const scale = 10 ** e;
  const d = decimalsFor(finite.map((v) => v / scale));
  return values.map((v) => (!Number.isFinite(v) ? nonFinite(v) : v === 0 ? '0' : `${formatFixed(v / scale, d)}×10${superscript(e)}`));
}
