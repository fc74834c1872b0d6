// How numbers and times read in the UI.

export const percent = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(digits)}%`);

export const fixed = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? '—' : x.toFixed(digits));

/** unix seconds → 2026-11-28 19:45 (local time) */
export function when(seconds: number | null | undefined): string {
  if (!seconds) return '—';
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
