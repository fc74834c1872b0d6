// What the HTML atlas shows when an eigenvector is clicked: its rank, λ, sparsity, what its colours
// mean and, when the export carries its detail, the logit it gives every class and the test
// examples it contributes most and least to, each with vᵀz and λ(vᵀz)². Each panel is an HTML
// snippet; example images are small PNG data URIs, each stored once however many features show it.
import type { Atlas, AtlasClass, AtlasFeature, FeatureDetail, RankedExample } from '../engine/analysis/atlas-types';
import { exampleRowTitles, gaugeLegend } from '../common/atlas-captions';
import { formatNumber } from '../common/number-format';
import type { Mark } from '../common/figures/figure';
import { className } from '../common/figures/common';
import { barChart } from '../common/figures/bars';
import { greyPng } from './png';
import { escapeXml, svgFragment } from './svg';

export interface DetailPanels {
  /** "class:rank" → the panel's HTML */
  panels: Record<string, string>;
  /** test example index → data URI */
  images: Record<string, string>;
}

const esc = escapeXml;

function logitChart(detail: FeatureDetail): string {
  const C = detail.classLogits.length;
  const width = 340;
  const height = 150;
  const marks: Mark[] = barChart(detail.classLogits, { x: 56, y: 10, w: width - 66, h: height - 52 }, {
    xLabel: 'class c′',
    yLabel: 'vᵀQ(c′)v',
    labels: Array.from({ length: C }, (_, c) => String(c)),
    highlight: detail.feature.class,
    className: 'class-logit',
  }).marks;
  return svgFragment(marks, width, height, 'class-logits');
}

function examples(list: readonly RankedExample[], shape: [number, number], images: Record<string, string>): string {
  if (list.length === 0) return '<p class="meta">none</p>';
  const figs = list.map((e) => {
    if (!(e.index in images)) images[e.index] = `data:image/png;base64,${Buffer.from(greyPng(e.pixels, shape)).toString('base64')}`;
    return `<figure><img alt="test example ${e.index}, label ${e.label}" data-example="${e.index}" width="${shape[1] * 2}" height="${shape[0] * 2}"><figcaption title="λ(vᵀz)², vᵀz">${esc(formatNumber(e.contribution))}<br><span>vᵀz ${esc(formatNumber(e.projection))}</span><br><span>#${e.index} · ${e.label}</span></figcaption></figure>`;
  });
  return `<div class="examples">${figs.join('')}</div>`;
}

function panel(k: AtlasClass, f: AtlasFeature, detail: FeatureDetail | undefined, shape: [number, number], images: Record<string, string>): string {
  const total = k.eigenvalues.length;
  const rows: [string, string][] = [
    ['λ', formatNumber(f.eigenvalue)],
    ['rank', `${f.rank} of ${total} by |λ|`],
    ['sparsity', formatNumber(f.sparsity)],
    ['heatmap range', `±${formatNumber(f.range)}`],
    ['colours', gaugeLegend(k.label)],
  ];
  if (detail) {
    rows.push(['eigenvalues', `${detail.positiveCount} positive, ${detail.negativeCount} negative`]);
    rows.push(['mean λ(vᵀz)²', formatNumber(detail.meanContribution)]);
  }
  const facts = `<dl>${rows.map(([a, b]) => `<dt>${esc(a)}</dt><dd>${esc(b)}</dd>`).join('')}</dl>`;
  const head = `<h3>${esc(className(k.class, k.label))}, eigenvector #${f.rank}</h3>`;
  if (!detail) return `${head}${facts}<p class="meta">This export carries no test examples or class logits for this feature.</p>`;
  const titles = exampleRowTitles(detail.rankedBy);
  return (
    `${head}${facts}` +
    `<h4>the logit it gives each class, vᵀQ(c′)v</h4>${logitChart(detail)}` +
    `<h4>${esc(titles.top)} (under each: λ(vᵀz)², vᵀz, index · label)</h4>${examples(detail.topExamples, shape, images)}` +
    `<h4>${esc(titles.bottom)}</h4>${examples(detail.bottomExamples, shape, images)}`
  );
}

/** A panel for every feature drawn for these classes. */
export function detailPanels(atlas: Atlas, classes: readonly number[], details: readonly FeatureDetail[]): DetailPanels {
  const byKey = new Map(details.map((d) => [`${d.feature.class}:${d.feature.rank}`, d]));
  const panels: Record<string, string> = {};
  const images: Record<string, string> = {};
  for (const c of classes) {
    const k = atlas.classes.find((x) => x.class === c);
    if (!k) continue;
    for (const f of [...k.positive, ...k.negative]) panels[`${c}:${f.rank}`] = panel(k, f, byKey.get(`${c}:${f.rank}`), atlas.imageShape, images);
  }
  return { panels, images };
}
