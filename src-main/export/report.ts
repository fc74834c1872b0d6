// The reproduction report: one self-contained HTML page and one multi-page vector PDF holding the
// accuracy table, the data-efficiency curves, effective rank, the first-order reading's
// faithfulness, SQS-vs-bilinear similarity, side-by-side eigenvector grids, the literature's values
// where given, verdicts on the paper's claims, and the provenance of every number. Every figure is
// also written as its own SVG and PDF. Built from finished, analysed runs only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StudyResult, StudyRun } from '../engine/analysis/study-types';
import { compareAtlases } from '../engine/analysis/atlas-compare';
import { judgeClaims, keptSpectrum } from '../common/claims';
import { anchorsFor, CLAIM_RULES, type LiteratureValue } from '../common/paper-anchors';
import { comparePairsFigure } from '../common/figures/compare-pairs';
import { OKABE_ITO, type Figure, type Provenance } from '../common/figures/figure';
import { efficiencyFigure, gateValuesFigure, similaritySpreadFigure } from '../common/figures/report-charts';
import { textPage, type Block } from '../common/figures/report-pages';
import { APP_VERSION } from '../common/version';
import { toPdf } from './pdf';
import { escapeXml as e, toSvg } from './svg';

export interface ReportInput {
  dataset: string;
  runs: readonly StudyRun[];
  result: StudyResult;
  /** the configuration every run shares (gate, seed and training percent aside) */
  config: Record<string, unknown>;
  /** the command lines that trained and reported the runs */
  commands: readonly string[];
  /** versions of what computed the numbers */
  versions: Record<string, string>;
  /** classes drawn side by side for the first bilinear/SQS pair, and eigenvectors per class */
  gridClasses?: readonly number[];
  gridCount?: number;
  outDir: string;
}

export interface ReportFiles {
  html: string;
  pdf: string;
  figures: string[];
  json: string;
}

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(2) : 'n/a');
const pm = (m: number, s: number, f: (x: number) => string) => `${f(m)} ± ${f(s)}`;
const lit = (v: LiteratureValue | undefined, f: (x: number) => string) => (v && v.value !== null ? `${f(v.value)} (${v.source})` : '');

