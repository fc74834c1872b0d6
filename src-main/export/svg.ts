// Vector figures of a run's features as plain SVG strings: eigenvector heatmaps, the spectrum and
// the truncation curve. Pure functions; text stays text, nothing refers outside the document, and
// each figure carries its provenance in <metadata> so a copied figure still says where it came from.

export interface Provenance {
  run_id: string;
  run_dir: string;
  gate: string;
  config: unknown;
  app_version: string;
  [key: string]: unknown;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const PROVENANCE_NS = 'urn:sqs-workbench:provenance';
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/** Escapes text for XML element content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const NEG: [number, number, number] = [33, 102, 172]; // #2166ac
const POS: [number, number, number] = [178, 24, 43]; // #b2182b

/** Diverging blue–white–red map: t in [-1, 1] (clamped), 0 → white, -1 → blue, +1 → red. */
export function divergingColor(t: number): string {
  const x = Number.isFinite(t) ? Math.max(-1, Math.min(1, t)) : 0;
  const end = x < 0 ? NEG : POS;
  const a = Math.abs(x);
  const hex = end.map((c) => Math.round(255 + (c - 255) * a).toString(16).padStart(2, '0')).join('');
  return `#${hex}`;
}

function metadata(p: Provenance): string {
  return `<metadata><provenance xmlns="${PROVENANCE_NS}">${escapeXml(JSON.stringify(p))}</provenance></metadata>`;
}

function open(width: number, height: number, title: string, p: Provenance): string {
  return (
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="11">` +
    `<title>${escapeXml(title)}</title>${metadata(p)}<rect width="${width}" height="${height}" fill="#ffffff"/>`
  );
}

function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${fmt(x)}" y="${fmt(y)}"${attrs ? ' ' + attrs : ''}>${escapeXml(s)}</text>`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

export function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 0.01 && a < 1000 ? v.toPrecision(3) : v.toExponential(2);
}

/** One image as rows of rects, horizontal runs of one colour merged; symmetric range ±max|v|. */
function heatmap(v: Float32Array, rows: number, cols: number, x0: number, y0: number, cell: number): { svg: string; range: number } {
  let range = 0;
  for (const x of v) range = Math.max(range, Math.abs(x));
  const parts: string[] = [`<g transform="translate(${x0},${y0}) scale(${cell})" shape-rendering="crispEdges">`];
  for (let r = 0; r < rows; r++) {
    let c = 0;
    while (c < cols) {
      const color = divergingColor(range > 0 ? v[r * cols + c] / range : 0);
      let end = c + 1;
      while (end < cols && divergingColor(range > 0 ? v[r * cols + end] / range : 0) === color) end++;
      parts.push(`<rect x="${c}" y="${r}" width="${end - c}" height="1" fill="${color}"/>`);
      c = end;
    }
  }
  parts.push(`<rect width="${cols}" height="${rows}" fill="none" stroke="#888888" stroke-width="${fmt(1 / cell)}"/></g>`);
  return { svg: parts.join(''), range };
}

function colorBar(x: number, y: number, width: number, height: number, labels: [string, string, string]): string {
  const steps = 64;
  const parts = [`<g shape-rendering="crispEdges">`];
  for (let i = 0; i < steps; i++) {
    const t = -1 + (2 * (i + 0.5)) / steps;
    parts.push(`<rect x="${fmt(x + (i * width) / steps)}" y="${y}" width="${fmt(width / steps + 0.01)}" height="${height}" fill="${divergingColor(t)}"/>`);
  }
  parts.push(`<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="none" stroke="#888888"/></g>`);
  parts.push(text(x, y + height + 12, labels[0], 'text-anchor="start"'));
  parts.push(text(x + width / 2, y + height + 12, labels[1], 'text-anchor="middle"'));
  parts.push(text(x + width, y + height + 12, labels[2], 'text-anchor="end"'));
  return parts.join('');
}

export interface EigenvectorGridInput {
  /** [k, rows·cols], row-major */
  vectors: Float32Array;
  values: number[];
  imageShape: [number, number];
  title: string;
  provenance: Provenance;
  /** labels above each image; default "#1", "#2", … */
  labels?: string[];
  columns?: number;
  cell?: number;
}

export function eigenvectorGrid(o: EigenvectorGridInput): string {
  const [rows, cols] = o.imageShape;
  const size = rows * cols;
  const k = o.values.length;
  if (o.vectors.length !== k * size) throw new Error(`eigenvectorGrid: ${o.vectors.length} values do not make ${k} images of ${rows}×${cols}`);
  const cell = o.cell ?? 4;
  const perRow = Math.max(1, Math.min(o.columns ?? 6, k));
  const imgW = cols * cell;
  const imgH = rows * cell;
  const pad = 14;
  const slotW = imgW + pad;
  const slotH = imgH + 44;
  const top = 34;
  const gridRows = Math.max(1, Math.ceil(k / perRow));
  const width = Math.max(perRow * slotW + pad, 280);
  const height = top + gridRows * slotH + 44;
  const parts = [open(width, height, o.title, o.provenance), text(pad, 20, o.title, 'font-size="14" font-weight="bold"')];
  for (let i = 0; i < k; i++) {
    const x = pad + (i % perRow) * slotW;
    const y = top + Math.floor(i / perRow) * slotH + 12;
    const { svg, range } = heatmap(o.vectors.subarray(i * size, (i + 1) * size), rows, cols, x, y, cell);
    parts.push(text(x, y - 3, o.labels?.[i] ?? `#${i + 1}`, 'fill="#444444"'));
    parts.push(`<g class="eigenvector" data-rank="${i + 1}" data-eigenvalue="${o.values[i]}" data-range="${range}">${svg}</g>`);
    parts.push(text(x + imgW / 2, y + imgH + 13, `λ = ${formatValue(o.values[i])}`, 'text-anchor="middle"'));
    parts.push(text(x + imgW / 2, y + imgH + 26, `range ±${formatValue(range)}`, 'text-anchor="middle" fill="#666666" font-size="9"'));
  }
  const barW = Math.min(240, width - 2 * pad);
  parts.push(colorBar(pad, height - 36, barW, 10, ['−max |v|', '0', '+max |v|']));
  parts.push(text(pad + barW + 8, height - 27, 'per image', 'fill="#666666" font-size="9"'));
  parts.push('</svg>');
  return parts.join('');
}

interface Axes {
  x: (v: number) => number;
  y: (v: number) => number;
  svg: string;
}

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step0 = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

function axes(box: { x: number; y: number; w: number; h: number }, xr: [number, number], yr: [number, number], xLabel: string, yLabel: string): Axes {
  const x = (v: number) => box.x + ((v - xr[0]) / (xr[1] - xr[0] || 1)) * box.w;
  const y = (v: number) => box.y + box.h - ((v - yr[0]) / (yr[1] - yr[0] || 1)) * box.h;
  const parts = [`<g class="axes" stroke="#333333" fill="none"><line x1="${box.x}" y1="${box.y + box.h}" x2="${box.x + box.w}" y2="${box.y + box.h}"/><line x1="${box.x}" y1="${box.y}" x2="${box.x}" y2="${box.y + box.h}"/></g>`];
  for (const t of niceTicks(xr[0], xr[1])) {
    parts.push(`<line x1="${fmt(x(t))}" y1="${box.y + box.h}" x2="${fmt(x(t))}" y2="${box.y + box.h + 4}" stroke="#333333"/>`);
    parts.push(text(x(t), box.y + box.h + 15, formatValue(t), 'text-anchor="middle"'));
  }
  for (const t of niceTicks(yr[0], yr[1])) {
    parts.push(`<line x1="${box.x - 4}" y1="${fmt(y(t))}" x2="${box.x}" y2="${fmt(y(t))}" stroke="#333333"/>`);
    parts.push(text(box.x - 6, y(t) + 4, formatValue(t), 'text-anchor="end"'));
  }
  parts.push(text(box.x + box.w / 2, box.y + box.h + 32, xLabel, 'text-anchor="middle"'));
  parts.push(text(14, box.y + box.h / 2, yLabel, `text-anchor="middle" transform="rotate(-90 14 ${fmt(box.y + box.h / 2)})"`));
  return { x, y, svg: parts.join('') };
}

export interface SpectrumChartInput {
  /** eigenvalues ordered by |λ| descending */
  values: ArrayLike<number>;
  title: string;
  provenance: Provenance;
}

/** λ against rank (by |λ|): positive eigenvalues red, negative blue, a line at 0. */
export function spectrumChart(o: SpectrumChartInput): string {
  const width = 480;
  const height = 300;
  const n = o.values.length;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) (lo = Math.min(lo, o.values[i])), (hi = Math.max(hi, o.values[i]));
  if (lo === hi) hi = 1;
  const box = { x: 64, y: 34, w: width - 84, h: height - 84 };
  const a = axes(box, [0.5, n + 0.5], [lo, hi], 'rank (by |λ|)', 'λ');
  const bw = Math.max(1, (box.w / Math.max(n, 1)) * 0.7);
  const parts = [open(width, height, o.title, o.provenance), text(box.x, 20, o.title, 'font-size="14" font-weight="bold"'), a.svg];
  parts.push(`<line x1="${box.x}" y1="${fmt(a.y(0))}" x2="${box.x + box.w}" y2="${fmt(a.y(0))}" stroke="#999999" stroke-dasharray="3 3"/>`);
  for (let i = 0; i < n; i++) {
    const v = o.values[i];
    const y0 = a.y(0);
    const y1 = a.y(v);
    parts.push(`<rect class="${v >= 0 ? 'positive' : 'negative'}" x="${fmt(a.x(i + 1) - bw / 2)}" y="${fmt(Math.min(y0, y1))}" width="${fmt(bw)}" height="${fmt(Math.abs(y1 - y0))}" fill="${divergingColor(v >= 0 ? 0.85 : -0.85)}"/>`);
  }
  const pos = Array.from({ length: n }, (_, i) => o.values[i]).filter((v) => v > 0).length;
  parts.push(text(box.x + box.w, 20, `${pos} positive, ${n - pos} negative`, 'text-anchor="end" fill="#666666"'));
  parts.push('</svg>');
  return parts.join('');
}

export interface TruncationChartInput {
  points: { k: number; accuracy: number }[];
  title: string;
  provenance: Provenance;
  /** optional horizontal reference lines (e.g. the model's own accuracy) */
  references?: { label: string; accuracy: number }[];
}

/** Test accuracy of the surrogate keeping k components per class, against k. */
export function truncationChart(o: TruncationChartInput): string {
  const width = 480;
  const height = 300;
  const box = { x: 64, y: 34, w: width - 84, h: height - 84 };
  const maxK = Math.max(1, ...o.points.map((p) => p.k));
  const a = axes(box, [0, maxK], [0, 1], 'components kept per class (k)', 'test accuracy');
  const parts = [open(width, height, o.title, o.provenance), text(box.x, 20, o.title, 'font-size="14" font-weight="bold"'), a.svg];
  for (const r of o.references ?? []) {
    parts.push(`<line x1="${box.x}" y1="${fmt(a.y(r.accuracy))}" x2="${box.x + box.w}" y2="${fmt(a.y(r.accuracy))}" stroke="#999999" stroke-dasharray="4 3"/>`);
    parts.push(text(box.x + box.w - 4, a.y(r.accuracy) - 4, `${r.label} ${(100 * r.accuracy).toFixed(1)}%`, 'text-anchor="end" fill="#666666" font-size="9"'));
  }
  if (o.points.length > 0) {
    const d = o.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(a.x(p.k))},${fmt(a.y(p.accuracy))}`).join(' ');
    parts.push(`<path class="truncation" d="${d}" fill="none" stroke="${divergingColor(0.9)}" stroke-width="1.5"/>`);
    for (const p of o.points) parts.push(`<circle cx="${fmt(a.x(p.k))}" cy="${fmt(a.y(p.accuracy))}" r="2" fill="${divergingColor(0.9)}"/>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
