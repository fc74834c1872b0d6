// The figure functions alone: well-formed SVG, provenance in <metadata>, a colour map centred at 0
// with a symmetric range per image, and text kept as text.
import { describe, expect, it } from 'vitest';
import { divergingColor, eigenvectorGrid, spectrumChart, truncationChart, type Provenance } from '../../src-main/export/svg';
import { provenanceOf, xmlProblems } from './xml';

const P: Provenance = { run_id: 'r<1>&"x"', run_dir: '/tmp/r', gate: 'sqs', config: { d: 16, note: '<b>&' }, app_version: '9.9.9' };

describe('diverging colour map', () => {
  it('is white at 0, blue at -1, red at +1, and symmetric in lightness', () => {
    expect(divergingColor(0)).toBe('#ffffff');
    expect(divergingColor(-1)).toBe('#2166ac');
    expect(divergingColor(1)).toBe('#b2182b');
    expect(divergingColor(5)).toBe(divergingColor(1));
    expect(divergingColor(Number.NaN)).toBe('#ffffff');
    const light = (hex: string) => [1, 3, 5].reduce((s, i) => s + parseInt(hex.slice(i, i + 2), 16), 0);
    expect(light(divergingColor(0.5))).toBeLessThan(light(divergingColor(0.1)));
    expect(light(divergingColor(-0.5))).toBeLessThan(light(divergingColor(-0.1)));
  });
});

describe('figures', () => {
  it('eigenvectorGrid: one heatmap per vector, range symmetric per image, zero drawn white', () => {
    const k = 3;
    const v = new Float32Array(k * 784);
    for (let i = 0; i < 784; i++) v[i] = i < 392 ? -2 : 1; // image 1: range ±2, so +1 is half red
    v[784 + 10] = 0.5; // image 2: a single positive pixel, the rest 0
    const svg = eigenvectorGrid({ vectors: v, values: [3.5, -1.25, 0], imageShape: [28, 28], title: 'class 0 & co', provenance: P });
    expect(xmlProblems(svg)).toEqual([]);
    expect(provenanceOf(svg)).toEqual(P);
    const groups = [...svg.matchAll(/<g class="eigenvector" data-rank="(\d+)" data-eigenvalue="([^"]+)" data-range="([^"]+)">/g)];
    expect(groups.map((g) => Number(g[3]))).toEqual([2, 0.5, 0]);
    expect(svg).toContain(`fill="${divergingColor(-1)}"`);
    expect(svg).toContain(`fill="${divergingColor(0.5)}"`);
    expect(svg).toContain(`fill="${divergingColor(1)}"`);
    expect(svg).toContain('λ = 3.50');
    expect(svg).toContain('λ = -1.25');
    expect(svg).toContain('class 0 &amp; co');
    expect(svg).not.toMatch(/href=|src=|url\(|<image/);
    // the second image: every pixel but one is 0 → white
    const second = svg.slice(groups[1].index, groups[2].index);
    expect(second).toContain('fill="#ffffff"');
    expect(() => eigenvectorGrid({ vectors: v, values: [1], imageShape: [28, 28], title: 't', provenance: P })).toThrow(/images/);
  });

  it('spectrumChart and truncationChart: well-formed, provenance, positives and negatives apart', () => {
    const s = spectrumChart({ values: [4, -3, 2, -1, 0.5], title: 'spectrum', provenance: P });
    expect(xmlProblems(s)).toEqual([]);
    expect(provenanceOf(s).run_id).toBe(P.run_id);
    expect(s.match(/class="positive"/g)).toHaveLength(3);
    expect(s.match(/class="negative"/g)).toHaveLength(2);
    expect(s).toContain('3 positive, 2 negative');
    const t = truncationChart({ points: [1, 2, 3].map((k) => ({ k, accuracy: k / 4 })), title: 'truncation', provenance: P, references: [{ label: 'model', accuracy: 0.9 }] });
    expect(xmlProblems(t)).toEqual([]);
    expect(provenanceOf(t).app_version).toBe('9.9.9');
    expect(t).toMatch(/<path class="truncation" d="M[^"]+ L[^"]+ L[^"]+"/);
    expect(t).toContain('model 90.0%');
  });

  it('the well-formedness check itself catches broken documents', () => {
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg>a & b</svg>')).not.toEqual([]);
    expect(xmlProblems('<svg x=1></svg>')).not.toEqual([]);
  });
});
