// `sqs-workbench reproduce <fashion-mnist|digits> [--seeds 3] [--gates …] [--epochs 20] [--json] [train flags]`
import { defaultReproduceDir, REFERENCE_CONFIG, reproduceInFolders } from '../../api/run-folders';
import { GATE_NAMES, type GateName, type TrainConfig } from '../../common/contract';
import { withStopSignal } from './connect';
import { progressPrinter } from './progress';
import { parseTrainArgs } from './train-args';
import { isLmConfig } from '../../common/lm-fields';
import { UsageError } from './usage';

const HELP = `usage: sqs-workbench reproduce <fashion-mnist|digits|idx:<dir>> [--seeds 3] [--gates bilinear,sqs,swiglu,geglu,reglu]
                               [--top-k 32] [--out DIR] [--json] [any train flag]

Trains the reference configuration (d = h = 256, batch 2048, lr 1e-3, weight decay 0.1, input noise 1.0,
20 epochs; train flags override it) for every gate and seed, analyses every run, and prints test accuracy
(mean ± std), effective rank per gate, and the SQS-versus-bilinear eigenvector similarity by rank.
`;

export async function reproduceCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(HELP), 0;
  const [dataset, ...rest] = argv;
  if (!dataset || dataset.startsWith('-')) throw new UsageError('reproduce: name a dataset first (fashion-mnist, digits or idx:<dir>)');
  const own: Record<string, string | true> = {};
  const trainArgs: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--json') own.json = true;
    else if (a === '--seeds' || a === '--gates' || a === '--top-k') {
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
