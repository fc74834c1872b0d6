// One rule for every command's flags: a flag that is not repeatable is refused when given twice
// (parseArgs alone silently keeps the last), an unknown flag is refused, and a count is an integer
// in its range. Each case: exit 2, one line naming the flag, nothing created or changed.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRAIN_FIELDS } from '../../src-main/common/train-fields';
import { tempDir } from '../helpers/cli';
import { expectOneLine, snapshot } from './harness';
import { runMain as cli } from './run-main';

const root = tempDir('sqs-faults-flags-');
const home = join(root, 'home');
const cwd = process.cwd();
const savedHome = process.env.SQS_WORKBENCH_HOME;

beforeAll(() => {
  mkdirSync(home);
  process.env.SQS_WORKBENCH_HOME = home;
  // relative paths (a default run folder, --out 1) land here, where the test can see them
  process.chdir(root);
});
afterAll(() => {
  process.chdir(cwd);
  if (savedHome === undefined) delete process.env.SQS_WORKBENCH_HOME;
  else process.env.SQS_WORKBENCH_HOME = savedHome;
  rmSync(root, { recursive: true, force: true });
});

type Flag = [name: string, kind: 'string' | 'boolean'];
const s = (...names: string[]): Flag[] => names.map((n) => [n, 'string']);
const b = (...names: string[]): Flag[] => names.map((n) => [n, 'boolean']);

/** Each command line's prefix (with the positionals it needs) and its flags that may be given once. */
const COMMANDS: [prefix: string[], flags: Flag[]][] = [
  [['train'], [...TRAIN_FIELDS.map((f): Flag => [f.flag, 'string']), ...s('out', 'workspace', 'name'), ...b('json', 'help')]],
  [['sweep', '--grid', 'seed=0,1'], [...s('concurrency', 'lr', 'd', 'gate', 'name', 'workspace'), ...b('json')]],
  [['analyze', 'run'], [...s('top-k', 'layer', 'masks', 'workspace'), ...b('json', 'help')]],
  [['compare-features', 'a', 'b'], [...s('top-k', 'layer', 'masks', 'workspace'), ...b('json', 'help')]],
  [['export', 'atlas', 'run'], [...s('format', 'out', 'classes', 'top-k', 'dpi', 'size', 'workspace'), ...b('no-title', 'json', 'help')]],
  [['resume', '1'], [...s('workspace', 'concurrency'), ...b('all', 'json', 'help')]],
  [['cancel', '1'], [...s('workspace'), ...b('help')]],
  [['runs', 'list'], [...s('status', 'sort', 'group-by', 'limit', 'offset', 'workspace'), ...b('json', 'help')]],
  [['runs', 'show', '1'], [...s('workspace'), ...b('json', 'help')]],
  [['runs', 'diff', '1', '2'], [...s('workspace'), ...b('json')]],
  [['runs', 'tag', '1', 't'], b('json')],
  [['runs', 'untag', '1', 't'], b('json')],
  [['runs', 'note', '1', 'text'], b('json')],
  [['runs', 'rename', '1', 'name'], b('json')],
  [['runs', 'delete', '1'], b('json')],
  [['runs', 'import', 'folder'], [...s('name'), ...b('json')]],
  [['runs', 'export-metrics', '1'], s('format', 'names', 'out')],
  [['serve'], [...s('port', 'workspace'), ...b('help')]],
  [['bench', 'train'], [...s('gates', 'steps'), ...b('json')]],
  [['bench', 'eigh'], [...s('n'), ...b('json')]],
  [['bench', 'store'], [...s('runs', 'points'), ...b('json')]],
  [['bench', 'ui'], [...s('runs'), ...b('json')]],
  [['bench', 'atlas'], b('json')],
];

/** Nothing under the test's folder (the default workspace, relative outputs) changed. */
function unchanged(before: Record<string, string>): void {
  expect(snapshot(root)).toEqual(before);
}

