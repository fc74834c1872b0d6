// The app runs either compiled (`npm run build` bundles it into out/main/*.js, which is what a
// package ships) or from its TypeScript sources (tsx, vitest). Which one, and so where its own
// files are, is decided here once, by this very file's name.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** true in out/main/*.js; false when the .ts sources run through tsx or vitest */
export const COMPILED = !import.meta.url.endsWith('.ts');

/** The app's root folder (package.json, out/): out/main/ lies two levels below it, this source three. */
export const APP_ROOT = fileURLToPath(new URL(COMPILED ? '../../' : '../../../', import.meta.url)).replace(/[\\/]$/, '');

/**
 * The module a worker thread runs, named `name` beside the caller (pass its import.meta.url):
 * compiled, the bundle's own `name.js` (every entry and chunk lies flat in out/main/); from the
 * sources, `name-entry.mjs`, which loads `name.ts` through tsx.
 */
export function workerUrl(callerUrl: string, name: string): URL {
  return new URL(COMPILED ? `./${name}.js` : `./${name}-entry.mjs`, callerUrl);
}

/**
 * Where tokenised corpora and trained tokenizers are kept between runs outside a workspace:
 * $SQS_CACHE_DIR, else $XDG_CACHE_HOME/sqs-workbench, else ~/.cache/sqs-workbench.
 */
export function defaultCacheDir(): string {
  const env = process.env;
  if (env.SQS_CACHE_DIR) return env.SQS_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sqs-workbench');
}
