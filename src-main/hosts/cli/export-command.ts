// `sqs-workbench export atlas <run_dir> --format svg|html --out DIR [--classes 0,3,7] [--top-k 6]`.
import { parseArgs } from 'node:util';
import { ATLAS_FORMATS, ExportError, exportAtlas, PLANNED_FORMATS, type AtlasFormat } from '../../export/atlas';
import { UsageError } from './train-args';

const HELP = `usage: sqs-workbench export atlas <run_dir> --format svg|html --out DIR [--classes 0,3,7] [--top-k 6]

Exports a run's feature atlas: for each class the top-k eigenvectors by |λ| in input space on a
diverging blue–white–red map centred at 0, its spectrum, and the truncation curve. Reads
<run_dir>/analysis/ (computing and saving it first when the run has none).
  --format svg    class-<c>.svg, spectrum-<c>.svg and truncation.svg
  --format html   one self-contained atlas.html (no network requests), every class
  --out DIR       a new or empty folder; written completely or not at all
  --classes LIST  comma-separated class indices (default: every class)
  --top-k N       eigenvectors per class (default 6)
(png and pdf are not available yet)
`;

export async function exportCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { format: { type: 'string' }, out: { type: 'string' }, classes: { type: 'string' }, 'top-k': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
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
  if (runs.length !== 1) throw new UsageError(`export atlas: expected one run folder, got ${runs.length} (see export --help)`);
  const format = values.format;
  if (format === undefined) throw new UsageError(`export atlas: --format is required: ${ATLAS_FORMATS.join(' or ')}`);
  if (!(ATLAS_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format: unknown format '${format}'; allowed: ${ATLAS_FORMATS.join(', ')} (${PLANNED_FORMATS.join(' and ')} are not available yet)`);
  }
  if (values.out === undefined || values.out === '') throw new UsageError('export atlas: --out DIR is required');
  let classes: number[] | undefined;
  if (values.classes !== undefined) {
    const parts = values.classes.split(',').map((s) => s.trim());
    if (parts.some((s) => !/^\d+$/.test(s))) throw new UsageError(`--classes: '${values.classes}' must be comma-separated class indices, e.g. 0,3,7`);
    classes = parts.map(Number);
  }
  let topK = 6;
  const rawK = values['top-k'];
  if (rawK !== undefined) {
    if (!/^\d+$/.test(rawK) || Number(rawK) < 1) throw new UsageError(`--top-k: '${rawK}' is out of range: must be an integer >= 1`);
    topK = Number(rawK);
  }
  try {
    const r = await exportAtlas({ runDir: runs[0], outDir: values.out, format: format as AtlasFormat, classes, topK });
    if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
    else {
      if (r.analyzed) process.stdout.write(`analysed the run first (saved in ${runs[0]}/analysis/)\n`);
      process.stdout.write(`atlas of ${r.classes.length} class(es), top ${r.topK} eigenvectors, written to ${r.outDir}:\n${r.files.map((f) => `  ${f}`).join('\n')}\n`);
    }
    return 0;
  } catch (e) {
    if (!(e instanceof ExportError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
}
