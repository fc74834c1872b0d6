// `sqs-workbench reproduce <fashion-mnist|digits> [--seeds 3] [--gates …] [--epochs 20] [--json] [train flags]`;
// with --data-efficiency, --report, --workspace or an executor, the runs are a sweep in the workspace.
import { defaultReproduceDir, REFERENCE_CONFIG, reproduceInFolders } from '../../api/run-folders';
import { GATE_NAMES, type GateName, type TrainConfig } from '../../common/contract';
import { withStopSignal } from './connect';
import { progressPrinter } from './progress';
import { parseTrainArgs } from './train-args';
import { isLmConfig } from '../../common/lm-fields';
import { integerFlag, UsageError } from './usage';
import { EXECUTOR_HELP, splitExecutorArgs } from './executor-args';
import { studyCommand } from './study-command';

const HELP = `usage: sqs-workbench reproduce <fashion-mnist|digits|idx:<dir>> [--seeds 3] [--gates bilinear,sqs,swiglu,geglu,reglu]
                               [--top-k 32] [--out DIR] [--json] [any train flag]
       sqs-workbench reproduce <dataset> [--data-efficiency [--fractions 1,2,5,10,25,50,100] [--equal-epochs]]
                               [--report DIR] [--concurrency 1] [--workspace DIR] [executor flags] [same flags as above]

Trains the reference configuration (d = h = 256, batch 2048, lr 1e-3, weight decay 0.1, input noise 1.0,
20 epochs; train flags override it) for every gate and seed, analyses every run, and prints test accuracy
(mean ± std), effective rank per gate, and the SQS-versus-bilinear eigenvector similarity by rank.

With --data-efficiency, --report, --workspace or an executor flag the runs are one ordinary sweep in the
workspace (resumable; a later call reuses every finished run of the same config). --data-efficiency
trains every gate and seed on nested random subsets of the training set (--fractions, in percent; the
same subsets for every gate and seed), each for as many optimiser steps as the full run, or with
--equal-epochs for as many epochs; every run is tested on the full test set. --report DIR writes
report.html (self-contained), report.pdf, report.json and every figure as SVG and PDF.
${EXECUTOR_HELP}`;

