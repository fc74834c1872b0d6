// How the atlas states its numbers: eigenvalues and contributions to three significant digits
// (as the exported figures print them), fractions as percentages.

/** 3 significant digits, or exponent notation outside [0.01, 1000); "−" as the minus sign. */
export function sig(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a >= 0.01 && a < 1000 ? v.toPrecision(3) : v.toExponential(2);
  return s.replace('-', '−');
}

/** a signed value with its sign always shown: +1.23, −0.456 */
export const signed = (v: number): string => (v > 0 ? `+${sig(v)}` : sig(v));

export const featureLabel = (cls: number, rank: number, eigenvalue: number): string => `class ${cls} eigenvector rank ${rank}, λ = ${sig(eigenvalue)}`;
