// Figures as a vector PDF (pdfkit): rects, lines and paths as PDF paths, text as text in embedded
// DejaVu Sans subsets (so it can be searched, copied and extracted), one figure per page at the
// figure's size (1 px = 0.75 pt), no margins. The provenance goes into the document information
// dictionary; no creation date, so the same figure gives the same bytes.
import PDFDocument from 'pdfkit';
import type { Figure, GroupMark, Mark, RectMark } from '../common/figures/figure';
import { fontFiles } from './fonts';

const PT_PER_PX = 0.75;
/** cells of an image overlap by this much (in their own units) so that no viewer shows seams, even
 * at 150 dpi where a cell is a few device pixels */
const SEAM = 0.08;

type Doc = PDFKit.PDFDocument;

function setFont(doc: Doc, weight: 'normal' | 'bold', size: number): void {
  doc.font(weight === 'bold' ? 'bold' : 'regular').fontSize(size);
}

function drawRect(doc: Doc, m: RectMark): void {
  if (!(m.width > 0 && m.height > 0)) return;
  doc.rect(m.x, m.y, m.width, m.height);
  if (m.fill && m.stroke) doc.lineWidth(m.strokeWidth ?? 1).fillAndStroke(m.fill, m.stroke);
  else if (m.fill) doc.fill(m.fill);
  else if (m.stroke) doc.lineWidth(m.strokeWidth ?? 1).stroke(m.stroke);
}

function withDash(doc: Doc, dash: number[] | undefined, draw: () => void): void {
  const valid = dash && dash.length > 0 && dash.every((d) => d > 0);
  // pdfkit takes a dash array too, though its types name only a single length
  if (valid) doc.dash(dash as unknown as number, {});
  draw();
  if (valid) doc.undash();
}

/** Filled cells of one colour become one path with one fill: far fewer operators. */
function drawCells(doc: Doc, g: GroupMark): void {
  const byFill = new Map<string, RectMark[]>();
  const rest: Mark[] = [];
  for (const m of g.marks) {
    if (m.kind === 'rect' && m.fill && !m.stroke) {
      const list = byFill.get(m.fill);
      if (list) list.push(m);
      else byFill.set(m.fill, [m]);
    } else rest.push(m);
  }
  for (const [fill, rects] of byFill) {
    for (const r of rects) doc.rect(r.x, r.y, r.width + SEAM, r.height + SEAM);
    doc.fill(fill);
  }
  for (const m of rest) drawMark(doc, m);
}

function drawMark(doc: Doc, m: Mark): void {
  switch (m.kind) {
    case 'rect':
      return drawRect(doc, m);
    case 'line':
      doc.moveTo(m.x1, m.y1).lineTo(m.x2, m.y2).lineWidth(m.width ?? 1);
      return withDash(doc, m.dash, () => doc.stroke(m.stroke));
    case 'path': {
      if (m.points.length === 0) return;
      doc.moveTo(m.points[0][0], m.points[0][1]);
      for (const [x, y] of m.points.slice(1)) doc.lineTo(x, y);
      if (m.closed) doc.closePath();
      doc.lineWidth(m.width ?? 1).lineJoin('round');
      if (m.fill && m.stroke) return withDash(doc, m.dash, () => doc.fillAndStroke(m.fill!, m.stroke!));
      if (m.fill) return void doc.fill(m.fill);
      if (m.stroke) return withDash(doc, m.dash, () => doc.stroke(m.stroke!));
      return;
    }
    case 'circle':
      doc.circle(m.cx, m.cy, m.r).fill(m.fill);
      return;
    case 'text': {
      if (m.text === '') return;
      setFont(doc, m.weight, m.size);
      const w = doc.widthOfString(m.text);
      const dx = m.anchor === 'middle' ? -w / 2 : m.anchor === 'end' ? -w : 0;
      doc.save();
      if (m.rotate) doc.rotate(m.rotate, { origin: [m.x, m.y] });
      doc.fillColor(m.fill).text(m.text, m.x + dx, m.y, { lineBreak: false, baseline: 'alphabetic' });
      doc.restore();
      return;
    }
    case 'group': {
      doc.save();
      if (m.translate) doc.translate(m.translate[0], m.translate[1]);
      if (m.scale !== undefined && m.scale !== 1) doc.scale(m.scale);
      if (m.crisp) drawCells(doc, m);
      else for (const c of m.marks) drawMark(doc, c);
      doc.restore();
      return;
    }
  }
}

/** The figures as one PDF, a page each; the document information comes from the first. */
export function toPdf(figures: Figure | readonly Figure[]): Promise<Uint8Array> {
  const figs: readonly Figure[] = Array.isArray(figures) ? figures : [figures as Figure];
  if (figs.length === 0) return Promise.reject(new Error('toPdf: no figures'));
  const fonts = fontFiles();
  const first = figs[0];
  const p = first.provenance;
  const info = {
    Title: first.title,
    Creator: `SQS Workbench ${p.app_version}`,
    Producer: `SQS Workbench ${p.app_version}`,
    Subject: `run ${p.run_id}, ${p.gate} gate${p.figure ? `, ${String(p.figure)}` : ''}${p.class !== undefined ? `, class ${String(p.class)}` : ''}`,
    Keywords: ['sqs-workbench', `run:${p.run_id}`, `gate:${p.gate}`].join(', '),
    Provenance: JSON.stringify(p),
    // fixed, so that the file identifier (a hash of the information) does not depend on the clock
    CreationDate: new Date(0),
  };
  // PDF 1.3: the plainest kind (no XMP stream), which every LaTeX engine includes without a warning
  const doc = new PDFDocument({ autoFirstPage: false, pdfVersion: '1.3', compress: true, info: info as PDFKit.DocumentInfo, font: fonts.regular });
  // pdfkit writes every enumerable information entry and still reads the date when it ends: keep
  // it readable but out of the file, so that no creation date is recorded at all
  Object.defineProperty(doc.info, 'CreationDate', { value: info.CreationDate, enumerable: false });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  for (const fig of figs) {
    doc.addPage({ size: [fig.width * PT_PER_PX, fig.height * PT_PER_PX], margin: 0 });
    doc.save();
    doc.scale(PT_PER_PX);
    doc.rect(0, 0, fig.width, fig.height).fill('#ffffff');
    for (const m of fig.marks) drawMark(doc, m);
    doc.restore();
  }
  doc.end();
  return done;
}
