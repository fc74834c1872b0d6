// `sqs-workbench import-model <weights.safetensors> [--config config.json] [--map PRESET|mapping.json]
// [--gate G] [--dataset D] [--out DIR | --workspace DIR] [--name N] [--tag T] [--json]`: a run made
// from weights trained elsewhere, its test accuracy measured on import; into the workspace unless
// --out names a standalone run folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importModelFolder } from '../../api/run-folders';
import { TrainConfigPatchSchema, type TrainConfigPatch } from '../../common/train-config';
import { formatIssues } from '../../common/rules';
import { withService } from './connect';
import { UsageError } from './usage';

const HELP = `usage: sqs-workbench import-model <weights.safetensors> [--map bilinear-mlps|einsum-glu|mapping.json]
                                  [--config config.json] [--gate G] [--dataset D] [--out DIR | --workspace DIR] [--name N] [--tag T] [--json]

Makes a run from a classifier trained in another framework. d, h and the number of layers are read
off the tensors' shapes; --config (a JSON object of our config's fields: gate, its parameters such as
{"sqs": {"c": 0.01, …}}, dataset) and --gate/--dataset give the rest (default: bilinear on digits).
The test accuracy is measured on import; the run has no training metrics. --map names a preset
(default bilinear-mlps) or a mapping.json: {"tensors": {"embed": {"from": "embed.weight"},
"layers.{i}.w": {"from": "…", "transpose": false, "part": [0, 2]}, …}, "ignore": ["norm.weight"]}.
A file that does not fit is refused with every missing and unexpected tensor and shape mismatch.
bilinear-mlps: the Bilinear MLPs paper's one-layer image models (its repository's names); einsum-glu: the
TransformerLens-style names of GLU reimplementations (docs/reproduce.md).
`;

const OWN = ['config', 'map', 'gate', 'dataset', 'out', 'workspace', 'name', 'tag'];

export async function importModelCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(HELP), 0;
  const flags: Record<string, string> = {};
  const tags: string[] = [];
  let json = false;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--json') json = true;
    else if (flag.startsWith('--') && OWN.includes(flag.slice(2))) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag}: missing value`);
      if (flag === '--tag') tags.push(v);
      else flags[flag.slice(2)] = v;
    } else if (flag.startsWith('-')) throw new UsageError(`unknown flag '${flag}' (see --help)`);
    else positional.push(argv[i]);
  }
  if (positional.length !== 1) throw new UsageError('import-model: name one weights file (.safetensors)');
  if (flags.out && flags.workspace) throw new UsageError('--out writes a standalone run folder; --workspace imports into a workspace: give one');
  let patch: Record<string, unknown> = {};
  if (flags.config) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(flags.config, 'utf8'));
    } catch (e) {
      throw new UsageError(`--config: ${flags.config}: ${(e as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`--config: ${flags.config}: must hold a JSON object of config fields`);
    patch = value as Record<string, unknown>;
  }
  if (flags.gate) patch.gate = flags.gate;
  if (flags.dataset) patch.dataset = flags.dataset;
  const checked = TrainConfigPatchSchema.safeParse(patch);
  if (!checked.success) throw new UsageError(`--config: ${formatIssues(checked.error)}`);
  const config = checked.data as TrainConfigPatch;
  const weights = resolve(positional[0]);
  const map = flags.map ?? 'bilinear-mlps';
  const report = (r: { run_dir: string; test_accuracy: number }, id?: number) => {
    if (json) process.stdout.write(JSON.stringify({ ...(id !== undefined ? { run_id: id } : {}), run_dir: r.run_dir, test_accuracy: r.test_accuracy }) + '\n');
    else process.stdout.write(`${id !== undefined ? `run ${id}` : r.run_dir}: imported from ${weights}, test accuracy ${(100 * r.test_accuracy).toFixed(2)}%\n`);
  };
  if (flags.out) {
    report(await importModelFolder({ weights, map, config, outDir: flags.out }));
    return 0;
  }
  const staging = mkdtempSync(join(tmpdir(), 'sqs-import-'));
  try {
    const r = await importModelFolder({ weights, map, config, outDir: join(staging, 'run') });
    return await withService({ workspace: flags.workspace }, async ({ service }) => {
      const { id } = await service.call('runs.import', { path: r.run_dir, ...(flags.name ? { name: flags.name } : {}), tags: ['imported', ...tags] });
      report({ ...r, run_dir: (await service.call('runs.show', { id })).dir }, id);
      return 0;
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
