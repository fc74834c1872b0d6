// `sqs-workbench bench train [--json] [--gates a,b] [--steps N]`
import type { BenchTrainResult } from '../../bench/train';
import { GATE_NAMES, type GateName } from '../../common/contract';
import { quote } from '../../common/rules';
import { integerFlag, parseFlags, UsageError, type FlagSpec, type FlagValues } from './usage';

/** A benchmark's flags through the one flag parser; benchmarks take no arguments. */
function flagsOf(command: string, argv: string[], options: FlagSpec): FlagValues {
  const { values, positionals } = parseFlags(command, argv, options);
  if (positionals.length > 0) throw new UsageError(`${command}: unexpected argument ${quote(positionals[0])} (see --help)`);
  return values;
}

export async function benchCommand(argv: string[]): Promise<number> {
  const [what, ...rest] = argv;
  if (what === 'eigh') return benchEighCommand(rest);
  if (what === 'store') return benchStoreCommand(rest);
  if (what === 'ui') return benchUiCommand(rest);
  if (what === 'atlas') return benchAtlasCommand(rest);
  if (what === 'lm') return benchLmCommand(rest);
  if (what === 'e2e') return benchE2eCommand(rest);
  if (what === 'sweep') return benchSweepCommand(rest);
  if (what !== 'train') throw new UsageError(`bench: unknown benchmark '${what ?? ''}'; available: train, e2e, sweep, lm, eigh, store, ui, atlas`);
  // each benchmark loads only its own modules: ONNX Runtime's in the process would disturb eigh's timings
  const { benchTrain, REFERENCE_BENCH } = await import('../../bench/train');
  const values = flagsOf('bench train', rest, { json: { type: 'boolean' }, gates: { type: 'string' }, steps: { type: 'string' } });
  const gates = (typeof values.gates === 'string' ? values.gates.split(',') : [...GATE_NAMES]) as GateName[];
  for (const g of gates) if (!GATE_NAMES.includes(g)) throw new UsageError(`--gates: ${quote(g)} is not one of ${GATE_NAMES.join(', ')}`);
  const steps = integerFlag('steps', values.steps, REFERENCE_BENCH.steps, 1);
  const { dims, batch } = REFERENCE_BENCH;
  if (!values.json) {
    process.stdout.write(`training step vs plain Gemms of the same FLOPs (d_in ${dims.dIn}, d ${dims.d}, h ${dims.h}, batch ${batch}, median of ${steps})\n`);
    process.stdout.write(`${'gate'.padEnd(10)}${'step ms'.padStart(10)}${'GFLOP/s'.padStart(10)}${'matmul ms'.padStart(11)}${'GFLOP/s'.padStart(10)}${'ratio'.padStart(8)}\n`);
  }
  const row = (r: BenchTrainResult) =>
    process.stdout.write(
      `${r.gate.padEnd(10)}${r.step_ms.toFixed(1).padStart(10)}${r.step_gflops.toFixed(1).padStart(10)}${r.matmul_ms.toFixed(1).padStart(11)}${r.matmul_gflops.toFixed(1).padStart(10)}${r.ratio.toFixed(3).padStart(8)}\n`,
    );
  const results = await benchTrain({ ...REFERENCE_BENCH, gates, steps }, values.json ? undefined : row);
  if (values.json) process.stdout.write(JSON.stringify({ results }) + '\n');
  return 0;
}

/** `bench lm [--json] [--gates a,b] [--steps N]`: a language model's training step against plain products of the same FLOPs. */
async function benchLmCommand(argv: string[]): Promise<number> {
  const values = flagsOf('bench lm', argv, { json: { type: 'boolean' }, gates: { type: 'string' }, steps: { type: 'string' } });
  const gates = (typeof values.gates === 'string' ? values.gates.split(',') : [...GATE_NAMES]) as GateName[];
  for (const g of gates) if (!GATE_NAMES.includes(g)) throw new UsageError(`--gates: ${quote(g)} is not one of ${GATE_NAMES.join(', ')}`);
  const { benchLm, REFERENCE_LM_BENCH } = await import('../../bench/lm');
  const steps = integerFlag('steps', values.steps, REFERENCE_LM_BENCH.steps, 1);
  const { dims, batch } = REFERENCE_LM_BENCH;
  if (!values.json) {
    process.stdout.write(`language-model step vs plain products of the same FLOPs (${dims.layers} layers, d_model ${dims.dModel}, ${dims.heads} heads, d_hidden ${dims.dHidden}, ctx ${dims.ctx}, batch ${batch}, vocab ${dims.vocab}; median of ${steps})\n`);
    process.stdout.write(`${'gate'.padEnd(10)}${'step ms'.padStart(10)}${'matmul ms'.padStart(11)}${'ratio'.padStart(8)}${'tokens/s'.padStart(10)}${'peak MiB'.padStart(10)}\n`);
  }
  const row = (r: import('../../bench/lm').BenchLmResult) =>
    process.stdout.write(`${r.gate.padEnd(10)}${r.step_ms.toFixed(1).padStart(10)}${r.matmul_ms.toFixed(1).padStart(11)}${r.ratio.toFixed(3).padStart(8)}${String(r.tokens_per_s).padStart(10)}${String(r.peak_rss_mib).padStart(10)}\n`);
  const results = await benchLm({ ...REFERENCE_LM_BENCH, gates, steps }, values.json ? undefined : row);
  if (values.json) process.stdout.write(JSON.stringify({ results }) + '\n');
  return 0;
}

