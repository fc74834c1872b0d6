// The atlas as one self-contained HTML page: inline SVG figures, inline CSS, a few lines of inline
// script to switch classes and to show a clicked eigenvector's details, and a Content-Security-
// Policy that forbids every network request (images only from data: URIs inside the page).
import type { Atlas, FeatureDetail } from '../engine/analysis/atlas-types';
import { gaugeLegend } from '../common/atlas-captions';
import { detailPanels } from './atlas-details';
import type { Provenance } from '../common/figures/figure';
import { formatFixed, formatPercent } from '../common/number-format';
import { className } from '../common/figures/common';
import { pageHead } from './html-page';
import { escapeXml as e } from './svg';

export interface AtlasPageClass {
  class: number;
  /** inline SVG documents */
  positive: string;
  negative: string;
  spectrum: string;
}

export interface AtlasPage {
  atlas: Atlas;
  provenance: Provenance;
  classes: AtlasPageClass[];
  truncation: string;
  details: readonly FeatureDetail[];
}

const CSS = `
body { font: 14px/1.4 'DejaVu Sans', Helvetica, Arial, sans-serif; margin: 24px; color: #222; background: #fff; }
body.with-panel { margin-right: 420px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.meta { color: #555; margin: 0 0 16px; }
nav { display: flex; flex-wrap: wrap; gap: 6px; margin: 12px 0; }
nav button, #feature button { font: inherit; padding: 4px 10px; border: 1px solid #999; background: #f4f4f4; border-radius: 4px; cursor: pointer; }
nav button[aria-pressed="true"] { background: #2166ac; color: #fff; border-color: #2166ac; }
section.class { margin: 16px 0; padding-top: 8px; border-top: 1px solid #ddd; }
section.class[hidden] { display: none; }
.figures { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
g.eigenvector { cursor: pointer; }
g.eigenvector:focus { outline: none; }
g.eigenvector.selected > g > rect:last-child, g.eigenvector:focus > g > rect:last-child { stroke: #000; stroke-width: 0.75px; }
#feature { position: fixed; top: 0; right: 0; bottom: 0; width: 380px; overflow-y: auto; padding: 16px; background: #fafafa; border-left: 1px solid #ccc; box-sizing: border-box; }
#feature[hidden] { display: none; }
#feature h3 { margin: 0 0 8px; font-size: 16px; }
#feature h4 { margin: 14px 0 4px; font-size: 13px; font-weight: normal; color: #444; }
#feature dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
#feature dt { color: #555; }
#feature dd { margin: 0; }
#feature .close { float: right; }
.examples { display: flex; flex-wrap: wrap; gap: 6px; }
.examples figure { margin: 0; text-align: center; font-size: 11px; }
.examples img { image-rendering: pixelated; border: 1px solid #bbb; display: block; }
.examples span { color: #777; font-size: 10px; }
details.provenance { margin-top: 24px; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; }
`;

const SCRIPT = `
(function () {
  var buttons = document.querySelectorAll('nav button');
  var sections = document.querySelectorAll('section.class');
  var panel = document.getElementById('feature');
  var body = document.getElementById('feature-body');
  var data = JSON.parse(document.getElementById('features').textContent);
  var selected = null;
  function show(which) {
    sections.forEach(function (s) { s.hidden = which !== 'all' && s.dataset.class !== which; });
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.dataset.show === which)); });
  }
  function close() {
    panel.hidden = true;
    document.body.classList.remove('with-panel');
    if (selected) selected.classList.remove('selected');
    selected = null;
  }
  function open(g) {
    var section = g.closest('section.class');
    var html = section && data.panels[section.dataset.class + ':' + g.dataset.rank];
    if (!html) return;
    if (selected) selected.classList.remove('selected');
    selected = g;
    g.classList.add('selected');
    body.innerHTML = html;
    body.querySelectorAll('img[data-example]').forEach(function (img) { img.src = data.images[img.dataset.example]; });
    panel.hidden = false;
    document.body.classList.add('with-panel');
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { show(b.dataset.show); }); });
  document.querySelectorAll('g.eigenvector').forEach(function (g) {
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', 'eigenvector ' + g.dataset.rank + ', λ = ' + g.dataset.eigenvalue + ': show details');
    g.addEventListener('click', function () { open(g); });
    g.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); open(g); } });
  });
  document.getElementById('feature-close').addEventListener('click', close);
  document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') close(); });
  show(buttons.length > 1 ? buttons[1].dataset.show : 'all');
})();
`;

export function atlasHtml(p: AtlasPage): string {
  const a = p.atlas;
  const pct = (x: number) => formatPercent(x);
  const name = a.runName ? `${a.runName} (run ${a.runId})` : p.provenance.run_id;
  const title = `Feature atlas: ${name}`;
  const count = Math.max(0, ...a.classes.map((k) => Math.max(k.positive.length, k.negative.length)));
  const nav = [`<button type="button" data-show="all">all classes</button>`, ...p.classes.map((f) => `<button type="button" data-show="${f.class}">${e(className(f.class, a.classes.find((k) => k.class === f.class)?.label))}</button>`)].join('');
  const sections = p.classes
    .map((f) => {
      const k = a.classes.find((x) => x.class === f.class);
      const facts = k ? `effective rank ${formatFixed(k.effectiveRank, 2)}; agreement ${pct(k.faithfulness.agreement)}; logit correlation ${formatFixed(k.faithfulness.logitCorrelation, 4)}` : '';
      const legend = gaugeLegend(k?.label ?? String(f.class));
      return `<section class="class" id="class-${f.class}" data-class="${f.class}"><h2>${e(className(f.class, k?.label))}</h2><p class="meta">${e(facts)}</p><p class="meta legend">${e(legend)}</p><div class="figures">${f.positive}${f.negative}${f.spectrum}</div></section>`;
    })
    .join('\n');
  const features = detailPanels(
    a,
    p.classes.map((c) => c.class),
    p.details,
  );
  const summary = `${a.gate} gate, layer ${a.layer}, d = ${a.d}, ${a.classes.length} classes; per class the top ${count} positive and negative eigenvectors, shown in input space (Eᵀv) on a blue–white–red map centred at 0 with a symmetric range per image, each signed so that its class's test images have mean vᵀz > 0 (z = E x): red pixels are where ink raises vᵀz, blue where it lowers it; click one for its details. Model accuracy ${pct(a.modelAccuracy)}; surrogate ${pct(a.surrogateAccuracy)} (${a.exact ? 'exact for a bilinear layer' : 'first-order reading of the gate'}); agreement ${pct(a.faithfulness.agreement)}, logit correlation ${formatFixed(a.faithfulness.logitCorrelation, 4)}. App ${p.provenance.app_version}.`;
  return `${pageHead(title, CSS, { provenance: p.provenance, features })}
<body>
<h1>${e(title)}</h1>
<p class="meta">${e(summary)}</p>
<div class="figures">${p.truncation}</div>
<nav aria-label="classes">${nav}</nav>
${sections}
<aside id="feature" aria-live="polite" hidden><button type="button" class="close" id="feature-close" aria-label="close the details">×</button><div id="feature-body"></div></aside>
<details class="provenance"><summary>provenance</summary><pre>${e(JSON.stringify(p.provenance, null, 2))}</pre></details>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
