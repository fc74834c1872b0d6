// What the atlas reads of a run: its weights and the spectra of its classes' interaction matrices,
// from the stored analysis (analysis/summary.json + spectra.safetensors) or computed from the
// weights alone. Features are drawn in input space here, Eᵀv, for any rank, not only the top-k the
// analysis kept. Nothing is cached: callers that read often keep the source they got.
// Every eigenvector comes in the gauge of gauge.ts, whichever way it was read: an analysis
// written under older conventions is refused with the way to redo it (re-gauging it on reading
// would leave its files, eigenvectors_input and the summary's example lists, telling otherwise).
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Split } from '../data/dataset';
import { datasetClassNames, loadTestSplit } from '../data/load';
import type { GateName } from '../train/config';
import { loadRun, type LoadedRun } from '../train/run-reader';
import { RUN_FILES } from '../train/run-files';
import { parseJsonText } from '../util/json-text';
import { readSafetensors } from '../util/safetensors';
import { ANALYSIS_FORMAT_VERSION, type AnalysisSummary } from './analyze';
import type { AtlasFeature, TestExample } from './atlas-types';
import { sparsity, type Spectrum } from './decompose';
import { AnalysisError } from './interaction';
import { runSpectra } from './analyze';

export const ANALYSIS_FILES = { dir: 'analysis', summary: 'summary.json', spectra: 'spectra.safetensors' } as const;

/** A class, rank, test example or input that the run does not have; the message names the valid range. */
export class AtlasInputError extends Error {
  override name = 'AtlasInputError';
}

export interface AtlasSource {
  dir: string;
  run: LoadedRun;
  gate: GateName;
  layer: number;
  /** classes, embedding width, input width */
  C: number;
  d: number;
  dIn: number;
  imageShape: [number, number];
  labels: string[];
  /** [C, d]: each class's eigenvalues by |λ| descending */
  values: Float32Array | Float64Array;
  /** [C, d, d]: row k of class c is its k-th eigenvector, in the class-mean gauge (gauge.ts) */
  vectors: Float32Array | Float64Array;
  /** the stored analysis; null when the spectra were computed from the weights */
  summary: AnalysisSummary | null;
}

export function analysisPaths(runDir: string): { summary: string; spectra: string } {
  const dir = join(runDir, ANALYSIS_FILES.dir);
  return { summary: join(dir, ANALYSIS_FILES.summary), spectra: join(dir, ANALYSIS_FILES.spectra) };
}

export function hasAnalysis(runDir: string): boolean {
  const p = analysisPaths(runDir);
  return existsSync(p.summary) && existsSync(p.spectra);
}