/** The report's text blocks, shared by the HTML page and the PDF's first pages. */
export function reportBlocks(r: ReportInput): { summary: Block[]; provenance: Block[] } {
  const res = r.result;
  const anchors = anchorsFor(r.dataset);
  const budget = r.config.subset_budget === 'epochs' ? 'for as many epochs as the full run (fewer optimiser steps on smaller subsets)' : 'for the same number of optimiser steps as the full run (the subset repeated to the full set\'s size)';
  const claims = judgeClaims(res);
  const summary: Block[] = [
    { kind: 'paragraph', text: `${r.dataset}: ${r.runs.length} finished runs, gates ${res.gates.join(', ')}, seeds ${[...new Set(r.runs.map((x) => x.seed))].join(', ')}. Every gate was trained on nested random subsets of the training set (${res.percents.join(', ')} %), the same subsets for every gate and seed, each ${budget}, and tested on the full test set.` },
    { kind: 'heading', text: 'The paper\'s claims on this run set' },
    { kind: 'table', header: ['claim', 'verdict'], rows: claims.map((c) => [c.claim, c.verdict]) },
    ...claims.map((c): Block => ({ kind: 'paragraph', text: `${c.claim}: ${c.verdict}. ${c.evidence}` })),
    { kind: 'paragraph', muted: true, text: `Rules: two accuracies match when their means differ by at most ${pct(CLAIM_RULES.matchTolerance)} points or twice the standard error of the difference, whichever is larger; SQS keeps the bilinear spectrum when the mean |cos| by assignment of the top ${CLAIM_RULES.spectrumK} eigenvectors per class is at least ${CLAIM_RULES.spectrumKept}. Literature values come from one file (common/paper-anchors.ts); an empty cell means no value is given there.` },
    { kind: 'heading', text: 'Test accuracy (full training set)' },
    { kind: 'table', header: ['gate', 'runs', 'test accuracy (%)', 'literature', 'run ids'], right: [1, 2], rows: res.accuracy.map((a) => [a.gate, String(a.accuracy.n), pm(a.accuracy.mean, a.accuracy.std, pct), lit(anchors?.accuracy[a.gate], pct), a.run_ids.join(' ')]) },
  ];
  if (res.percents.length > 1) {
    summary.push({ kind: 'heading', text: 'Test accuracy (%) by share of the training set' });
    summary.push({ kind: 'table', header: ['gate', ...res.percents.map((p) => `${p} %`)], right: res.percents.map((_, i) => i + 1), rows: res.efficiency.map((g) => [g.gate, ...res.percents.map((p) => { const q = g.points.find((x) => x.percent === p); return q ? pm(q.accuracy.mean, q.accuracy.std, pct) : ''; })]) });
  }
  const f3 = (x: number) => x.toFixed(3);
  const f1 = (x: number) => x.toFixed(1);
  if (res.effective_rank.length) summary.push({ kind: 'heading', text: 'Effective rank and faithfulness of the reading' }, { kind: 'table', header: ['gate', 'reading', 'effective rank', 'literature', 'agreement (%)', 'logit correlation'], right: [2, 4, 5], rows: res.faithfulness.map((f) => { const rk = res.effective_rank.find((x) => x.gate === f.gate)!.rank; return [f.gate, f.exact ? 'exact' : 'first order', pm(rk.mean, rk.std, f1), lit(anchors?.effective_rank[f.gate], f1), pm(f.agreement.mean, f.agreement.std, pct), pm(f.logit_correlation.mean, f.logit_correlation.std, (x) => x.toFixed(4))]; }) });
  if (res.similarity) {
    const ks = [1, 2, 4, 8, 16, 32].filter((k) => k <= res.similarity!.by_rank.length);
    const kept = keptSpectrum(res)!;
    summary.push(
      { kind: 'heading', text: 'SQS vs bilinear eigenvectors (same seeds), mean |cos| ± std over seeds' },
      { kind: 'table', header: ['rank', ...ks.map(String)], right: ks.map((_, i) => i + 1), rows: [['by assignment', ...ks.map((k) => pm(res.similarity!.by_assignment[k - 1].mean, res.similarity!.by_assignment[k - 1].std, f3))], ['by rank', ...ks.map((k) => pm(res.similarity!.by_rank[k - 1].mean, res.similarity!.by_rank[k - 1].std, f3))]] },
      { kind: 'paragraph', text: `Kept of the bilinear spectrum (top ${CLAIM_RULES.spectrumK}, by assignment): ${f3(kept.mean)} ± ${f3(kept.std)}${anchors?.spectrum_kept.value != null ? `; literature ${lit(anchors.spectrum_kept, f3)}` : ''}.` },
    );
  }
  const provenance: Block[] = [
    { kind: 'heading', text: 'Commands' },
    ...r.commands.map((c): Block => ({ kind: 'paragraph', text: c })),
    { kind: 'heading', text: 'Versions' },
    { kind: 'table', header: ['component', 'version'], rows: Object.entries(r.versions) },
    { kind: 'heading', text: 'Configuration shared by every run' },
    { kind: 'table', header: ['field', 'value'], rows: Object.entries(r.config).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]) },
    { kind: 'heading', text: 'Runs' },
    { kind: 'table', header: ['run id', 'gate', 'seed', 'training %', 'test accuracy (%)'], right: [0, 2, 3, 4], rows: [...r.runs].sort((a, b) => a.id - b.id).map((x) => [String(x.id), x.gate, String(x.seed), String(x.percent), pct(x.test_accuracy)]) },
  ];
  return { summary, provenance };
}

/** The charts and eigenvector grids, each a figure of its own. */
export function reportFigures(r: ReportInput, base: Provenance): { name: string; figure: Figure }[] {
  const res = r.result;
  const out: { name: string; figure: Figure }[] = [];
  if (res.percents.length > 1) out.push({ name: 'data-efficiency', figure: efficiencyFigure(res, base) });
  if (res.effective_rank.length) {
    out.push({ name: 'effective-rank', figure: gateValuesFigure('Effective rank of the class interaction matrices', 'mean over classes per run; ± std over seeds', 'effective rank', res.effective_rank.map((x) => x.gate), [{ label: 'effective rank', values: res.effective_rank.map((x) => ({ gate: x.gate, spread: x.rank })), color: OKABE_ITO[5], marker: 'circle' }], base, 'effective-rank') });
    out.push({
      name: 'faithfulness',
      figure: gateValuesFigure('Faithfulness of the quadratic reading', 'exact for bilinear, first order for other gates; ± std over seeds', 'agreement / correlation', res.faithfulness.map((x) => x.gate), [
        { label: 'prediction agreement', values: res.faithfulness.map((x) => ({ gate: x.gate, spread: x.agreement })), color: OKABE_ITO[5], marker: 'circle' },
        { label: 'logit correlation', values: res.faithfulness.map((x) => ({ gate: x.gate, spread: x.logit_correlation })), color: OKABE_ITO[6], marker: 'diamond' },
      ], base, 'faithfulness', { range: [Math.min(0.5, ...res.faithfulness.flatMap((x) => [x.agreement.mean - x.agreement.std, x.logit_correlation.mean - x.logit_correlation.std])), 1] }),
    });
  }
  if (res.similarity) {
    out.push({ name: 'sqs-vs-bilinear', figure: similaritySpreadFigure(res.similarity, base) });
    const pair = res.similarity.pairs[0];
    const dir = (id: number) => r.runs.find((x) => x.id === id)!.dir;
    const cmp = compareAtlases(dir(pair.bilinear), dir(pair.sqs), r.gridCount ?? 8, { a: { runId: pair.bilinear }, b: { runId: pair.sqs } });
    for (const c of r.gridClasses ?? [0, 1, 2]) if (cmp.classes.some((k) => k.class === c)) out.push({ name: `eigenvectors-class-${c}`, figure: comparePairsFigure(cmp, { class: c, count: r.gridCount ?? 8 }, base, { size: 'page' }) });
  }
  return out;
}

