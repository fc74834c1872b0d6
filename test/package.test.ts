// `npm pack` gives a package that installs on its own (`npm install -g`) and runs compiled:
// no TypeScript and no tsx at run time. Packed from a copy of the checkout, so that its prepack
// build never rewrites the out/ other tests may be running. The install builds better-sqlite3
// where no prebuilt binary can be fetched: minutes, on a small machine.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, SMALL, startCli, tempDir } from './helpers/cli';

const ROOT = resolve(import.meta.dirname, '..');
const BUILD_INPUTS = ['bin', 'src-main', 'src-renderer', 'package.json', 'package-lock.json', 'electron.vite.config.ts', 'README.md', 'tsconfig.json', 'tsconfig.node.json', 'tsconfig.web.json'];
const prefix = tempDir('sqs-prefix-');
const installed = join(prefix, 'lib/node_modules/sqs-workbench');
const bin = join(prefix, 'bin/sqs-workbench');

/** npm as a user runs it: none of the npm_* variables of an `npm test` around this test */
function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return execFileSync('npm', args, { cwd, env: { ...clean, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** the installed command, with no NODE_OPTIONS that could lend it a loader */
const env = { NODE_OPTIONS: '', SQS_WORKBENCH_RENDERER: '' };

beforeAll(() => {
  const checkout = tempDir('sqs-checkout-');
  for (const f of BUILD_INPUTS) cpSync(join(ROOT, f), join(checkout, f), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'));
  const packs = tempDir('sqs-pack-');
  npm(['pack', '--pack-destination', packs], checkout);
  const [tarball] = readdirSync(packs);
  // the metadata comes from the npm cache where it has it (--offline once a first install has
  // cached it); onnxruntime-node's own switch skips its CUDA download
  npm(['install', '-g', join(packs, tarball), '--prefer-offline', '--prefix', prefix], prefix, { ONNXRUNTIME_NODE_INSTALL: 'skip' });
});

/** Files of the installed package outside its dependencies. */
function ownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules') return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? ownFiles(path) : [path];
  });
}

describe('the installed package', () => {
  it('holds the build and no TypeScript: no sources, no .ts file, no tsx', () => {
    expect(existsSync(join(installed, 'out/main/cli.js'))).toBe(true);
    expect(existsSync(join(installed, 'src-main'))).toBe(false);
    expect(ownFiles(installed).filter((f) => /\.[cm]?ts$/.test(f))).toEqual([]);
    expect(existsSync(join(installed, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so'))).toBe(false);
  });

  it('answers --help', async () => {
    const r = await runCli(['--help'], env, bin);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sqs-workbench: train and read gated linear units\n/);
  });

  it('trains a tiny model for an epoch, then a sweep of two runs', async () => {
    const ws = tempDir();
    const train = await runCli(['train', ...SMALL, '--epochs', '1', '--workspace', ws], env, bin);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/^completed: test accuracy [\d.]+% after 1 epochs .*run 1 in /m);
    const sweep = await runCli(['sweep', '--grid', 'seed=0,1', ...SMALL, '--epochs', '1', '--workspace', ws], env, bin);
    expect(sweep.code, sweep.stderr).toBe(0);
    expect(sweep.stdout).toMatch(/^ +2 +completed .* seed=0\n +3 +completed .* seed=1\n$/);
  });

  it('serves the workbench: one line with its URL, and its page', async () => {
    const s = startCli(['serve', '--workspace', tempDir()], env, bin);
    let printed = '';
    await new Promise<void>((ok) => s.child.stdout!.on('data', (d: Buffer) => (printed += d) && printed.includes('\n') && ok()));
    const [, url] = /^Workbench at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})\n$/.exec(printed)!;
    expect(await (await fetch(url)).text()).toMatch(/<title>/);
    s.child.kill('SIGTERM');
    expect((await s.done).code).toBe(0);
  });
});
