// Exporting a run folder's atlas: check the request, analyse the run first when it has no stored
// analysis or one of an earlier version (saved in the run, as `analyze` does), read the atlas and,
// for the HTML page, every drawn feature's detail, then write it all with writeAtlas, or hand it
// back as one file to download (the page, or a zip of the figures).
import { basename, resolve } from 'node:path';
import { ATLAS_COUNT, type AtlasExportFormat, type FigureSize } from '../common/formats';
import { analyzeRun, DEFAULT_ANALYZE, writeAnalysis } from '../engine/analysis/analyze';
import { atlasOf, featureDetailOf } from '../engine/analysis/atlas-data';
import { hasAnalysis, outdatedAnalysis, readAnalysisSource, testSplitOf } from '../engine/analysis/atlas-source';
import type { Atlas, FeatureDetail } from '../engine/analysis/atlas-types';
import type { EpName } from '../engine/onnx/session';
import { loadRun } from '../engine/train/run-reader';
import { APP_VERSION } from '../common/version';
import { checkAtlasRequest, checkClasses, checkFormat, checkOutDir, checkSize, renderAtlas, writeAtlas, type WriteAtlasOptions, type WrittenAtlas } from './atlas';
import { atlasFile, type AtlasFile } from './atlas-file';
import { ExportError } from './errors';
import type { Provenance } from '../common/figures/figure';
import { checkDpi } from './png';

export const DEFAULT_ATLAS_COUNT = ATLAS_COUNT.default;
export const DEFAULT_DETAIL_EXAMPLES = 8;

export interface RunAtlasOptions {
  runDir: string;
  outDir: string;
  format: AtlasExportFormat;
  classes?: number[];
  /** positive and negative eigenvectors per class (default 6) */
  count?: number;
  dpi?: number;
  /** the figures' size: as on screen (default), a journal column (3.25 in) or page (6.75 in) */
  size?: FigureSize;
  /** false: figures without their titles (default true) */
  title?: boolean;
  /** the run's id and name in a workspace, when it has them */
  runId?: number;
  runName?: string | null;
  /** HTML only: test examples per feature in its details (default 8; 0 leaves the details out) */
  examples?: number;
  /** where to analyse a run that has none yet */
  ep?: EpName;
}

export interface RunAtlasResult extends WrittenAtlas {
  count: number;
  /** true when the run had no analysis of this version and one was computed (and saved in the run) first */
  analyzed: boolean;
}

function positiveInt(what: string, v: number, max = Infinity): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new ExportError(`${what} must be an integer from 1${Number.isFinite(max) ? ` to ${max}` : ''}, got ${v}`);
  return v;
}

export async function exportRunAtlas(o: RunAtlasOptions): Promise<RunAtlasResult> {
  const checked = checkOptions(o);
  const outDir = resolve(o.outDir);
  if (outDir === resolve(o.runDir)) throw new ExportError(`output folder ${outDir} is the run folder itself; choose another`);
  checkOutDir(outDir);
  const r = await readRunAtlas(o, checked);
  const written = await writeAtlas(r.atlas, { ...r.render, outDir });
  return { ...written, count: r.count, analyzed: r.analyzed };
}

/** The run's atlas as one file to download: the HTML page, or a zip of every figure. */
export async function runAtlasFile(o: Omit<RunAtlasOptions, 'outDir'>): Promise<AtlasFile & { analyzed: boolean }> {
  const r = await readRunAtlas(o, checkOptions(o));
  const { files } = await renderAtlas(r.atlas, r.render);
  const name = o.runId !== undefined ? `run-${o.runId}` : basename(resolve(o.runDir));
  return { ...atlasFile(files, o.format, name), analyzed: r.analyzed };
}

/** The options that need no run checked, and the count and examples they come to. */
function checkOptions(o: Omit<RunAtlasOptions, 'outDir'>): { count: number; examples: number } {
  checkFormat(o.format);
  const count = positiveInt('the eigenvector count (top-k)', o.count ?? DEFAULT_ATLAS_COUNT, ATLAS_COUNT.max);
  if (o.dpi !== undefined) checkDpi(o.dpi);
  if (o.size !== undefined) checkSize(o.size);
  const examples = o.examples ?? DEFAULT_DETAIL_EXAMPLES;
  if (!Number.isInteger(examples) || examples < 0 || examples > 64) throw new ExportError(`examples must be an integer from 0 to 64, got ${examples}`);
  return { count, examples };
}

/** Analyses the run when needed, and reads what the atlas's files are drawn from. */
async function readRunAtlas(
  o: Omit<RunAtlasOptions, 'outDir'>,
  { count, examples }: { count: number; examples: number },
): Promise<{ atlas: Atlas; render: Omit<WriteAtlasOptions, 'outDir'>; count: number; analyzed: boolean }> {
  const runDir = resolve(o.runDir);
  // the classes are checked against the run before a possibly long analysis
  const run = loadRun(runDir);
  checkClasses(o.classes, Array.from({ length: run.config.classes }, (_, c) => c));

  let analyzed = false;
  if (!hasAnalysis(runDir) || outdatedAnalysis(runDir)) {
    writeAnalysis(runDir, await analyzeRun(runDir, { ...DEFAULT_ANALYZE, ep: o.ep ?? DEFAULT_ANALYZE.ep }));
    analyzed = true;
  }
  const src = readAnalysisSource(runDir);
  const atlas = atlasOf(src, count, { runId: o.runId, runName: o.runName });
  const classes = checkAtlasRequest(atlas, o);
  const details: FeatureDetail[] = [];
  if (o.format === 'html' && examples > 0) {
    const test = testSplitOf(src);
    for (const c of classes) {
      const k = atlas.classes.find((x) => x.class === c)!;
      for (const f of [...k.positive, ...k.negative]) details.push(featureDetailOf(src, test, c, f.rank, examples));
    }
  }
  const provenance: Provenance = {
    run_id: o.runId !== undefined ? String(o.runId) : basename(runDir),
    ...(o.runName ? { run_name: o.runName } : {}),
    run_dir: runDir,
    gate: atlas.gate,
    layer: atlas.layer,
    exact: atlas.exact,
    config: run.config,
    app_version: APP_VERSION,
  };
  return { atlas, render: { format: o.format, classes, dpi: o.dpi, size: o.size, title: o.title, provenance, details }, count, analyzed };
}