export async function reproduceCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(HELP), 0;
  const [dataset, ...all] = argv;
  const { executor, rest } = splitExecutorArgs(all);
  if (!dataset || dataset.startsWith('-')) throw new UsageError('reproduce: name a dataset first (fashion-mnist, digits or idx:<dir>)');
  const own: Record<string, string | true> = {};
  const trainArgs: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--json' || a === '--data-efficiency' || a === '--equal-epochs') own[a.slice(2)] = true;
    else if (a === '--seeds' || a === '--gates' || a === '--top-k' || a === '--fractions' || a === '--report' || a === '--concurrency' || a === '--workspace') {
      if (rest[i + 1] === undefined) throw new UsageError(`${a}: missing value`);
      own[a.slice(2)] = rest[++i];
    } else trainArgs.push(a);
  }
  if (trainArgs.includes('--gate') || trainArgs.includes('--seed') || trainArgs.includes('--dataset')) {
    throw new UsageError('reproduce: use --gates, --seeds and the dataset argument instead of --gate, --seed and --dataset');
  }
  const parsed = parseTrainArgs([...trainArgs, '--dataset', dataset]);
  if ('help' in parsed) return void process.stdout.write(HELP), 0;
  const given = new Set(trainArgs.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]));
  if (isLmConfig(parsed.config)) throw new UsageError('reproduce compares classifiers; train language models with train --family lm');
  const base: TrainConfig = { ...parsed.config };
  for (const [k, v] of Object.entries(REFERENCE_CONFIG)) if (!given.has(k)) (base as unknown as Record<string, unknown>)[k] = v;

  const seeds = own.seeds === undefined ? 3 : Number(own.seeds);
  if (!Number.isInteger(seeds) || seeds < 1) throw new UsageError(`--seeds: '${own.seeds}' is out of range: must be an integer >= 1`);
  const topK = own['top-k'] === undefined ? 32 : Number(own['top-k']);
  if (!Number.isInteger(topK) || topK < 1) throw new UsageError(`--top-k: '${own['top-k']}' is out of range: must be an integer >= 1`);
  const gates = (typeof own.gates === 'string' ? own.gates.split(',') : ['bilinear', 'sqs', 'swiglu', 'geglu', 'reglu']) as GateName[];
  for (const g of gates) if (!GATE_NAMES.includes(g)) throw new UsageError(`--gates: '${g}' is not one of ${GATE_NAMES.join(', ')}`);

  const inWorkspace = own['data-efficiency'] === true || own.report !== undefined || own.workspace !== undefined || executor !== null;
  if (!inWorkspace && (own.fractions !== undefined || own['equal-epochs'] || own.concurrency !== undefined)) throw new UsageError('--fractions, --equal-epochs and --concurrency go with --data-efficiency (or --report)');
  if (inWorkspace) {
    if (parsed.out !== null) throw new UsageError('--out: a study trains its runs into the workspace; --report DIR says where the report goes');
    const percents = own['data-efficiency'] ? parseFractions(typeof own.fractions === 'string' ? own.fractions : '1,2,5,10,25,50,100') : [100];
    const concurrency = integerFlag('concurrency', typeof own.concurrency === 'string' ? own.concurrency : undefined, 1, 1, 64);
    return studyCommand({
      base: { ...base, subset_budget: own['equal-epochs'] ? 'epochs' : 'steps' },
      gates,
      seeds: Array.from({ length: seeds }, (_, i) => base.seed + i),
      percents,
      concurrency,
      executor: executor ?? undefined,
      topK,
      reportDir: typeof own.report === 'string' ? own.report : null,
      workspace: typeof own.workspace === 'string' ? own.workspace : undefined,
      json: own.json === true,
      command: ['sqs-workbench', 'reproduce', ...argv].join(' '),
    });
  }
  const outDir = parsed.out ?? defaultReproduceDir(dataset);
  const json = own.json === true;
  return withStopSignal(async (signal) => {
    const result = await reproduceInFolders({
      base,
      gates,
      seeds,
      outDir,
      topK,
      signal,
      onEvent: process.stderr.isTTY ? progressPrinter(process.stderr, base.epochs) : undefined,
      onRun: (gate, seed, acc) => process.stderr.write(`${gate} seed ${seed}: test accuracy ${acc === null ? 'n/a' : (100 * acc).toFixed(2) + '%'}\n`),
    });
    if (json) process.stdout.write(JSON.stringify(result) + '\n');
    else {
      const pm = (m: { mean: number; std: number }, scale = 1, digits = 2) => `${(scale * m.mean).toFixed(digits)} ± ${(scale * m.std).toFixed(digits)}`;
      const lines = [`${dataset}: ${seeds} seed(s), runs in ${outDir}`, `gate        test accuracy (%)   effective rank`];
      for (const r of result.gates) lines.push(`${r.gate.padEnd(10)}  ${pm(r.test_accuracy, 100).padStart(16)}   ${r.effective_rank ? pm(r.effective_rank, 1, 1) : 'n/a'}`);
      if (result.sqs_vs_bilinear) {
        const ks = [1, 2, 4, 8, 16, 32].filter((k) => k <= result.sqs_vs_bilinear!.by_rank.length);
        lines.push('SQS vs bilinear eigenvector |cos| (same seeds, mean over classes)');
        lines.push(`rank         ${ks.map((k) => String(k).padStart(6)).join('')}`);
        lines.push(`by rank      ${ks.map((k) => result.sqs_vs_bilinear!.by_rank[k - 1].toFixed(3).padStart(6)).join('')}`);
        lines.push(`assignment   ${ks.map((k) => result.sqs_vs_bilinear!.by_assignment[k - 1].toFixed(3).padStart(6)).join('')}`);
      }
      process.stdout.write(lines.join('\n') + '\n');
    }
    return 0;
  });
}

/** '1,2,5,100' → [1, 2, 5, 100]: percents above 0 and at most 100, ascending, 100 always among them. */
export function parseFractions(text: string): number[] {
  const values = text.split(',').map((v) => v.trim());
  for (const v of values) {
    const x = Number(v);
    if (v === '' || !Number.isFinite(x) || x <= 0 || x > 100) throw new UsageError(`--fractions: '${v}' is out of range: each must be a percent > 0 and <= 100`);
  }
  return [...new Set([...values.map(Number), 100])].sort((a, b) => a - b);
}
