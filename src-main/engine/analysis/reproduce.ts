// The paper's comparison in one call: train each gate for each seed in the reference
// configuration, analyse every run, and summarise accuracy, effective rank, and how closely
// SQS keeps the bilinear model's features (same-seed pairs).
import { join } from 'node:path';
import type { GateName, TrainConfig } from '../train/config';
import { runTraining, type RunOptions } from '../train/run';
import { unsupported } from '../nn/families';
import { analyzeRun, DEFAULT_ANALYZE, writeAnalysis } from './analyze';
import { compareFeatures } from './compare';

export { REFERENCE_CONFIG } from '../train/config';

export interface ReproduceOptions {
  base: TrainConfig;
  gates: readonly GateName[];
  seeds: number;
  outDir: string;
  topK: number;
  onRun?: (gate: GateName, seed: number, accuracy: number | null) => void;
  run?: RunOptions;
}

export interface GateRow {
  gate: GateName;
  runs: number;
  test_accuracy: { mean: number; std: number };
  /** mean over classes and seeds; null for the ReLU baseline */
  effective_rank: { mean: number; std: number } | null;
  run_dirs: string[];
}

export interface ReproduceResult {
  dataset: string;
  config: Omit<TrainConfig, 'gate' | 'seed'>;
  gates: GateRow[];
  /** SQS-vs-bilinear |cos| of input-space eigenvectors by rank, mean over classes and seed pairs */
  sqs_vs_bilinear: { by_rank: number[]; by_assignment: number[] } | null;
}

export async function reproduce(o: ReproduceOptions): Promise<ReproduceResult> {
  const dirs = new Map<string, string>();
  const rows: GateRow[] = [];
  for (const gate of o.gates) {
    const accs: number[] = [];
    const ranks: number[] = [];
    const runDirs: string[] = [];
    for (let seed = o.base.seed; seed < o.base.seed + o.seeds; seed++) {
      const dir = join(o.outDir, `${gate}-s${seed}`);
      const r = await runTraining({ ...o.base, gate, seed }, dir, o.run);
      if (r.status === 'interrupted') throw new Error(`interrupted while training ${gate} seed ${seed}; finished runs are in ${o.outDir}`);
      o.onRun?.(gate, seed, r.test_accuracy);
      runDirs.push(r.run_dir);
      dirs.set(`${gate}/${seed}`, r.run_dir);
      if (r.test_accuracy !== null) accs.push(r.test_accuracy);
      if (unsupported({ gate }, 'readFeatures') === null && r.status === 'completed') {
        const a = await analyzeRun(r.run_dir, { ...DEFAULT_ANALYZE, topK: o.topK, ep: o.base.ep });
        writeAnalysis(r.run_dir, a);
        for (const c of a.summary.per_class) ranks.push(c.effective_rank);
      }
    }
    rows.push({ gate, runs: runDirs.length, test_accuracy: meanStd(accs), effective_rank: ranks.length ? meanStd(ranks) : null, run_dirs: runDirs });
  }
  let similarity: ReproduceResult['sqs_vs_bilinear'] = null;
  if (o.gates.includes('sqs') && o.gates.includes('bilinear')) {
    const curves = Array.from({ length: o.seeds }, (_, i) => compareFeatures(dirs.get(`bilinear/${o.base.seed + i}`)!, dirs.get(`sqs/${o.base.seed + i}`)!, o.topK));
    const average = (pick: (c: (typeof curves)[number]) => number[]) => pick(curves[0]).map((_, k) => curves.reduce((s, c) => s + pick(c)[k], 0) / curves.length);
    similarity = { by_rank: average((c) => c.mean.by_rank), by_assignment: average((c) => c.mean.by_assignment) };
  }
  const { gate: _g, seed: _s, ...config } = o.base;
  return { dataset: o.base.dataset, config, gates: rows, sqs_vs_bilinear: similarity };
}

function meanStd(xs: number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std };
}
