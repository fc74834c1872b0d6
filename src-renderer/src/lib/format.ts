// How numbers and times read in the UI: numbers through the shared formatter (a true minus sign),
// a dash for a value that is missing.
import { formatFixed, formatPercent } from '../../../src-main/common/number-format';

export const percent = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '—' : formatPercent(x, digits));

export const fixed = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? '—' : formatFixed(x, digits));

/** unix seconds → 2026-11-28 19:45 (local time) */
export function when(seconds: number | null | undefined): string {
  if (!seconds) return '—';
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A span of time as people say it: 0.4 s, 42 s, 1 min 12 s, 2 min, 1 h 5 min. */
export function duration(seconds: number): string {
  if (seconds < 0.95) return `${Math.max(0, seconds).toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** A phrase the back end also uses inside its messages, as a sentence of its own: capitalised, with a full stop. */
export const sentence = (phrase: string): string => `${phrase.charAt(0).toUpperCase()}${phrase.slice(1)}.`;

/** A count as people read it: 1,234,567; a dash when missing. */
export const count = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : Math.round(x).toLocaleString('en'));
