// `sqs-workbench analyze <run_dir> [--top-k 32] [--layer 0] [--json]` and
// `sqs-workbench compare-features <run_a> <run_b> [--top-k 32] [--json]`.
import { parseArgs } from 'node:util';
import { analyzeRun, DEFAULT_ANALYZE, writeAnalysis, type AnalysisSummary } from '../../engine/analysis/analyze';
import { compareFeatures } from '../../engine/analysis/compare';
import { UsageError } from './train-args';

function parse(command: string, argv: string[], positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { 'top-k': { type: 'string' }, layer: { type: 'string' }, masks: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message.split('\n')[0]}`);
  }
  const { values, positionals: pos } = parsed;
  if (!values.help && pos.length !== positionals) {
    throw new UsageError(`${command}: expected ${positionals === 1 ? 'one run folder' : 'two run folders'}, got ${pos.length} argument(s) (see --help)`);
  }
  const int = (flag: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!/^\d+$/.test(raw) || v < min) throw new UsageError(`--${flag}: '${raw}' is out of range: must be an integer >= ${min}`);
    return v;
  };
  return {
    help: values.help === true,
    json: values.json === true,
    topK: int('top-k', values['top-k'], DEFAULT_ANALYZE.topK, 1),
    layer: int('layer', values.layer, 0, 0),
    masks: int('masks', values.masks, 0, 0),
    runs: pos,
  };
}

const ANALYZE_HELP = `usage: sqs-workbench analyze <run_dir> [--top-k 32] [--layer 0] [--json]

Reads the run's features from its weights: per-class interaction matrices, their eigenvalues and
eigenvectors (sorted by |λ|, sign fixed), the top-k eigenvectors in input space, the quadratic
surrogate's truncation curve (k = 1 … 64), effective rank, sparsity and faithfulness on the test set.
Writes <run_dir>/analysis/spectra.safetensors and <run_dir>/analysis/summary.json.
  --top-k N   eigenvectors per class kept in input space (default 32)
  --layer N   which GLU layer of a deeper model (default 0)
  --masks M   also measure each class's adversarial mask, built from the pseudo-inverse of its top M
              positive eigenvectors, against a permuted mask of equal norm (default 0: off)
  --json      print the summary as JSON
`;

export async function analyzeCommand(argv: string[]): Promise<number> {
  const o = parse('analyze', argv, 1);
  if (o.help) return void process.stdout.write(ANALYZE_HELP), 0;
  const analysis = await analyzeRun(o.runs[0], { ...DEFAULT_ANALYZE, topK: o.topK, layer: o.layer, maskVectors: o.masks });
  writeAnalysis(o.runs[0], analysis);
  const s = analysis.summary;
  process.stdout.write(o.json ? JSON.stringify(s) + '\n' : describe(s));
  return 0;
}

function describe(s: AnalysisSummary): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const ks = [1, 2, 4, 8, 16, 32, 64].filter((k) => k <= s.truncation.length);
  const lines = [
    `${s.gate} model, layer ${s.layer}, d = ${s.d}, ${s.classes} classes, ${s.test_examples} test examples (${s.seconds.toFixed(1)} s)`,
    `model accuracy ${pct(s.model_accuracy)}; surrogate at full rank ${pct(s.surrogate_accuracy)}${s.exact ? ' (exact for a bilinear layer)' : ' (first-order reading)'}`,
    `faithfulness: agreement ${pct(s.faithfulness.agreement)}, logit correlation ${s.faithfulness.logit_correlation.toFixed(4)}`,
    `truncation (components per class → accuracy): ${ks.map((k) => `${k}: ${pct(s.truncation[k - 1].accuracy)}`).join(', ')}`,
    `class  eff. rank  top |λ|     agreement  logit corr.`,
    ...s.per_class.map((c) => `${String(c.class).padStart(5)}  ${c.effective_rank.toFixed(1).padStart(9)}  ${c.top_eigenvalues[0].toExponential(2).padStart(9)}  ${pct(c.faithfulness.agreement).padStart(10)}  ${c.faithfulness.logit_correlation.toFixed(4).padStart(11)}`),
    `written to ${s.run_dir}/analysis/`,
  ];
  return lines.join('\n') + '\n';
}

export async function compareFeaturesCommand(argv: string[]): Promise<number> {
  const o = parse('compare-features', argv, 2);
  if (o.help) return void process.stdout.write('usage: sqs-workbench compare-features <run_a> <run_b> [--top-k 32] [--layer 0] [--json]\n'), 0;
  const r = compareFeatures(o.runs[0], o.runs[1], o.topK, o.layer);
  if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
  else {
    const ranks = [1, 2, 4, 8, 16, 32].filter((k) => k <= r.top_k);
    process.stdout.write(`mean |cos| over ${r.per_class.length} classes of input-space eigenvectors (top ${r.top_k})\n`);
    process.stdout.write(`rank         ${ranks.map((k) => String(k).padStart(6)).join('')}\n`);
    process.stdout.write(`by rank      ${ranks.map((k) => r.mean.by_rank[k - 1].toFixed(3).padStart(6)).join('')}\n`);
    process.stdout.write(`assignment   ${ranks.map((k) => r.mean.by_assignment[k - 1].toFixed(3).padStart(6)).join('')}\n`);
  }
  return 0;
}