describe('a flag given twice', () => {
  const cases = COMMANDS.flatMap(([prefix, flags]) => flags.map(([name, kind]) => [prefix.join(' '), name, kind] as const));

  it.each(cases)('%s --%s twice is refused', async (prefix, name, kind) => {
    const once = kind === 'string' ? [`--${name}`, '1'] : [`--${name}`];
    const before = snapshot(root);
    expectOneLine(await cli([...prefix.split(' '), ...once, ...once]), 2, new RegExp(`^--${name}: given more than once$`, 'm'));
    unchanged(before);
  });

  const withValue = COMMANDS.flatMap(([prefix, flags]) => flags.filter(([, k]) => k === 'string').slice(0, 1).map(([name]) => [prefix.join(' '), name] as const));
  it.each(withValue)('%s: --%s given as --flag=1 and then --flag 2 is given twice', async (prefix, name) => {
    const before = snapshot(root);
    expectOneLine(await cli([...prefix.split(' '), `--${name}=1`, `--${name}`, '2']), 2, new RegExp(`^--${name}: given more than once$`, 'm'));
    unchanged(before);
  });

  it('-h and --help are one flag', async () => {
    expectOneLine(await cli(['analyze', 'run', '-h', '--help']), 2, /^--help: given more than once$/m);
  });

  it('repeatable flags stay repeatable: --grid, --tag, --filter, --data-root', async () => {
    // refused for another reason (what follows the flags), never for the repeat
    const sweep = await cli(['sweep', '--grid', 'seed=0,1', '--grid', 'lr=0.1', '--d', '0']);
    expectOneLine(sweep, 2, /^--d: 0 is out of range/);
    const train = await cli(['train', '--tag', 'a', '--tag', 'b', '--out', 'x']);
    expectOneLine(train, 2, /^--out writes a standalone run folder/);
    const runs = await cli(['runs', 'list', '--filter', 'gate=sqs', '--filter', 'seed=0', '--tag', 'a', '--tag', 'b']);
    expectOneLine(runs, 1, /^no workspace at /);
    const serve = await cli(['serve', '--data-root', root, '--data-root', home, 'extra']);
    expectOneLine(serve, 2, /^serve: unexpected argument 'extra'/);
  });
});

describe('every command refuses an unknown flag', () => {
  it.each(COMMANDS.map(([p]) => p.join(' ')))('%s --no-such-flag', async (prefix) => {
    const before = snapshot(root);
    expectOneLine(await cli([...prefix.split(' '), '--no-such-flag']), 2, /unknown flag '--no-such-flag'/);
    unchanged(before);
  });
});

describe('counts are integers in their range', () => {
  const bad: [string, RegExp][] = [
    ['abc', /'abc' is not a number: must be an integer from 1 to 64/],
    ['-1', /-1 is out of range: must be an integer from 1 to 64/],
    ['0', /0 is out of range: must be an integer from 1 to 64/],
    ['1.5', /1\.5 is not an integer: must be an integer from 1 to 64/],
    ['999', /999 is out of range: must be an integer from 1 to 64/],
    ['', /'' is not a number: must be an integer from 1 to 64/],
    ['0x10', /'0x10' is not a number/],
    ['Infinity', /'Infinity' is not a number/],
  ];
  const commands = [
    ['resume', '--all'],
    ['resume', '7'],
    ['sweep', '--grid', 'seed=0,1'],
  ];
  const cases = commands.flatMap((c) => bad.map(([v, m]) => [c.join(' '), v, m] as const));

  it.each(cases)('%s --concurrency %j', async (prefix, value, message) => {
    const before = snapshot(root);
    expectOneLine(await cli([...prefix.split(' '), '--concurrency', value]), 2, new RegExp(`^--concurrency: ${message.source}`));
    unchanged(before);
  });

  const others: [string[], RegExp][] = [
    [['analyze', 'run', '--top-k', '0'], /^--top-k: 0 is out of range: must be an integer >= 1$/m],
    [['analyze', 'run', '--layer', '-1'], /^--layer: -1 is out of range: must be an integer >= 0$/m],
    [['export', 'atlas', 'run', '--format', 'png', '--out', 'o', '--dpi', '1e9'], /^--dpi: 1e9 is out of range/],
    [['export', 'atlas', 'run', '--format', 'svg', '--out', 'o', '--top-k', '65'], /^--top-k: 65 is out of range: must be an integer from 1 to 64$/m],
    [['serve', '--port', '70000'], /^--port: 70000 is out of range: must be an integer from 0 to 65535$/m],
    [['serve', '--port', 'x'], /^--port: 'x' is not a number/],
    [['bench', 'eigh', '--n', '5000'], /^--n: 5000 is out of range: must be an integer from 1 to 4096$/m],
    [['bench', 'store', '--runs', '1.5'], /^--runs: 1\.5 is not an integer/],
    [['bench', 'train', '--steps', '0'], /^--steps: 0 is out of range/],
  ];
  it.each(others)('%j', async (argv, message) => {
    const before = snapshot(root);
    expectOneLine(await cli(argv), 2, message);
    unchanged(before);
  });

  it('left nothing behind: no workspace, no output folder', () => {
    expect(readdirSync(home)).toEqual([]);
    expect(existsSync(join(root, 'o'))).toBe(false);
  });
});
