// Debian's Chromium driven by playwright-core, for tests of the UI through the web host. Where
// no browser is installed the tests skip (warn-once.ts says so), unless REQUIRE_BROWSER=1 (CI).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Request } from 'playwright-core';

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

/**
 * A failed request that is no failure of ours: the browser fetches the favicon on its own, late,
 * and cancels that fetch when the page navigates or closes meanwhile.
 */
export function cancelledFavicon(r: Request): boolean {
  return new URL(r.url()).pathname.endsWith('/favicon.svg') && r.failure()?.errorText === 'net::ERR_ABORTED';
}
