// `sqs-workbench export atlas <run_dir|run_id> --format svg|png|pdf|html --out DIR
//   [--classes 0,3,7] [--top-k 6] [--dpi 300] [--size screen|column|page] [--no-title] [--workspace DIR]`;
// a language model's with [--tokens dog,he-she] [--layers 0,1] instead of --classes.
import { join, resolve } from 'node:path';
import { exportFolderAtlas } from '../../api/run-folders';
import { ATLAS_COUNT, ATLAS_EXPORT_FORMATS, DPI, FIGURE_SIZES, type AtlasExportFormat, type FigureSize } from '../../common/formats';
import { DEFAULT_LM_DIRECTIONS, exportLmAtlas } from '../../api/lm-figures';
import { isLmFolder } from '../../api/lm-run-folders';
import { withService } from './connect';
import { analyzeInWorkspace, runRef } from './run-ref';
import { folderFlag, integerFlag, parseFlags, UsageError } from './usage';

const DEFAULT_TOKENS = DEFAULT_LM_DIRECTIONS.join(', ');

const HELP = `usage: sqs-workbench export atlas <run_dir|run_id> --format svg|png|pdf|html --out DIR
                                [--classes 0,3,7] [--top-k 6] [--dpi 300] [--size screen|column|page]
                                [--no-title] [--workspace DIR] [--json]
       sqs-workbench export atlas <lm_run_id> --format svg|png|pdf|html --out DIR
                                [--tokens dog,cat,he-she] [--layers 0,1] [--top-k 4] [...]

Exports a run's feature atlas: for each class its top-k positive and top-k negative eigenvectors in
input space on a diverging blue–white–red map centred at 0 (a symmetric range per image, λ under
each), its spectrum, and the truncation curve. Reads <run>/analysis/, computing and saving it
first when the run has none. A run is a run folder, or a run id in the workspace.
  --format svg    class-<c>-positive.svg, class-<c>-negative.svg, spectrum-<c>.svg, truncation.svg:
                  vector figures, text as text, provenance in <metadata>
  --format pdf    the same figures as vector PDFs (text in embedded DejaVu Sans), for LaTeX
  --format png    the same figures as PNG at --dpi, with the DPI and the provenance in the file
  --format html   one self-contained atlas.html: switch classes, click an eigenvector for its
                  rank, λ, sparsity, class logits and test examples; no network requests
  --out DIR       a new or empty folder; written completely or not at all
  --classes LIST  comma-separated class indices (default: every class)
  --top-k N       positive and negative eigenvectors per class, 1 to ${ATLAS_COUNT.max} (default ${ATLAS_COUNT.default})
  --dpi N         PNG resolution, ${DPI.min} to ${DPI.max} (default ${DPI.default}); figures are laid out at 96
  --size S        screen (default): as the workbench shows them; column: 3.25 in wide, page:
                  6.75 in wide, both with text in points (labels 8 pt, ticks 7 pt) for a journal
  --no-title      figures without their titles (the paper's caption says what they show)
A language model's atlas (a run id in the workspace): per layer and output token, the spectrum of
Q_ℓ(u), its truncation curve, and the top-k eigenvectors' top tokens and top contexts.
  --tokens LIST   comma-separated output directions: tokens (dog) or differences (he-she)
                  (default: those of ${DEFAULT_TOKENS} the tokenizer has)
  --layers LIST   comma-separated layers, from 0 (default: every layer)
  --top-k N       eigenvectors per layer and token (default 4)
  --workspace DIR where a run id is looked up (default: $SQS_WORKBENCH_HOME, else the user-data folder)
  --json          print the result as JSON
`;

