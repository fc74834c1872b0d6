// The feature atlas of one run: per-class grids of the top eigenvectors in input space, spectra and
// the truncation curve, as separate SVG files or as one self-contained HTML page. Everything is
// checked and rendered before anything is written; the output folder appears complete or not at all.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { analyzeRun, DEFAULT_ANALYZE, writeAnalysis, type AnalysisSummary } from '../engine/spectra/analyze';
import { loadRun } from '../engine/train/run-reader';
import { readSafetensors } from '../engine/util/safetensors';
import { APP_VERSION } from '../store/app-info';
import { eigenvectorGrid, escapeXml, spectrumChart, truncationChart, type Provenance } from './svg';
import { atlasHtml } from './atlas-html';

export class ExportError extends Error {
  override name = 'ExportError';
}

export const ATLAS_FORMATS = ['svg', 'html'] as const;
export type AtlasFormat = (typeof ATLAS_FORMATS)[number];
/** formats announced but not built yet; named in the error for a user who asks for them */
export const PLANNED_FORMATS = ['png', 'pdf'] as const;

export interface AtlasOptions {
  runDir: string;
  outDir: string;
  format: AtlasFormat;
  classes?: number[];
  topK?: number;
}

export interface AtlasResult {
  outDir: string;
  files: string[];
  classes: number[];
  topK: number;
  /** true when the run had no analysis and one was computed (and saved in the run) first */
  analyzed: boolean;
}

interface AnalysisFiles {
  summary: AnalysisSummary;
  /** [C, d] */
  values: Float32Array;
  d: number;
  /** [C, topK, dIn] */
  inputVectors: Float32Array;
  topK: number;
  dIn: number;
}

export interface ClassFigures {
  class: number;
  grid: string;
  spectrum: string;
}

export async function exportAtlas(o: AtlasOptions): Promise<AtlasResult> {
  if (!(ATLAS_FORMATS as readonly string[]).includes(o.format)) {
    throw new ExportError(`unknown format '${o.format}': choose ${ATLAS_FORMATS.join(' or ')} (${PLANNED_FORMATS.join(' and ')} are not available yet)`);
  }
  const topK = o.topK ?? 6;
  if (!Number.isInteger(topK) || topK < 1) throw new ExportError(`top-k must be a positive integer, got ${topK}`);
  const runDir = resolve(o.runDir);
  const outDir = resolve(o.outDir);
  checkOutDir(outDir, runDir);
  const run = loadRun(runDir);
  const C = run.config.classes;
  const classes = o.classes ?? Array.from({ length: C }, (_, c) => c);
  if (classes.length === 0) throw new ExportError('no classes to export');
  for (const c of classes) {
    if (!Number.isInteger(c) || c < 0 || c >= C) throw new ExportError(`unknown class ${c}: this run has ${C} classes (0 to ${C - 1})`);
  }
  if (new Set(classes).size !== classes.length) throw new ExportError(`class list ${classes.join(',')} names a class twice`);

  let analyzed = false;
  if (!existsSync(join(runDir, 'analysis', 'summary.json')) || !existsSync(join(runDir, 'analysis', 'spectra.safetensors'))) {
    writeAnalysis(runDir, await analyzeRun(runDir, { ...DEFAULT_ANALYZE, topK: Math.max(topK, DEFAULT_ANALYZE.topK) }));
    analyzed = true;
  }
  const a = readAnalysis(runDir);
  const k = Math.min(topK, a.d);
  if (k > a.topK) throw new ExportError(`the run's analysis keeps ${a.topK} eigenvectors per class in input space; re-run 'sqs-workbench analyze ${runDir} --top-k ${k}' to export ${k}`);
  const side = Math.round(Math.sqrt(a.dIn));
  if (side * side !== a.dIn) throw new ExportError(`inputs of ${a.dIn} values are not square images; only image runs can be drawn`);

  const provenance: Provenance = {
    run_id: basename(runDir),
    run_dir: runDir,
    gate: a.summary.gate,
    layer: a.summary.layer,
    exact: a.summary.exact,
    config: run.config,
    app_version: APP_VERSION,
  };
  const surrogate = a.summary.exact ? 'exact' : 'first-order';
  const figures: ClassFigures[] = classes.map((c) => {
    const vectors = new Float32Array(k * a.dIn);
    for (let i = 0; i < k; i++) vectors.set(a.inputVectors.subarray((c * a.topK + i) * a.dIn, (c * a.topK + i + 1) * a.dIn), i * a.dIn);
    const values = Array.from(a.values.subarray(c * a.d, c * a.d + k));
    const p = { ...provenance, class: c };
    return {
      class: c,
      grid: eigenvectorGrid({ vectors, values, imageShape: [side, side], title: `class ${c}: top ${k} eigenvectors by |λ| (Eᵀv, ${surrogate})`, provenance: { ...p, figure: 'eigenvectors' } }),
      spectrum: spectrumChart({ values: a.values.subarray(c * a.d, (c + 1) * a.d), title: `class ${c}: spectrum of Q(e_${c})`, provenance: { ...p, figure: 'spectrum' } }),
    };
  });
  const truncation = truncationChart({
    points: a.summary.truncation,
    title: `surrogate accuracy keeping k components per class`,
    provenance: { ...provenance, figure: 'truncation' },
    references: [{ label: 'model', accuracy: a.summary.model_accuracy }],
  });

  const files = new Map<string, string>();
  if (o.format === 'svg') {
    for (const f of figures) {
      files.set(`class-${f.class}.svg`, f.grid);
      files.set(`spectrum-${f.class}.svg`, f.spectrum);
    }
    files.set('truncation.svg', truncation);
  } else {
    files.set('atlas.html', atlasHtml({ provenance, summary: a.summary, figures, truncation, topK: k, escape: escapeXml }));
  }
  writeAll(outDir, files);
  return { outDir, files: [...files.keys()].map((f) => join(outDir, f)), classes, topK: k, analyzed };
}

