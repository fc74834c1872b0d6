// The atlas as one self-contained HTML page: inline SVG figures, inline CSS, a few lines of inline
// script to switch classes, and a Content-Security-Policy that forbids every network request.
import type { AnalysisSummary } from '../engine/spectra/analyze';
import type { ClassFigures } from './atlas';
import type { Provenance } from './svg';

export interface AtlasPage {
  provenance: Provenance;
  summary: AnalysisSummary;
  figures: ClassFigures[];
  truncation: string;
  topK: number;
  escape: (s: string) => string;
}

const CSS = `
body { font: 14px/1.4 Helvetica, Arial, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
.meta { color: #555; margin: 0 0 16px; }
nav { display: flex; flex-wrap: wrap; gap: 6px; margin: 12px 0; }
nav button { font: inherit; padding: 4px 10px; border: 1px solid #999; background: #f4f4f4; border-radius: 4px; cursor: pointer; }
nav button[aria-pressed="true"] { background: #2166ac; color: #fff; border-color: #2166ac; }
section.class { margin: 16px 0; padding-top: 8px; border-top: 1px solid #ddd; }
section.class[hidden] { display: none; }
.figures { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
details { margin-top: 24px; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; }
`;

const SCRIPT = `
(function () {
  var buttons = document.querySelectorAll('nav button');
  var sections = document.querySelectorAll('section.class');
  function show(which) {
    sections.forEach(function (s) { s.hidden = which !== 'all' && s.dataset.class !== which; });
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.dataset.show === which)); });
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { show(b.dataset.show); }); });
  show(buttons.length > 1 ? buttons[1].dataset.show : 'all');
})();
`;

export function atlasHtml(p: AtlasPage): string {
  const e = p.escape;
  const s = p.summary;
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const title = `Feature atlas: ${p.provenance.run_id}`;
  const nav = [`<button type="button" data-show="all">all classes</button>`, ...p.figures.map((f) => `<button type="button" data-show="${f.class}">class ${f.class}</button>`)].join('');
  const sections = p.figures
    .map((f) => {
      const c = s.per_class[f.class];
      const facts = c
        ? `effective rank ${c.effective_rank.toFixed(2)}; agreement ${pct(c.faithfulness.agreement)}; logit correlation ${c.faithfulness.logit_correlation.toFixed(4)}`
        : '';
      return `<section class="class" id="class-${f.class}" data-class="${f.class}"><h2>class ${f.class}</h2><p class="meta">${e(facts)}</p><div class="figures">${f.grid}${f.spectrum}</div></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${CSS}</style>
<script type="application/json" id="provenance">${JSON.stringify(p.provenance).replace(/</g, '\\u003c')}</script>
</head>
<body>
<h1>${e(title)}</h1>
<p class="meta">${e(`${s.gate} gate, layer ${s.layer}, d = ${s.d}, ${s.classes} classes; top ${p.topK} eigenvectors per class by |λ|, shown in input space (Eᵀv) on a blue–white–red map centred at 0 with a symmetric range per image. Model accuracy ${pct(s.model_accuracy)}; surrogate ${pct(s.surrogate_accuracy)} (${s.exact ? 'exact for a bilinear layer' : 'first-order reading of the gate'}); agreement ${pct(s.faithfulness.agreement)}, logit correlation ${s.faithfulness.logit_correlation.toFixed(4)}. App ${p.provenance.app_version}.`)}</p>
<div class="figures">${p.truncation}</div>
<nav aria-label="classes">${nav}</nav>
${sections}
<details><summary>provenance</summary><pre>${e(JSON.stringify(p.provenance, null, 2))}</pre></details>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
