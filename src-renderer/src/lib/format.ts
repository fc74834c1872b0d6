// How numbers and times read in the UI: numbers through the shared formatter (a true minus sign),
// a dash for a value that is missing.
import { formatFixed, formatPercent } from '../../../src-main/shared/number-format';

export const percent = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '—' : formatPercent(x, digits));

export const fixed = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? '—' : formatFixed(x, digits));

/** unix seconds → 2026-11-28 19:45 (local time) */
export function when(seconds: number | null | undefined): string {
  if (!seconds) return '—';
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