/** A comma-separated list of words, none empty. */
function listFlag(flag: string, raw: string): string[] {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.some((s) => s === '')) throw new UsageError(`--${flag}: '${raw}' has an empty item`);
  return parts;
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('export', argv, {
    format: { type: 'string' },
    out: { type: 'string' },
    classes: { type: 'string' },
    tokens: { type: 'string' },
    layers: { type: 'string' },
    'top-k': { type: 'string' },
    dpi: { type: 'string' },
    size: { type: 'string' },
    'no-title': { type: 'boolean' },
    workspace: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return void process.stdout.write(HELP), 0;
  const [what, ...runs] = positionals;
  if (what !== 'atlas') throw new UsageError(`export: ${what === undefined ? 'missing what to export' : `unknown export '${what}'`}; available: atlas (see export --help)`);
  if (runs.length !== 1) throw new UsageError(`export atlas: expected one run folder or run id, got ${runs.length} (see export --help)`);
  const format = values.format as string | undefined;
  if (format === undefined) throw new UsageError(`export atlas: --format is required: ${ATLAS_EXPORT_FORMATS.join(', ')}`);
  if (!(ATLAS_EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: unknown format '${format}'; allowed: ${ATLAS_EXPORT_FORMATS.join(', ')}`);
  const out = folderFlag('out', values.out);
  if (out === undefined) throw new UsageError('export atlas: --out DIR is required');
  let classes: number[] | undefined;
  if (values.classes !== undefined) {
    const parts = String(values.classes).split(',').map((s) => s.trim());
    if (parts.some((s) => !/^\d+$/.test(s))) throw new UsageError(`--classes: '${values.classes}' must be comma-separated class indices, e.g. 0,3,7`);
    classes = parts.map(Number);
  }
  const tokens = values.tokens === undefined ? undefined : listFlag('tokens', String(values.tokens));
  let layers: number[] | undefined;
  if (values.layers !== undefined) {
    const parts = listFlag('layers', String(values.layers));
    if (parts.some((s) => !/^\d+$/.test(s))) throw new UsageError(`--layers: '${values.layers}' must be comma-separated layer indices, e.g. 0,1`);
    layers = parts.map(Number);
  }
  const count = integerFlag('top-k', values['top-k'], ATLAS_COUNT.default, 1, ATLAS_COUNT.max);
  const dpi = integerFlag('dpi', values.dpi, undefined, DPI.min, DPI.max);
  if (dpi !== undefined && format !== 'png') throw new UsageError(`--dpi: only for --format png, not ${format}`);
  if (values.size !== undefined && !(FIGURE_SIZES as readonly string[]).includes(String(values.size))) throw new UsageError(`--size: unknown size '${values.size}'; allowed: ${FIGURE_SIZES.join(', ')}`);
  const size = values.size as FigureSize | undefined;
  const title = values['no-title'] ? false : undefined;
  const workspace = folderFlag('workspace', values.workspace);
  const ref = runRef(runs[0], workspace);
  // a language model is read through the workspace's lm.* calls (its cache holds the validation text)
  if ('dir' in ref && isLmFolder(ref.dir)) throw new UsageError(`export atlas: ${ref.dir} holds a language model, whose atlas is exported by its run id in a workspace; 'sqs-workbench runs import ${ref.dir}' registers it`);
  const request = { outDir: resolve(out), format: format as AtlasExportFormat, classes, count, dpi, size, title };
  // --out is this command's person's choice, so the atlas is written here, in-process: the api writes
  // atlases only into its workspace's exports/ folder. A workspace run is found and, when it has no
  // analysis, analysed through the service (recorded in the workspace) first.
  const r =
    'dir' in ref
      ? { ...(await exportFolderAtlas({ runDir: ref.dir, ...request })), runDir: ref.dir }
      : await withService({ workspace, create: false }, async ({ service }) => {
          const { dir: runDir, run } = await service.call('runs.show', { id: ref.id });
          if ('family' in run.config) {
            if (classes) throw new UsageError(`--classes: run ${ref.id} is a language model; choose --tokens and --layers`);
            const written = await exportLmAtlas(service, ref.id, { outDir: request.outDir, format: request.format, dpi, size, title, tokens, layers, count: values['top-k'] === undefined ? undefined : count });
            return { ...written, analyzed: false, runDir };
          }
          if (tokens || layers) throw new UsageError(`--tokens and --layers: run ${ref.id} is a classifier; choose --classes`);
          const analyzed = await analyzeInWorkspace(service, ref.id);
          const written = await exportFolderAtlas({ runDir, ...request, runId: ref.id, runName: run.name });
          return { ...written, analyzed, runDir };
        });
  if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
  else {
    if (r.analyzed) process.stdout.write(`analysed the run first (saved in ${join(r.runDir, 'analysis')}/)\n`);
    process.stdout.write(`atlas${'classes' in r ? `, top ${count} positive and negative eigenvectors per class,` : ''} written to ${r.outDir}:\n${r.files.map((f) => `  ${f}`).join('\n')}\n`);
  }
  return 0;
}