/** The run's stored analysis with its weights; AnalysisError naming the file and the fix when it is missing or broken. */
export function readAnalysisSource(runDir: string): AtlasSource {
  const paths = analysisPaths(runDir);
  const redo = `run 'sqs-workbench analyze ${runDir}' (or analyse it from the atlas view)`;
  for (const file of [paths.summary, paths.spectra]) {
    if (!existsSync(file)) throw new AnalysisError(`${file}: missing, the run has not been analysed; ${redo}`);
  }
  const run = loadRun(runDir);
  const { classes: C, d, dIn } = run.model.dims;
  let text: string;
  try {
    text = readFileSync(paths.summary, 'utf8');
  } catch (e) {
    throw new AnalysisError(`${paths.summary}: unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ${redo}`);
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new AnalysisError(`${paths.summary}: unreadable (${parsed.problem}); ${redo}`);
  const summary = parsed.value as AnalysisSummary;
  const outdated = outdatedBecause(summary);
  if (outdated) throw new AnalysisError(`${paths.summary}: ${outdated}; ${redo}`);
  if (summary === null || typeof summary !== 'object' || summary.classes !== C || summary.d !== d || !Array.isArray(summary.per_class) || summary.per_class.length !== C) {
    throw new AnalysisError(`${paths.summary}: does not describe this run's ${C} classes of width ${d}; ${redo}`);
  }
  let tensors: ReturnType<typeof readSafetensors>['tensors'];
  try {
    tensors = readSafetensors(paths.spectra).tensors;
  } catch (e) {
    const message = (e as Error).message;
    throw new AnalysisError(`${message.includes(paths.spectra) ? message : `${paths.spectra}: ${message}`}; ${redo}`);
  }
  const values = tensors.get('eigenvalues');
  const vectors = tensors.get('eigenvectors');
  if (!values || values.shape.join() !== `${C},${d}` || !vectors || vectors.shape.join() !== `${C},${d},${d}` || !isFloat(values.data) || !isFloat(vectors.data)) {
    throw new AnalysisError(`${paths.spectra}: expected float eigenvalues [${C}, ${d}] and eigenvectors [${C}, ${d}, ${d}] for this run; ${redo}`);
  }
  return { ...describeRun(run), layer: summary.layer ?? 0, values: values.data, vectors: vectors.data, summary };
}

/**
 * Why an analysis's summary cannot be read as it is (written by an earlier version, under other
 * conventions), or null. Not JSON of an object at all is left to the reader's own message.
 */
function outdatedBecause(summary: unknown): string | null {
  if (summary === null || typeof summary !== 'object') return null;
  const version = (summary as Partial<AnalysisSummary>).format_version;
  if (version === ANALYSIS_FORMAT_VERSION) return null;
  if (version === undefined) return 'written by an earlier version of the workbench, with eigenvector signs fixed by their largest entry and examples ranked by signed projection';
  return `written in analysis format ${String(version)}; this version reads format ${ANALYSIS_FORMAT_VERSION}`;
}

/** Why the run's stored analysis must be redone before it is read, or null (also when there is none, or it is broken otherwise). */
export function outdatedAnalysis(runDir: string): string | null {
  try {
    return outdatedBecause(JSON.parse(readFileSync(analysisPaths(runDir).summary, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * The spectra computed from the weights, with the same solver and sign gauge as the analysis: no
 * analysis needed, but the run's test split, which sets the gauge (`testOf` gives it for the run's
 * dataset spec; callers that keep test splits pass theirs).
 */
export function weightsSource(runDir: string, testOf: (dataset: string) => Split = loadTestSplit, layer = 0): AtlasSource {
  const run = loadRun(runDir);
  const { classes: C, d } = run.model.dims;
  const src0 = describeRun(run);
  const test = testOf(run.config.dataset);
  checkSplit(src0, test);
  const { spectra } = runSpectra(run, layer, 0, test);
  const values = new Float64Array(C * d);
  const vectors = new Float64Array(C * d * d);
  spectra.forEach((s, c) => {
    values.set(s.values, c * d);
    vectors.set(s.vectors, c * d * d);
  });
  return { ...src0, layer, values, vectors, summary: null };
}

function describeRun(run: LoadedRun): Pick<AtlasSource, 'dir' | 'run' | 'gate' | 'C' | 'd' | 'dIn' | 'imageShape' | 'labels'> {
  const { classes: C, d, dIn } = run.model.dims;
  return { dir: run.dir, run, gate: run.config.gate, C, d, dIn, imageShape: imageShapeOf(join(run.dir, RUN_FILES.weights), dIn), labels: datasetClassNames(run.config.dataset, C) };
}

const isFloat = (x: unknown): x is Float32Array | Float64Array => x instanceof Float32Array || x instanceof Float64Array;

/** The image shape the weights file records (`image_shape`: "28x28"), else a square √dIn, else one row. */
export function imageShapeOf(weightsPath: string, dIn: number): [number, number] {
  const recorded = /^(\d+)x(\d+)$/.exec(readSafetensorsMetadata(weightsPath).image_shape ?? '');
  if (recorded && Number(recorded[1]) * Number(recorded[2]) === dIn) return [Number(recorded[1]), Number(recorded[2])];
  const side = Math.round(Math.sqrt(dIn));
  return side * side === dIn ? [side, side] : [1, dIn];
}

/** A safetensors file's `__metadata__`, read from its header alone; empty when there is none or it cannot be read. */
function readSafetensorsMetadata(path: string): Record<string, string> {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const len = Buffer.alloc(8);
    if (readSync(fd, len, 0, 8, 0) !== 8) return {};
    const n = Number(len.readBigUInt64LE());
    if (n > 100_000_000) return {};
    const header = Buffer.alloc(n);
    if (readSync(fd, header, 0, n, 8) !== n) return {};
    const meta = (JSON.parse(header.toString('utf8')) as { __metadata__?: Record<string, string> }).__metadata__;
    return meta && typeof meta === 'object' ? meta : {};
  } catch {
    return {};
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export function checkClass(src: AtlasSource, c: number): void {
  if (!Number.isInteger(c) || c < 0 || c >= src.C) throw new AtlasInputError(`class ${c} is out of range: this run has ${src.C} classes (0 to ${src.C - 1})`);
}

export function checkRank(src: AtlasSource, c: number, rank: number): void {
  checkClass(src, c);
  if (!Number.isInteger(rank) || rank < 1 || rank > src.d) throw new AtlasInputError(`rank ${rank} is out of range: class ${c} has ${src.d} components (ranks 1 to ${src.d})`);
}

/** v: the class's eigenvector at a 0-based position k, in float64. */
export function eigenvector(src: AtlasSource, c: number, k: number): Float64Array {
  const at = (c * src.d + k) * src.d;
  return Float64Array.from(src.vectors.subarray(at, at + src.d));
}

export function eigenvalue(src: AtlasSource, c: number, k: number): number {
  return src.values[c * src.d + k];
}

/** Eᵀv: a d-vector drawn in input space. */
export function toInput(src: AtlasSource, v: Float64Array): Float64Array {
  const embed = src.run.params.get('embed')!;
  const { d, dIn } = src;
  const out = new Float64Array(dIn);
  for (let i = 0; i < d; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    const row = i * dIn;
    for (let j = 0; j < dIn; j++) out[j] += vi * embed[row + j];
  }
  return out;
}

export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/** The feature at a 1-based rank of a class (checked). */
export function featureOf(src: AtlasSource, c: number, rank: number): AtlasFeature {
  checkRank(src, c, rank);
  const v = eigenvector(src, c, rank - 1);
  const u = toInput(src, v);
  return { class: c, rank, eigenvalue: eigenvalue(src, c, rank - 1), sparsity: sparsity(v), vector: Array.from(u), range: maxAbs(u) };
}

/** The class's spectrum in float64, as the engine's solvers give it. */
export function spectraOf(src: AtlasSource): Spectrum[] {
  const { C, d } = src;
  return Array.from({ length: C }, (_, c) => ({
    values: Float64Array.from(src.values.subarray(c * d, (c + 1) * d)),
    vectors: Float64Array.from(src.vectors.subarray(c * d * d, (c + 1) * d * d)),
    n: d,
  }));
}

export function checkTestIndex(test: Split, i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= test.n) throw new AtlasInputError(`test example ${i} is out of range: the test set has ${test.n} examples (0 to ${test.n - 1})`);
}

export function exampleOf(test: Split, dIn: number, i: number): TestExample {
  return { index: i, label: test.y[i], pixels: Array.from(test.x.subarray(i * dIn, (i + 1) * dIn)) };
}

/** The test split of the run's dataset (loaded in full: keep it when calling often). */
export function testSplitOf(src: AtlasSource): Split {
  return loadTestSplit(src.run.config.dataset);
}

export function checkSplit(src: Pick<AtlasSource, 'dIn' | 'run'>, test: Split): void {
  if (test.n > 0 && test.x.length !== test.n * src.dIn) {
    throw new AnalysisError(`the test set of '${src.run.config.dataset}' has ${test.x.length / test.n} inputs per example but the run has ${src.dIn}`);
  }
}
