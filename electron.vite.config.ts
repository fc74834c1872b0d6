import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The eigensolver reads its WebAssembly kernels from beside its code: out/main/ too. */
function eighKernels(): Plugin {
  const file = 'eigh-kernels.wasm';
  return {
    name: 'sqs:eigh-kernels',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: file, source: readFileSync(resolve('src-main/engine/linalg', file)) });
    },
  };
}

export default defineConfig({
  // The Electron app, the command line and every worker thread: all entries and their shared
  // chunks lie flat in out/main/, where engine/util/app-files.ts expects them.
  main: {
    plugins: [eighKernels()],
    build: {
      // dependencies stay in node_modules; so does playwright-core, which only the benchmarks load
      externalizeDeps: { include: ['playwright-core'] },
      rollupOptions: {
        input: {
          index: resolve('src-main/hosts/electron/main.ts'),
          cli: resolve('src-main/hosts/cli/main.ts'),
          'train-worker': resolve('src-main/jobs/train-worker.ts'),
          'analysis-worker': resolve('src-main/jobs/analysis-worker.ts'),
          'eigh-helper': resolve('src-main/engine/linalg/eigh-helper.ts'),
          'batch-worker': resolve('src-main/engine/train/batch-worker.ts'),
          'run-writer-worker': resolve('src-main/engine/train/run-writer-worker.ts'),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    // a sandboxed preload must be CommonJS
    build: {
      rollupOptions: {
        input: { index: resolve('src-main/hosts/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [svelte()],
    build: { rollupOptions: { input: { index: resolve('src-renderer/index.html') } } },
  },
});
