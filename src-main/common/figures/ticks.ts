// Where an axis has its ticks: round steps (1, 2 or 5 × 10ⁿ) over a domain that begins and ends
// on a tick, so both ends of every axis carry a label; whole ranks from the first to the last.
import { formatTicks } from '../number-format';
import { textWidth } from './text-metrics';

export interface Tick {
  at: number;
  label: string;
}

/** The round step (1, 2 or 5 × 10ⁿ) that cuts `span` into at most about `count` parts. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
}

/** A value on a grid of `step`, without floating-point dust or a negative zero. */
const clean = (v: number): number => Number(v.toPrecision(12)) + 0;

/**
 * The smallest domain of whole steps that holds [lo, hi], and its ticks: from just below the
 * lowest value to just above the highest, a labelled tick at each end.
 */
export function niceDomain(lo: number, hi: number, count = 5): { domain: [number, number]; ticks: Tick[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) [lo, hi] = lo === 0 ? [-1, 1] : [lo - Math.abs(lo) / 2, hi + Math.abs(hi) / 2];
  const step = niceStep(hi - lo, count);
  // whole multiples of the step, so that the tick at zero is exactly 0 (not a rounding's 7×10⁻²¹)
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const values = Array.from({ length: last - first + 1 }, (_, i) => clean((first + i) * step));
  const [a, b] = [values[0], values.at(-1)!];
  const labels = formatTicks(values);
  return { domain: [a, b], ticks: values.map((at, i) => ({ at, label: labels[i] })) };
}

/**
 * Whole-number ticks from `lo` to `hi` (ranks, components kept): both ends, and round values
 * between them at least half a step away from either end.
 */
export function wholeTicks(lo: number, hi: number, count = 5): Tick[] {
  if (hi <= lo) return [{ at: lo, label: formatTicks([lo])[0] }];
  const step = Math.max(1, Math.round(niceStep(hi - lo, count)));
  const values = [lo];
  for (let t = Math.ceil((lo + step / 2) / step) * step; t <= hi - step / 2; t += step) values.push(t);
  values.push(hi);
  const labels = formatTicks(values);
  return values.map((at, i) => ({ at, label: labels[i] }));
}

/** How many whole-number ticks an axis of about `length` px holds for values up to `hi`, set at `size` px. */
export function tickCount(length: number, hi: number, size: number): number {
  return Math.max(2, Math.floor(length / (textWidth(String(Math.round(hi)), size) * 3 + size)));
}
