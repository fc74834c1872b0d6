// Debian's Chromium driven by playwright-core, for tests of the UI through the web host. Where
// no browser is installed the tests skip (warn-once.ts says so), unless REQUIRE_BROWSER=1 (CI).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_BROWSER = existsSync(CHROMIUM);


export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Builds the renderer into a fresh folder (not out/, which the build test writes concurrently). */
export async function buildRenderer(outDir: string): Promise<string> {
  const { build } = await import('vite');
  const { svelte } = await import('@sveltejs/vite-plugin-svelte');
  const root = new URL('../../src-renderer', import.meta.url).pathname;
  await build({ root, plugins: [svelte()], logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return outDir;
}
