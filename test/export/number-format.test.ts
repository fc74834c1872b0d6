// Numbers as a reader sees them: a true minus sign, m×10ⁿ instead of 1e-3, three significant
// digits by default, and one number of decimals along an axis.
import { describe, expect, it } from 'vitest';
import { formatFixed, formatNumber, formatPercent, formatSigned, formatTicks, MINUS, superscript } from '../../src-main/common/number-format';

describe('formatNumber', () => {
  it('writes three significant digits between 0.01 and 1000', () => {
    expect(formatNumber(1.23456)).toBe('1.23');
    expect(formatNumber(0.0123456)).toBe('0.0123');
    expect(formatNumber(123.456)).toBe('123');
    expect(formatNumber(0.5)).toBe('0.500');
    expect(formatNumber(0)).toBe('0');
  });

  it('uses U+2212 for negative numbers, never a hyphen', () => {
    expect(MINUS).toBe('\u2212');
    expect(formatNumber(-0.25)).toBe('\u22120.250');
    expect(formatNumber(-1234)).toBe('\u22121.23×10³');
    expect(formatNumber(-Infinity)).toBe('\u2212∞');
  });

  it('writes very small and very large values as m×10ⁿ', () => {
    expect(formatNumber(0.004567)).toBe('4.57×10⁻³');
    expect(formatNumber(-0.004567)).toBe('−4.57×10⁻³');
    expect(formatNumber(45678)).toBe('4.57×10⁴');
    expect(formatNumber(1e-12)).toBe('1.00×10⁻¹²');
  });

  it('decides the notation after rounding', () => {
    expect(formatNumber(999.7)).toBe('1.00×10³');
    expect(formatNumber(0.0099996)).toBe('0.0100');
  });

  it('takes another number of significant digits', () => {
    expect(formatNumber(3.14159, 2)).toBe('3.1');
    expect(formatNumber(-0.000314159, 2)).toBe('−3.1×10⁻⁴');
  });
});

describe('fixed, percent, signed', () => {
  it('keeps decimals, and drops the sign of a value that rounds to zero', () => {
    expect(formatFixed(-0.1234, 3)).toBe('−0.123');
    expect(formatFixed(-0.0001, 2)).toBe('0.00');
    expect(formatFixed(2, 2)).toBe('2.00');
  });

  it('writes fractions as percentages', () => {
    expect(formatPercent(0.9061)).toBe('90.61%');
    expect(formatPercent(0.9061, 1)).toBe('90.6%');
    expect(formatPercent(-0.02, 1)).toBe('−2.0%');
  });

  it('always shows the sign of a signed value', () => {
    expect(formatSigned(2)).toBe('+2.00');
    expect(formatSigned(-2)).toBe('−2.00');
    expect(formatSigned(0)).toBe('0');
  });

  it('writes superscript exponents', () => {
    expect(superscript(-3)).toBe('⁻³');
    expect(superscript(10)).toBe('¹⁰');
  });
});

describe('formatTicks', () => {
  it('gives every tick of an axis the same number of decimals', () => {
    expect(formatTicks([-0.1, -0.05, 0, 0.05, 0.1])).toEqual(['−0.10', '−0.05', '0.00', '0.05', '0.10']);
    expect(formatTicks([0, 0.2, 0.4, 0.6, 0.8, 1])).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(formatTicks([1, 50, 100, 150, 200, 256])).toEqual(['1', '50', '100', '150', '200', '256']);
    expect(formatTicks([80, 82.5, 85])).toEqual(['80.0', '82.5', '85.0']);
  });

  it('writes tiny and huge axes with one shared power of ten', () => {
    expect(formatTicks([0, 0.002, 0.004, 0.006])).toEqual(['0', '2×10⁻³', '4×10⁻³', '6×10⁻³']);
    expect(formatTicks([-0.0005, 0, 0.0005, 0.001])).toEqual(['−0.5×10⁻³', '0', '0.5×10⁻³', '1.0×10⁻³']);
    expect(formatTicks([0, 200000, 400000])).toEqual(['0', '2×10⁵', '4×10⁵']);
  });

  it('never writes e-notation or a hyphen-minus', () => {
    const labels = [[-3e-7, 0, 3e-7], [-12, -6, 0, 6], [1e9, 2e9]].flatMap((t) => formatTicks(t));
    for (const s of labels) expect(s).not.toMatch(/e[+-]?\d|-/);
  });
});