function checkOutDir(outDir: string, runDir: string): void {
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new ExportError(`output ${outDir} exists and is not a folder`);
    if (readdirSync(outDir).length > 0) throw new ExportError(`output folder ${outDir} exists and is not empty; choose a new folder`);
  }
  if (outDir === runDir) throw new ExportError(`output folder ${outDir} is the run folder itself; choose another`);
}

function readAnalysis(runDir: string): AnalysisFiles {
  const dir = join(runDir, 'analysis');
  let summary: AnalysisSummary;
  let tensors;
  try {
    summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    tensors = readSafetensors(join(dir, 'spectra.safetensors')).tensors;
  } catch (e) {
    throw new ExportError(`${dir}: unreadable analysis (${(e as Error).message}); re-run 'sqs-workbench analyze ${runDir}'`);
  }
  const values = tensors.get('eigenvalues');
  const vectors = tensors.get('eigenvectors_input');
  if (!values || !vectors || values.shape.length !== 2 || vectors.shape.length !== 3 || values.shape[0] !== vectors.shape[0]) {
    throw new ExportError(`${dir}/spectra.safetensors: expected eigenvalues [C, d] and eigenvectors_input [C, k, d_in]; re-run 'sqs-workbench analyze ${runDir}'`);
  }
  const f32 = (x: typeof values.data) => (x instanceof Float32Array ? x : Float32Array.from(x));
  return { summary, values: f32(values.data), d: values.shape[1], inputVectors: f32(vectors.data), topK: vectors.shape[1], dIn: vectors.shape[2] };
}

/** Writes every file into a staging folder beside outDir, then renames it into place. */
function writeAll(outDir: string, files: Map<string, string>): void {
  const parent = dirname(outDir);
  const createdParent = existsSync(parent) ? undefined : mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(outDir)}.partial-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(staging);
    for (const [name, text] of files) writeFileSync(join(staging, name), text);
    if (existsSync(outDir)) rmdirSync(outDir); // empty, checked before; rmdir refuses otherwise
    renameSync(staging, outDir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (createdParent) rmSync(createdParent, { recursive: true, force: true });
    throw e;
  }
}
