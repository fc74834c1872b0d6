// `sqs-workbench export atlas <run_dir|run_id> --format svg|png|pdf|html --out DIR
//   [--classes 0,3,7] [--top-k 6] [--dpi 300] [--size screen|column|page] [--no-title] [--workspace DIR]`.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ATLAS_EXPORT_FORMATS, FIGURE_SIZES, type AtlasExportFormat, type FigureSize } from '../../shared/formats';
import { ExportError } from '../../export/atlas';
import { DEFAULT_ATLAS_COUNT, exportRunAtlas } from '../../export/atlas-run';
import { DEFAULT_DPI, MAX_DPI, MIN_DPI } from '../../export/png';
import { getRun } from '../../store/runs';
import { resolveWorkspaceDir } from '../../api/workspace-dir';
import { Workspace, WorkspaceError } from '../../store/workspace';
import { UsageError } from './train-args';

const HELP = `usage: sqs-workbench export atlas <run_dir|run_id> --format svg|png|pdf|html --out DIR
                                [--classes 0,3,7] [--top-k 6] [--dpi 300] [--size screen|column|page]
                                [--no-title] [--workspace DIR] [--json]

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
  --top-k N       positive and negative eigenvectors per class, 1 to 64 (default ${DEFAULT_ATLAS_COUNT})
  --dpi N         PNG resolution, ${MIN_DPI} to ${MAX_DPI} (default ${DEFAULT_DPI}); figures are laid out at 96
  --size S        screen (default): as the workbench shows them; column: 3.25 in wide, page:
                  6.75 in wide, both with text in points (labels 8 pt, ticks 7 pt) for a journal
  --no-title      figures without their titles (the paper's caption says what they show)
  --workspace DIR where a run id is looked up (default: $SQS_WORKBENCH_HOME, else the user-data folder)
  --json          print the result as JSON
`;

function integer(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`--${flag}: '${raw}' is out of range: must be an integer from ${min} to ${max}`);
  return Number(raw);
}

/**
 * A run folder as given, or a run id looked up in the workspace: all digits, and no such folder
 * here (or --workspace given).
 */
function resolveRun(arg: string, workspaceFlag: string | undefined): { runDir: string; runId?: number; runName?: string } {
  const isId = /^\d+$/.test(arg) && (workspaceFlag !== undefined || !existsSync(resolve(arg)));
  if (!isId) {
    if (workspaceFlag !== undefined) throw new UsageError(`export atlas: --workspace is for a run id; '${arg}' is a run folder`);
    return { runDir: resolve(arg) };
  }
  const dir = resolveWorkspaceDir(workspaceFlag);
  if (!existsSync(join(dir, 'workspace.db'))) throw new WorkspaceError(`no workspace at ${dir} (no workspace.db there) to find run ${arg} in; give --workspace DIR or a run folder`);
  const ws = Workspace.open(dir);
  try {
    const id = Number(arg);
    const run = getRun(ws, id);
    return { runDir: ws.runDir(id), runId: id, runName: run.name };
  } finally {
    ws.close();
  }
}

export async function exportCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        classes: { type: 'string' },
        'top-k': { type: 'string' },
        dpi: { type: 'string' },
        size: { type: 'string' },
        'no-title': { type: 'boolean' },
        workspace: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw new UsageError(`export: ${(e as Error).message.split('\n')[0]}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return void process.stdout.write(HELP), 0;
  const [what, ...runs] = positionals;
  if (what !== 'atlas') throw new UsageError(`export: ${what === undefined ? 'missing what to export' : `unknown export '${what}'`}; available: atlas (see export --help)`);
  if (runs.length !== 1) throw new UsageError(`export atlas: expected one run folder or run id, got ${runs.length} (see export --help)`);
  const format = values.format;
  if (format === undefined) throw new UsageError(`export atlas: --format is required: ${ATLAS_EXPORT_FORMATS.join(', ')}`);
  if (!(ATLAS_EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: unknown format '${format}'; allowed: ${ATLAS_EXPORT_FORMATS.join(', ')}`);
  if (values.out === undefined || values.out.trim() === '') throw new UsageError('export atlas: --out DIR is required');
  let classes: number[] | undefined;
  if (values.classes !== undefined) {
    const parts = values.classes.split(',').map((s) => s.trim());
    if (parts.some((s) => !/^\d+$/.test(s))) throw new UsageError(`--classes: '${values.classes}' must be comma-separated class indices, e.g. 0,3,7`);
    classes = parts.map(Number);
  }
  const count = integer('top-k', values['top-k'], 1, 64) ?? DEFAULT_ATLAS_COUNT;
  const dpi = integer('dpi', values.dpi, MIN_DPI, MAX_DPI);
  if (dpi !== undefined && format !== 'png') throw new UsageError(`--dpi: only for --format png, not ${format}`);
  if (values.size !== undefined && !(FIGURE_SIZES as readonly string[]).includes(values.size)) throw new UsageError(`--size: unknown size '${values.size}'; allowed: ${FIGURE_SIZES.join(', ')}`);
  const size = values.size as FigureSize | undefined;
  const title = values['no-title'] ? false : undefined;
  if (values.workspace !== undefined && values.workspace.trim() === '') throw new UsageError(`--workspace: '' is empty: must be a directory path`);
  const run = resolveRun(runs[0], values.workspace);
  try {
    const r = await exportRunAtlas({ ...run, outDir: values.out, format: format as AtlasExportFormat, classes, count, dpi, size, title });
    if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
    else {
      if (r.analyzed) process.stdout.write(`analysed the run first (saved in ${join(run.runDir, 'analysis')}/)\n`);
      process.stdout.write(`atlas of ${r.classes.length} class(es), top ${r.count} positive and negative eigenvectors, written to ${r.outDir}:\n${r.files.map((f) => `  ${f}`).join('\n')}\n`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof ExportError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
}