/** `bench e2e [--json] [--datasets a,b]`: whole reference runs, phase by phase, against their steps' plain Gemms. */
async function benchE2eCommand(argv: string[]): Promise<number> {
  const values = flagsOf('bench e2e', argv, { json: { type: 'boolean' }, datasets: { type: 'string' } });
  const { benchE2e, E2E_DATASETS } = await import('../../bench/e2e');
  const datasets = typeof values.datasets === 'string' ? values.datasets.split(',') : [...E2E_DATASETS];
  const row = (r: import('../../bench/e2e').E2eResult) =>
    process.stdout.write(
      `${r.dataset}: ${r.seconds.toFixed(2)} s for ${r.steps} steps, their Gemms alone ${r.gemm_seconds.toFixed(2)} s, ratio ${r.ratio.toFixed(2)}\n` +
        `  ${Object.entries(r.phases).map(([p, s]) => `${p} ${s.toFixed(2)} s`).join(', ')}\n`,
    );
  const results = await benchE2e({ datasets }, values.json ? undefined : row);
  if (values.json) process.stdout.write(JSON.stringify({ results }) + '\n');
  return 0;
}

/** `bench sweep [--json]`: the same 8 short runs with concurrency 1 and 2, as runs per minute. */
async function benchSweepCommand(argv: string[]): Promise<number> {
  const values = flagsOf('bench sweep', argv, { json: { type: 'boolean' } });
  const { benchSweep } = await import('../../bench/sweep');
  const row = (r: import('../../bench/sweep').SweepBenchResult) => process.stdout.write(`concurrency ${r.concurrency}: ${r.runs} runs in ${r.seconds.toFixed(1)} s, ${r.runs_per_min.toFixed(1)} runs/min\n`);
  const results = await benchSweep([1, 2], values.json ? undefined : row);
  if (values.json) process.stdout.write(JSON.stringify({ results }) + '\n');
  return 0;
}

/** `bench eigh --n 512 [--json]`: our eigensolver on a fixed-seed random symmetric matrix. */
async function benchEighCommand(argv: string[]): Promise<number> {
  const values = flagsOf('bench eigh', argv, { json: { type: 'boolean' }, n: { type: 'string' } });
  const n = integerFlag('n', values.n, 256, 1, 4096);
  const { benchEigh } = await import('../../bench/eigh');
  const r = benchEigh(n);
  process.stdout.write(
    values.json ? JSON.stringify(r) + '\n' : `eigh n = ${r.n}: ${(1000 * r.seconds).toFixed(1)} ms, residual ${r.residual.toExponential(2)}, orthogonality ${r.orthogonality.toExponential(2)}\n`,
  );
  return 0;
}

/** `bench store --runs 10000 --points 1000 [--json]`: workspace queries at scale. */
async function benchStoreCommand(argv: string[]): Promise<number> {
  const values = flagsOf('bench store', argv, { json: { type: 'boolean' }, runs: { type: 'string' }, points: { type: 'string' } });
  const { benchStore } = await import('../../bench/store');
  const r = benchStore({ runs: integerFlag('runs', values.runs, 10000, 1), points: integerFlag('points', values.points, 1000, 1) });
  process.stdout.write(
    values.json
      ? JSON.stringify(r) + '\n'
      : `list page ${r.list_ms.toFixed(1)} ms, series of 20 runs ${r.series_ms.toFixed(1)} ms, group-by ${r.group_ms.toFixed(1)} ms, ingest ${Math.round(r.ingest_points_per_s)} points/s, database ${(r.db_bytes / 2 ** 20).toFixed(0)} MiB\n`,
  );
  return 0;
}

/** `bench ui [--runs 10000] [--json]`: the runs view in Chromium (developer checkout only). */
async function benchUiCommand(argv: string[]): Promise<number> {
  const values = flagsOf('bench ui', argv, { json: { type: 'boolean' }, runs: { type: 'string' } });
  const runs = integerFlag('runs', values.runs, 10000, 1);
  const { benchUi } = await import('../../bench/ui');
  const r = await benchUi({ runs, chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  process.stdout.write(
    values.json
      ? JSON.stringify(r) + '\n'
      : `${r.runs} runs: first table paint ${r.first_paint_ms} ms, filter to table ${r.filter_ms} ms, scroll frames p50 ${r.scroll_frame_ms_p50} ms / p95 ${r.scroll_frame_ms_p95} ms, metrics event to chart p50 ${r.event_to_chart_ms_p50} ms / max ${r.event_to_chart_ms_max} ms\n`,
  );
  return 0;
}

/** `bench atlas [--json]`: the feature atlas in Chromium, and exporting it (developer checkout only). */
async function benchAtlasCommand(argv: string[]): Promise<number> {
  const values = flagsOf('bench atlas', argv, { json: { type: 'boolean' } });
  const { benchAtlas, ATLAS_TARGETS: T } = await import('../../bench/atlas');
  const r = await benchAtlas({ chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  if (values.json) return void process.stdout.write(JSON.stringify({ ...r, targets: T }) + '\n'), 0;
  const ratio = (x: number, target: number) => `${(x / target).toFixed(2)} of target ${target} ms`;
  process.stdout.write(
    `atlas of ${r.classes} classes × ${r.features_per_class} eigenvectors (d = ${r.d}):\n` +
      `  open to interactive   first ${r.open_first_ms} ms, then p50 ${r.open_ms_p50} ms   (${ratio(r.open_ms_p50, T.open_ms)})\n` +
      `  switch class          p50 ${r.switch_ms_p50} ms, max ${r.switch_ms_max} ms   (${ratio(r.switch_ms_max, T.switch_ms)})\n` +
      `  export whole atlas    ${Object.entries(r.export_ms).map(([f, ms]) => `${f} ${ms} ms`).join(', ')}; all four ${r.export_total_ms} ms   (${ratio(r.export_total_ms, T.export_total_ms)})\n`,
  );
  return 0;
}
