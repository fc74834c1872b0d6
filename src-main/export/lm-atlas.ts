// A language model's atlas: per layer and output direction, the spectrum of Q_ℓ(u), its truncation
// curve, and the top features' tokens and contexts, as SVG, PNG or PDF files, or one self-contained
// HTML page. Reading goes through an LmAtlasReader (the api's lm.* calls), so this module draws and
// writes only; like the classifier atlas, everything is read and rendered before anything is
// written, and the folder appears complete or not at all.
import { resolve } from 'node:path';
import type { AtlasExportFormat, FigureSize } from '../common/formats';
import type { LmFeature, LmInfo, LmSpectrum } from '../engine/analysis/lm-atlas-types';
import type { Figure, Provenance } from '../common/figures/figure';
import { directionSlug } from '../common/figures/lm-common';
import { lmContextsFigure } from '../common/figures/lm-contexts';
import { lmSpectrumFigure } from '../common/figures/lm-spectrum';
import { lmTokensFigure } from '../common/figures/lm-tokens';
import { lmTruncationFigure } from '../common/figures/lm-truncation';
import type { FigureOptions } from '../common/figures/style';
import { checkFormat, checkOutDir, checkSize, writeAll, type AtlasFiles } from './atlas';
import { ExportError } from './errors';
import { lmAtlasHtml } from './lm-atlas-html';
import { checkDpi, DEFAULT_DPI } from './png';
import { renderFigure } from './render';
import { toSvg } from './svg';

/** What an LM atlas is read through: the lm.* calls of one run. */
export interface LmAtlasReader {
  info(): Promise<LmInfo>;
  spectrum(layer: number, direction: string): Promise<LmSpectrum>;
  feature(layer: number, direction: string, rank: number): Promise<LmFeature>;
}

/** Output directions read when none are asked for: words of any story, kept where the tokenizer has them. */
export const DEFAULT_LM_DIRECTIONS = ['the', 'he', 'she', 'happy', 'dog'] as const;
export const DEFAULT_LM_FEATURES = 4;

export interface LmAtlasRequest {
  format: AtlasExportFormat;
  /** direction specs (default: DEFAULT_LM_DIRECTIONS the tokenizer has) */
  tokens?: string[];
  /** default: every layer */
  layers?: number[];
  /** features per layer and direction (default 4) */
  count?: number;
  dpi?: number;
  size?: FigureSize;
  title?: boolean;
}

/** One layer and direction: its spectrum and its top features. */
export interface LmAtlasSection {
  layer: number;
  spectrum: LmSpectrum;
  features: LmFeature[];
}

export interface LmAtlasData {
  info: LmInfo;
  sections: LmAtlasSection[];
}

/** Checks what needs no reading: the format, size, dpi and count. */
export function checkLmRequest(o: LmAtlasRequest): void {
  checkFormat(o.format);
  if (o.dpi !== undefined) checkDpi(o.dpi);
  if (o.size !== undefined) checkSize(o.size);
  if (o.count !== undefined && (!Number.isInteger(o.count) || o.count < 1 || o.count > 64)) throw new ExportError(`the feature count must be an integer from 1 to 64, got ${o.count}`);
}

export async function readLmAtlas(reader: LmAtlasReader, o: LmAtlasRequest): Promise<LmAtlasData> {
  checkLmRequest(o);
  const info = await reader.info();
  if (info.unreadable) throw new ExportError(`run ${info.runId} cannot be read: ${info.unreadable}`);
  const all = Array.from({ length: info.layers }, (_, l) => l);
  const layers = o.layers ?? all;
  for (const l of layers) if (!all.includes(l)) throw new ExportError(`unknown layer ${l}: this model has layers 0 to ${info.layers - 1}`);
  if (new Set(layers).size !== layers.length) throw new ExportError(`layer list ${layers.join(',')} names a layer twice`);
  if (o.tokens && new Set(o.tokens).size !== o.tokens.length) throw new ExportError(`token list ${o.tokens.join(',')} names a token twice`);
  const count = o.count ?? DEFAULT_LM_FEATURES;
  const sections: LmAtlasSection[] = [];
  let directions: readonly string[] = o.tokens ?? DEFAULT_LM_DIRECTIONS;
  if (!o.tokens) {
    // defaults the tokenizer lacks are left out; a direction asked for by name is an error
    const known: string[] = [];
    for (const d of directions) if (await reader.spectrum(layers[0], d).then(() => true, () => false)) known.push(d);
    if (known.length === 0) throw new ExportError(`none of the default tokens (${DEFAULT_LM_DIRECTIONS.join(', ')}) is one token of this tokenizer; name some with --tokens`);
    directions = known;
  }
  for (const layer of layers) {
    for (const d of directions) {
      const spectrum = await reader.spectrum(layer, d);
      const n = Math.min(count, spectrum.eigenvalues.length);
      const features: LmFeature[] = [];
      for (let rank = 1; rank <= n; rank++) features.push(await reader.feature(layer, d, rank));
      sections.push({ layer, spectrum, features });
    }
  }
  return { info, sections };
}

/** Every figure of the atlas by file name (without extension): layer-1-dog-spectrum, layer-1-dog-rank-2-tokens, … */
export function lmAtlasFigures(data: LmAtlasData, provenance: Provenance, options: FigureOptions = {}): Map<string, Figure> {
  const figures = new Map<string, Figure>();
  for (const s of data.sections) {
    const base = `layer-${s.layer}-${directionSlug(s.spectrum.direction.spec)}`;
    figures.set(`${base}-spectrum`, lmSpectrumFigure(s.spectrum, provenance, options));
    figures.set(`${base}-truncation`, lmTruncationFigure(s.spectrum, provenance, options));
    for (const f of s.features) {
      figures.set(`${base}-rank-${f.rank}-tokens`, lmTokensFigure(f, provenance, options));
      figures.set(`${base}-rank-${f.rank}-contexts`, lmContextsFigure(f, provenance, options));
    }
  }
  return figures;
}

export async function renderLmAtlas(data: LmAtlasData, o: LmAtlasRequest & { provenance: Provenance }): Promise<AtlasFiles> {
  const figures = lmAtlasFigures(data, o.provenance, { size: o.size, title: o.title });
  const files: AtlasFiles = new Map();
  if (o.format === 'html') {
    const svgs = new Map([...figures].map(([name, fig]) => [name, toSvg(fig)]));
    files.set('atlas.html', lmAtlasHtml({ data, provenance: o.provenance, svg: (name) => svgs.get(name) ?? '' }));
    return files;
  }
  for (const [name, fig] of figures) {
    const r = await renderFigure(fig, o.format, { dpi: o.dpi ?? DEFAULT_DPI });
    files.set(`${name}.${r.extension}`, r.bytes);
  }
  return files;
}

/** Reads, renders and writes the atlas into `outDir` (new or empty). */
export async function writeLmAtlas(reader: LmAtlasReader, o: LmAtlasRequest & { outDir: string; provenance: Provenance }): Promise<{ outDir: string; files: string[] }> {
  const outDir = resolve(o.outDir);
  checkLmRequest(o);
  checkOutDir(outDir);
  const files = await renderLmAtlas(await readLmAtlas(reader, o), o);
  writeAll(outDir, files);
  return { outDir, files: [...files.keys()].map((f) => resolve(outDir, f)) };
}
