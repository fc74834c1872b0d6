import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { dirname, relative, resolve } from 'node:path';

/**
 * Worker threads run the TypeScript sources through tsx, as the command line does
 * (jobs/worker-entry.mjs), and the eigensolver loads its WebAssembly kernels from beside its
 * source: main's bundle keeps pointing at those files, relative to out/main.
 */
function sourceRelativeWorkerUrls(): Plugin {
  let outMain = resolve('out/main');
  return {
    name: 'sqs:source-relative-worker-urls',
    enforce: 'pre',
    configResolved(config) {
      outMain = resolve(config.root, config.build.outDir);
    },
    transform(code, id) {
      if (!id.startsWith(resolve('src-main'))) return null;
      const out = code.replace(/new URL\((['"])(\.\.?\/[^'"]+\.(?:mjs|wasm))\1, import\.meta\.url\)/g, (_m: string, _q: string, spec: string) => `new URL(${JSON.stringify(relative(outMain, resolve(dirname(id), spec)).split('\\').join('/'))}, import.meta.url)`);
      return out === code ? null : { code: out, map: null };
    },
  };
}

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin(), sourceRelativeWorkerUrls()],
    build: { rollupOptions: { input: { index: resolve('src-main/hosts/electron/main.ts') } } },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
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
