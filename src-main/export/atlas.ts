// The feature atlas of a run written to a folder: per class the top positive and negative
// eigenvectors and the spectrum, plus the truncation curve, as SVG, PNG or PDF files, or one
// self-contained HTML page. Everything is checked and rendered before anything is written, into
// a staging folder that is renamed into place: the output appears complete or not at all.
// renderAtlas gives the very same files in memory, for a download (atlas-file.ts).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { fileProblem, replaceDirAtomic, writeFileAtomic } from '../engine/util/atomic-file';
import { basename, dirname, join, resolve } from 'node:path';
import { ATLAS_EXPORT_FORMATS, FIGURE_SIZES, type AtlasExportFormat, type FigureSize } from '../common/formats';
import type { Atlas, FeatureDetail } from '../engine/analysis/atlas-types';
import { atlasHtml, type AtlasPageClass } from './atlas-html';
import { ExportError, ExportWriteError, OutputFolderError } from './errors';
import type { Figure, Provenance } from '../common/figures/figure';
import { describeClasses } from '../common/figures/common';
import { eigenvectorsFigure } from '../common/figures/eigenvector-grid';
import { spectrumFigure } from '../common/figures/spectrum';
import type { FigureOptions } from '../common/figures/style';
import { truncationFigure } from '../common/figures/truncation';
import { checkDpi, DEFAULT_DPI } from './png';
import { renderFigure } from './render';
import { toSvg } from './svg';

export { ExportError };

export interface WriteAtlasOptions {
  /** a new or empty folder */
  outDir: string;
  format: AtlasExportFormat;
  /** default: every class of the atlas */
  classes?: number[];
  /** PNG only (default 300) */
  dpi?: number;
  /** the figures' size: as on screen (default), a journal column or page */
  size?: FigureSize;
  /** false: figures without their titles (default true) */
  title?: boolean;
  provenance: Provenance;
  /** HTML only: features whose details (examples, class logits) the page shows when clicked */
  details?: FeatureDetail[];
}

export interface WrittenAtlas {
  outDir: string;
  /** absolute paths, in the order written */
  files: string[];
  classes: number[];
}

export function checkFormat(format: string): AtlasExportFormat {
  if (!(ATLAS_EXPORT_FORMATS as readonly string[]).includes(format)) throw new ExportError(`unknown format '${format}': choose ${ATLAS_EXPORT_FORMATS.join(', ')}`);
  return format as AtlasExportFormat;
}

export function checkSize(size: string): FigureSize {
  if (!(FIGURE_SIZES as readonly string[]).includes(size)) throw new ExportError(`unknown size '${size}': choose ${FIGURE_SIZES.join(', ')}`);
  return size as FigureSize;
}

/** The classes asked for (default: all available), each known and named once. */
export function checkClasses(requested: readonly number[] | undefined, available: readonly number[]): number[] {
  const classes = requested ? [...requested] : [...available];
  if (classes.length === 0) throw new ExportError('no classes to export');
  const known = new Set(available);
  for (const c of classes) if (!Number.isInteger(c) || !known.has(c)) throw new ExportError(`unknown class ${c}: ${describeClasses(available)}`);
  if (new Set(classes).size !== classes.length) throw new ExportError(`class list ${classes.join(',')} names a class twice`);
  return classes;
}

/** Checks the request against the atlas; returns the classes to write. */
export function checkAtlasRequest(atlas: Atlas, o: Pick<WriteAtlasOptions, 'format' | 'classes' | 'dpi' | 'size'>): number[] {
  checkFormat(o.format);
  if (o.dpi !== undefined) checkDpi(o.dpi);
  if (o.size !== undefined) checkSize(o.size);
  return checkClasses(o.classes, atlas.classes.map((k) => k.class));
}