const CSS = `body { font: 14px/1.45 'DejaVu Sans', Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 980px; color: #222; background: #fff; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-top: 1px solid #ddd; padding-top: 12px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { padding: 3px 10px; text-align: left; border-bottom: 1px solid #e4e4e4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #555; } figure { margin: 16px 0; } svg { max-width: 100%; height: auto; }
.verdict-holds { color: #0b6e3a; font-weight: bold; } .verdict-does-not-hold { color: #a4161a; font-weight: bold; }`;

function blocksHtml(blocks: readonly Block[]): string {
  return blocks
    .map((b) => {
      if (b.kind === 'heading') return `<h2>${e(b.text)}</h2>`;
      if (b.kind === 'paragraph') return `<p${b.muted ? ' class="muted"' : ''}>${e(b.text)}</p>`;
      const cell = (s: string, j: number) => {
        const cls = b.right?.includes(j) ? ' class="num"' : s === 'holds' || s === 'does not hold' ? ` class="verdict-${s.replace(/ /g, '-')}"` : '';
        return `<td${cls}>${e(s)}</td>`;
      };
      return `<table><thead><tr>${b.header.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${b.rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
    })
    .join('\n');
}

/** Writes report.html, report.pdf, report.json and figures/<name>.svg|pdf into `outDir`. */
export async function writeReport(r: ReportInput): Promise<ReportFiles> {
  const title = `Reproduction report: ${r.dataset}`;
  const base: Provenance = { run_id: r.runs.map((x) => x.id).join(','), run_dir: '', gate: r.result.gates.join(','), config: r.config, app_version: APP_VERSION, dataset: r.dataset };
  const blocks = reportBlocks(r);
  const figures = reportFigures(r, base);
  mkdirSync(join(r.outDir, 'figures'), { recursive: true });
  const written: string[] = [];
  for (const { name, figure } of figures) {
    const svg = join(r.outDir, 'figures', `${name}.svg`);
    const pdf = join(r.outDir, 'figures', `${name}.pdf`);
    writeFileSync(svg, toSvg(figure));
    writeFileSync(pdf, await toPdf(figure));
    written.push(svg, pdf);
  }
  const pages = [textPage(title, blocks.summary, base, 'summary'), ...figures.map((f) => f.figure), textPage('Provenance', blocks.provenance, base, 'provenance')];
  const pdf = join(r.outDir, 'report.pdf');
  writeFileSync(pdf, await toPdf(pages));
  const html = join(r.outDir, 'report.html');
  writeFileSync(
    html,
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${e(title)}</h1>
${blocksHtml(blocks.summary)}
<h2>Figures</h2>
${figures.map((f) => `<figure id="${e(f.name)}">${toSvg(f.figure)}</figure>`).join('\n')}
<h2>Provenance</h2>
${blocksHtml(blocks.provenance.filter((b) => b.kind !== 'heading' || b.text !== 'Provenance'))}
</body>
</html>
`,
  );
  const json = join(r.outDir, 'report.json');
  writeFileSync(json, JSON.stringify({ dataset: r.dataset, config: r.config, versions: r.versions, commands: r.commands, runs: r.runs.map(({ dir: _d, ...x }) => x), result: r.result, claims: judgeClaims(r.result) }, null, 2) + '\n');
  return { html, pdf, figures: written, json };
}
