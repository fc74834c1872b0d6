// `npm run build` compiles the whole app: the Electron main, a CommonJS preload, the renderer,
// and the command line with every worker thread, which then run without TypeScript. It builds
// into a temporary folder laid out like the installed package (bin/, out/, package.json,
// node_modules/), so that the checkout's out/ never changes under the other tests.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRunConfig, runTraining } from '../src-main/engine/train/run';
import { checkTrainConfig } from '../src-main/common/train-config';
import { analyzeRun, DEFAULT_ANALYZE, writeAnalysis } from '../src-main/engine/analysis/analyze';
import { runCli, SMALL, startCli, tempDir } from './helpers/cli';

const ROOT = resolve(import.meta.dirname, '..');
const app = tempDir('sqs-build-');
const out = join(app, 'out');
const bin = join(app, 'bin/sqs-workbench.mjs');

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', out], { cwd: ROOT, stdio: 'pipe' });
  cpSync(join(ROOT, 'bin'), join(app, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
});

/** Atomics.waitAsync (Node 16+; the typings' ES2022 library lacks it) */
const { waitAsync } = Atomics as unknown as { waitAsync(a: Int32Array, index: number, value: number): { value: Promise<string> | string } };

/** What a worker thread posts until it exits. */
function runWorker(file: string, workerData: unknown): Promise<unknown[]> {
  const worker = new Worker(pathToFileURL(join(out, 'main', file)), { workerData });
  const messages: unknown[] = [];
  worker.on('message', (m) => messages.push(m));
  return new Promise((done, fail) => worker.on('error', fail).on('exit', () => done(messages)));
}

describe('npm run build', () => {
  it('builds the main process, a CommonJS preload for the sandbox, and the renderer', () => {
    expect(existsSync(join(out, 'main/index.js'))).toBe(true);
    expect(readFileSync(join(out, 'preload/index.cjs'), 'utf8')).toMatch(/require\("electron"\)/);
    expect(readFileSync(join(out, 'renderer/index.html'), 'utf8')).toMatch(/Content-Security-Policy/);
  });

  it('compiles the command line and each worker thread, with the eigensolver kernels beside them', () => {
    for (const file of ['cli.js', 'train-worker.js', 'analysis-worker.js', 'eigh-helper.js', 'batch-worker.js', 'run-writer-worker.js']) expect(existsSync(join(out, 'main', file)), file).toBe(true);
    expect(readFileSync(join(out, 'main/eigh-kernels.wasm')).equals(readFileSync(join(ROOT, 'src-main/engine/linalg/eigh-kernels.wasm')))).toBe(true);
  });

  it('the built command line answers --help, with no command module and no eigensolver loaded', async () => {
    const r = await runCli(['--help'], {}, bin);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sqs-workbench: train and read gated linear units\n/);
    // every module cli.js loads before it runs: its static imports, transitively; the bundle
    // names each module it holds in a `// src-main/…` line
    const loaded = new Set<string>();
    const visit = (chunk: string) => {
      if (loaded.has(chunk)) return;
      loaded.add(chunk);
      const text = readFileSync(join(out, 'main', chunk), 'utf8');
      for (const m of text.matchAll(/^import .* from "\.\/([^"]+)";$/gm)) visit(m[1]);
    };
    visit('cli.js');
    const modules = [...loaded].flatMap((c) => [...readFileSync(join(out, 'main', c), 'utf8').matchAll(/^\/\/ (src-main\/\S+\.ts)$/gm)].map((m) => m[1]));
    expect(modules).toContain('src-main/hosts/cli/main.ts');
    expect(modules.filter((m) => /-command\.ts$|\/linalg\//.test(m))).toEqual([]);
  });

  it('a sweep through the built train worker trains the weights that the sources train', async () => {
    const ws = tempDir();
    const r = await runCli(['sweep', '--grid', 'seed=0,1', ...SMALL, '--epochs', '1', '--workspace', ws], {}, bin);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ +1 +completed .* seed=0\n +2 +completed .* seed=1\n$/);
    const ref = join(tempDir(), 'ref');
    await runTraining(readRunConfig(join(ws, 'runs/1'), checkTrainConfig), ref);
    expect(readFileSync(join(ws, 'runs/1/weights.safetensors')).equals(readFileSync(join(ref, 'weights.safetensors')))).toBe(true);
  });

  it('the built analysis worker writes the spectra that the sources compute', async () => {
    const ws = tempDir();
    const r = await runCli(['train', ...SMALL, '--epochs', '1', '--workspace', ws], {}, bin);
    expect(r.code, r.stderr).toBe(0);
    const [compiled, source] = [tempDir(), tempDir()].map((d) => (cpSync(join(ws, 'runs/1'), d, { recursive: true }), d));
    const messages = await runWorker('analysis-worker.js', { runDir: compiled, ep: 'cpu', options: {} });
    expect(messages.at(-1)).toMatchObject({ type: 'done' });
    writeAnalysis(source, await analyzeRun(source, DEFAULT_ANALYZE));
    const spectra = (dir: string) => readFileSync(join(dir, 'analysis/spectra.safetensors'));
    expect(spectra(compiled).equals(spectra(source))).toBe(true);
  });

  it('the built eigensolver helper thread computes its share of a product (C = A·Bᵀ)', async () => {
    const [m, n, k] = [6, 5, 7];
    const shared = (len: number, f: (i: number) => number) => {
      const a = new Float64Array(new SharedArrayBuffer(8 * len));
      a.forEach((_, i) => (a[i] = f(i)));
      return a;
    };
    const A = shared(m * k, (i) => Math.sin(i + 1)), B = shared(n * k, (i) => Math.cos(2 * i)), C = shared(m * n, () => 0);
    const ready = new Int32Array(new SharedArrayBuffer(4)), flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(pathToFileURL(join(out, 'main/eigh-helper.js')), { workerData: ready });
    try {
      await waitAsync(ready, 0, 0).value;
      worker.postMessage({ job: 'gemmNT', args: [m, n, k, A, 0, k, B, 0, k, C, 0, n, 0], flag });
      await waitAsync(flag, 0, 0).value;
      expect(Atomics.load(flag, 0)).toBe(1);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let t = 0; t < k; t++) dot += A[i * k + t] * B[j * k + t];
          expect(C[i * n + j]).toBeCloseTo(dot, 12);
        }
      }
    } finally {
      await worker.terminate();
    }
  });

  it('the built serve serves its renderer, and without one refuses in one line before any URL', async () => {
    const ws = tempDir();
    const env = { SQS_WORKBENCH_RENDERER: '' };
    const s = startCli(['serve', '--workspace', ws], env, bin);
    let printed = '';
    await new Promise<void>((ok) => s.child.stdout!.on('data', (d: Buffer) => (printed += d) && printed.includes('\n') && ok()));
    const [, url] = /^Workbench at (\S+)\n$/.exec(printed)!;
    const page = await fetch(url);
    expect(await page.text()).toBe(readFileSync(join(out, 'renderer/index.html'), 'utf8'));
    s.child.kill('SIGTERM');
    expect((await s.done).code).toBe(0);

    mkdirSync(join(app, 'elsewhere'));
    renameSync(join(out, 'renderer'), join(app, 'elsewhere/renderer'));
    try {
      const r = await runCli(['serve', '--workspace', ws], env, bin);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`serve: the renderer is not built (no ${join(out, 'renderer/index.html')}): run npm run build first\n`);
    } finally {
      renameSync(join(app, 'elsewhere/renderer'), join(out, 'renderer'));
    }
  });
});