/** Every figure of the atlas for these classes, by file name (without extension). */
export function atlasFigures(atlas: Atlas, classes: readonly number[], provenance: Provenance, options: FigureOptions = {}): Map<string, Figure> {
  const figures = new Map<string, Figure>();
  for (const c of classes) {
    const k = atlas.classes.find((x) => x.class === c)!;
    figures.set(`class-${c}-positive`, eigenvectorsFigure(atlas, { class: c, sign: 'positive', count: k.positive.length }, provenance, options));
    figures.set(`class-${c}-negative`, eigenvectorsFigure(atlas, { class: c, sign: 'negative', count: k.negative.length }, provenance, options));
    figures.set(`spectrum-${c}`, spectrumFigure(atlas, { class: c }, provenance, options));
  }
  figures.set('truncation', truncationFigure(atlas, {}, provenance, options));
  return figures;
}

/** The atlas's files, by name, as they are written (the HTML page, or every figure in the format). */
export type AtlasFiles = Map<string, Uint8Array | string>;

/** Renders every file of the atlas in memory: what writeAtlas writes and what a download carries. */
export async function renderAtlas(atlas: Atlas, o: Omit<WriteAtlasOptions, 'outDir'>): Promise<{ classes: number[]; files: AtlasFiles }> {
  const classes = checkAtlasRequest(atlas, o);
  const figures = atlasFigures(atlas, classes, o.provenance, { size: o.size, title: o.title });
  const files: AtlasFiles = new Map();
  if (o.format === 'html') {
    const svg = (name: string) => toSvg(figures.get(name)!);
    const pages: AtlasPageClass[] = classes.map((c) => ({ class: c, positive: svg(`class-${c}-positive`), negative: svg(`class-${c}-negative`), spectrum: svg(`spectrum-${c}`) }));
    files.set('atlas.html', atlasHtml({ atlas, provenance: o.provenance, classes: pages, truncation: svg('truncation'), details: o.details ?? [] }));
  } else {
    const dpi = o.dpi ?? DEFAULT_DPI;
    // one at a time: PNG rendering runs off the main thread, PDF is quick; memory stays small
    for (const [name, fig] of figures) {
      const r = await renderFigure(fig, o.format, { dpi });
      files.set(`${name}.${r.extension}`, r.bytes);
    }
  }
  return { classes, files };
}

export async function writeAtlas(atlas: Atlas, o: WriteAtlasOptions): Promise<WrittenAtlas> {
  checkAtlasRequest(atlas, o);
  const outDir = resolve(o.outDir);
  checkOutDir(outDir);
  const { classes, files } = await renderAtlas(atlas, o);
  writeAll(outDir, files);
  return { outDir, files: [...files.keys()].map((f) => join(outDir, f)), classes };
}

/** Refuses an output that is a file or a non-empty folder. */
export function checkOutDir(outDir: string): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) throw new OutputFolderError(`output ${outDir} exists and is not a folder`);
  if (readdirSync(outDir).length > 0) throw new OutputFolderError(`output folder ${outDir} exists and is not empty; choose a new folder`);
}

function writeProblem(e: unknown, where: string): ExportError {
  return new ExportWriteError(`cannot write the export to ${where}: ${fileProblem(e)}`);
}

/** Writes every file into a staging folder beside outDir, then renames it into place; on any failure the staging folder goes. */
export function writeAll(outDir: string, files: AtlasFiles): void {
  const parent = dirname(outDir);
  let createdFrom: string | undefined;
  try {
    createdFrom = existsSync(parent) ? undefined : mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw writeProblem(e, parent);
  }
  const staging = join(parent, `.${basename(outDir)}.partial-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(staging);
    for (const [name, data] of files) writeFileAtomic(join(staging, name), data);
    replaceDirAtomic(staging, outDir); // outDir is new or empty (checked before)
  } catch (e) {
    for (const leftover of [staging, createdFrom]) {
      try {
        if (leftover) rmSync(leftover, { recursive: true, force: true });
      } catch {
        // nothing was made there (a file in the path, no permission): nothing to remove
      }
    }
    throw writeProblem(e, existsSync(parent) ? parent : outDir);
  }
}
