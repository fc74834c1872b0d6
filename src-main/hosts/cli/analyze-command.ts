// `sqs-workbench analyze <run> [--top-k 32] [--layer 0] [--masks M] [--json]` and
// `sqs-workbench compare-features <run_a> <run_b> [--top-k 32] [--json]`. A run is a run id of the
// workspace (analysed through the service and recorded there) or a run folder.
import { analyzeFolder, compareFolders, readAnalysisSummary, type AnalysisSummary } from '../../api/run-folders';
import type { AtlasComparison } from '../../common/contract';
import { withService } from './connect';
import { folderConfig, isLmFolder, type RunConfig } from '../../api/lm-run-folders';
import { analyzeLm, LM_ANALYZE_HELP } from './lm-analyze-command';
import { analyzeInWorkspace, runDirOf, runRef, type RunRef } from './run-ref';
import { folderFlag, integerFlag, parseFlags, UsageError } from './usage';

const FLAGS = {
  'top-k': { type: 'string' },
  layer: { type: 'string' },
  masks: { type: 'string' },
  tokens: { type: 'string' },
  workspace: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(command: string, argv: string[], runs: number) {
  const { values, positionals } = parseFlags(command, argv, { ...FLAGS });
  const help = values.help === true;
  if (!help && positionals.length !== runs) throw new UsageError(`${command}: expected ${runs === 1 ? 'one run' : 'two runs'} (a run id or a run folder), got ${positionals.length} argument(s) (see --help)`);
  const workspace = folderFlag('workspace', values.workspace);
  return {
    help,
    json: values.json === true,
    topK: integerFlag('top-k', values['top-k'], 32, 1),
    layer: integerFlag('layer', values.layer, 0, 0),
    /** a language model reads every layer unless one is named */
    layerGiven: values.layer !== undefined,
    tokens: values.tokens === undefined ? undefined : String(values.tokens),
    masksGiven: values.masks !== undefined,
    masks: integerFlag('masks', values.masks, 0, 0),
    workspace,
    runs: positionals.map((p) => runRef(p, workspace)),
  };
}

const ANALYZE_HELP = `usage: sqs-workbench analyze <run> [--top-k 32] [--layer 0] [--masks M] [--workspace DIR] [--json]
       sqs-workbench analyze <language-model run> [--layer L] [--tokens "dog,cat,happy"] [--top-k 32] [--json]

Reads the run's features from its weights: per-class interaction matrices, their eigenvalues and
eigenvectors (sorted by |λ|, sign fixed), the top-k eigenvectors in input space, the quadratic
surrogate's truncation curve (k = 1 … 64), effective rank, sparsity and faithfulness on the test set.
Writes <run folder>/analysis/spectra.safetensors and summary.json. A run is a run id of the workspace
(the analysis is then recorded there, and 'runs show' reports it) or a run folder.
  --top-k N   eigenvectors per class kept in input space (default 32)
  --layer N   which GLU layer of a deeper model (default 0)
  --masks M   also measure each class's adversarial mask, built from the pseudo-inverse of its top M
              positive eigenvectors, against a permuted mask of equal norm (default 0: off)
  --workspace DIR  where a run id is looked up (default: $SQS_WORKBENCH_HOME, else the user-data folder)
  --json      print the summary as JSON
${LM_ANALYZE_HELP}`;

export async function analyzeCommand(argv: string[]): Promise<number> {
  const o = parse('analyze', argv, 1);
  if (o.help) return void process.stdout.write(ANALYZE_HELP), 0;
  const ref = o.runs[0];
  const lm = await lmRun(ref, o.workspace);
  if (lm) {
    if (o.masksGiven) throw new UsageError('analyze: --masks is for classifiers; a language model has no input images to mask');
    const flags = { layer: o.layerGiven ? o.layer : undefined, tokens: o.tokens, topK: o.topK, json: o.json };
    process.stdout.write(await analyzeLm(lm.dir, lm.config, flags, lm.workspaceDir));
    return 0;
  }
  if (o.tokens !== undefined) throw new UsageError('analyze: --tokens is for language models; a classifier is read per class');
  const summary =
    'dir' in ref
      ? await analyzeFolder(ref.dir, { topK: o.topK, layer: o.layer, masks: o.masks })
      : await withService({ workspace: o.workspace, create: false }, async ({ service }) => {
          await analyzeInWorkspace(service, ref.id, { topK: o.topK, layer: o.layer, masks: o.masks, redo: true }, stageLine());
          return readAnalysisSummary(await runDirOf(ref, service));
        });
  process.stdout.write(o.json ? JSON.stringify(summary) + '\n' : describe(summary));
  return 0;
}

/** The run's folder and config when it is a language model (of the workspace or a folder), else null. */
async function lmRun(ref: RunRef, workspace: string | undefined): Promise<{ dir: string; config: RunConfig; workspaceDir?: string } | null> {
  if ('dir' in ref) return isLmFolder(ref.dir) ? { dir: ref.dir, config: await folderConfig(ref.dir) } : null;
  return withService({ workspace, create: false, readonly: true }, async ({ service }) => {
    const shown = await service.call('runs.show', { id: ref.id });
    if (!('family' in shown.run.config) || shown.run.config.family !== 'lm') return null;
    return { dir: shown.dir, config: shown.run.config, workspaceDir: (await service.call('settings.get', {})).workspaceDir };
  });
}

/** "analysing: spectra 40%" redrawn on a terminal while the service analyses. */
function stageLine(): ((stage: string, fraction: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (stage, fraction) => process.stderr.write(`\r\x1b[2Kanalysing: ${stage} ${Math.round(100 * fraction)}%${fraction >= 0.97 ? '\r\x1b[2K' : ''}`);
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
  if (o.help) return void process.stdout.write('usage: sqs-workbench compare-features <run_a> <run_b> [--top-k 32] [--workspace DIR] [--json]\nA run is a run id of the workspace or a run folder; neither needs an analysis.\n'), 0;
  const dirs = o.runs.every((r): r is Extract<RunRef, { dir: string }> => 'dir' in r)
    ? o.runs.map((r) => r.dir)
    : await withService({ workspace: o.workspace, create: false, readonly: true }, ({ service }) => Promise.all(o.runs.map((r) => runDirOf(r, service))));
  const r = await compareFolders(dirs[0], dirs[1], o.topK);
  process.stdout.write(o.json ? JSON.stringify(compactComparison(r, dirs)) + '\n' : describeComparison(r));
  return 0;
}

/** The comparison without its drawn features: what a script wants. */
function compactComparison(r: AtlasComparison, dirs: string[]) {
  return {
    run_a: dirs[0],
    run_b: dirs[1],
    top_k: r.count,
    mean: { by_rank: r.byRank, by_assignment: r.byAssignment },
    per_class: r.classes.map((c) => ({ class: c.class, by_rank: c.byRank, by_assignment: c.byAssignment, assignment: c.matches.map((m) => m.rankB - 1) })),
  };
}

function describeComparison(r: AtlasComparison): string {
  const ranks = [1, 2, 4, 8, 16, 32].filter((k) => k <= r.count);
  return [
    `mean |cos| over ${r.classes.length} classes of input-space eigenvectors (top ${r.count})`,
    `rank         ${ranks.map((k) => String(k).padStart(6)).join('')}`,
    `by rank      ${ranks.map((k) => r.byRank[k - 1].toFixed(3).padStart(6)).join('')}`,
    `assignment   ${ranks.map((k) => r.byAssignment[k - 1].toFixed(3).padStart(6)).join('')}`,
  ].join('\n') + '\n';
}
