// A language model's atlas as one self-contained HTML page: a button per layer and output
// direction, and for each its spectrum, truncation curve and top features (their tokens and
// contexts) as inline SVG; inline CSS and a few lines of script; a Content-Security-Policy that
// forbids every network request.
import type { Provenance } from '../common/figures/figure';
import { directionName, directionSlug, readingKind } from '../common/figures/lm-common';
import { faithfulnessLine } from '../common/figures/lm-spectrum';
import { formatNumber } from '../common/number-format';
import type { LmAtlasData } from './lm-atlas';
import { pageHead } from './html-page';
import { escapeXml as e } from './svg';

export interface LmAtlasPage {
  data: LmAtlasData;
  provenance: Provenance;
  /** the inline SVG of a figure by its file name (layer-1-dog-spectrum) */
  svg: (name: string) => string;
}

const CSS = `
body { font: 14px/1.4 'DejaVu Sans', Helvetica, Arial, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 8px 0 4px; }
h3 { font-size: 14px; margin: 16px 0 4px; }
.meta { color: #555; margin: 0 0 12px; }
nav { display: flex; flex-wrap: wrap; gap: 6px; margin: 12px 0; }
nav button { font: inherit; padding: 4px 10px; border: 1px solid #999; background: #f4f4f4; border-radius: 4px; cursor: pointer; }
nav button[aria-pressed="true"] { background: #2166ac; color: #fff; border-color: #2166ac; }
section.reading { margin: 16px 0; padding-top: 8px; border-top: 1px solid #ddd; }
section.reading[hidden] { display: none; }
.figures { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
details.provenance { margin-top: 24px; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; }
`;

const SCRIPT = `
(function () {
  var buttons = document.querySelectorAll('nav button');
  var sections = document.querySelectorAll('section.reading');
  function show(which) {
    sections.forEach(function (s) { s.hidden = which !== 'all' && s.id !== which; });
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.dataset.show === which)); });
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { show(b.dataset.show); }); });
  show(buttons.length > 1 ? buttons[1].dataset.show : 'all');
})();
`;

export function lmAtlasHtml(p: LmAtlasPage): string {
  const { info, sections } = p.data;
  const name = info.runName ? `${info.runName} (run ${info.runId})` : p.provenance.run_id;
  const title = `Feature atlas: ${name}`;
  const id = (layer: number, spec: string) => `layer-${layer}-${directionSlug(spec)}`;
  const nav = [`<button type="button" data-show="all">all</button>`, ...sections.map((s) => `<button type="button" data-show="${e(id(s.layer, s.spectrum.direction.spec))}">layer ${s.layer} · ${e(directionName(s.spectrum.direction))}</button>`)].join('');
  const body = sections
    .map((s) => {
      const base = id(s.layer, s.spectrum.direction.spec);
      const facts = `${s.spectrum.positives} positive and ${s.spectrum.negatives} negative eigenvalues; ${faithfulnessLine(s.spectrum)}.`;
      const features = s.features
        .map((f) => `<h3>eigenvector #${f.rank}, λ = ${e(formatNumber(f.eigenvalue))}</h3><div class="figures">${p.svg(`${base}-rank-${f.rank}-tokens`)}${p.svg(`${base}-rank-${f.rank}-contexts`)}</div>`)
        .join('');
      return `<section class="reading" id="${e(base)}"><h2>layer ${s.layer}: the logit of ${e(directionName(s.spectrum.direction))}</h2><p class="meta">${e(facts)}</p><div class="figures">${p.svg(`${base}-spectrum`)}${p.svg(`${base}-truncation`)}</div>${features}</section>`;
    })
    .join('\n');
  const summary = `${info.gate} gate, ${info.layers} layer${info.layers === 1 ? '' : 's'}, d_model = ${info.dModel}, vocabulary ${info.vocab} (${info.tokenizerSize} tokens in the tokenizer). Each layer's MLP read for an output direction u as x̂ᵀQ(u)x̂ = Σ λ(vᵀx̂)², ${readingKind(info.exact)}; eigenvectors by |λ|, each signed so that its mean vᵀx̂ over validation positions is ≥ 0; top tokens read on the direct path (a token's embedding through the MLP's norm), top contexts over ${info.positions} validation positions. App ${p.provenance.app_version}.`;
  return `${pageHead(title, CSS, { provenance: p.provenance })}
<body>
<h1>${e(title)}</h1>
<p class="meta">${e(summary)}</p>
<nav aria-label="layers and tokens">${nav}</nav>
${body}
<details class="provenance"><summary>provenance</summary><pre>${e(JSON.stringify(p.provenance, null, 2))}</pre></details>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
