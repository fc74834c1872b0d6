// Svelte modules (components, .svelte.ts state classes) loaded through Vite with the Svelte
// plugin, compiled for the server, so tests can render a chart to an SVG string and drive a
// state class without a browser. vitest itself does not compile Svelte.
import { resolve } from 'node:path';
import type { ViteDevServer } from 'vite';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface SvelteLoader {
  load<T = Record<string, unknown>>(path: string): Promise<T>;
  /** the component's HTML, as svelte/server renders it with these props */
  render(path: string, props: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function svelteLoader(): Promise<SvelteLoader> {
  const { createServer } = await import('vite');
  const { svelte } = await import('@sveltejs/vite-plugin-svelte');
  const server: ViteDevServer = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'silent',
    plugins: [svelte({ compilerOptions: { css: 'injected' } })],
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    appType: 'custom',
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  const load = <T>(path: string) => server.ssrLoadModule(resolve(ROOT, path)) as Promise<T>;
  return {
    load,
    async render(path, props) {
      // svelte/server through the same loader, so component and renderer share one runtime
      const { render } = await server.ssrLoadModule('svelte/server');
      const { default: component } = await load<{ default: unknown }>(path);
      return render(component, { props }).body as string;
    },
    close: () => server.close(),
  };
}

/** Numbers in markup rounded to `digits` decimals, and Svelte's hydration comments and scoped-style classes removed. */
export function tidy(html: string, digits = 1): string {
  return html
    .replace(/<!--[^>]*-->/g, '')
    .replace(/ ?svelte-[a-z0-9]+/g, '')
    .replace(/ class=""/g, '')
    .replace(/-?\d+\.\d+/g, (n) => String(Math.round(Number(n) * 10 ** digits) / 10 ** digits + 0))
    .replace(/></g, '>\n<');
}
