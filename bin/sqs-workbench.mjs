#!/usr/bin/env node
// The `sqs-workbench` command. It runs the compiled command line (out/main/cli.js, written by
// `npm run build`, and all that a package ships) when that build is newer than every file of
// src-main/ and package.json; otherwise, in a checkout whose sources changed since its last
// build, the TypeScript sources through tsx (a devDependency). So a build older than the
// sources never runs in their place.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const compiled = join(root, 'out/main/cli.js');
const sources = join(root, 'src-main');

function compiledIsCurrent() {
  if (!existsSync(compiled)) return false;
  if (!existsSync(sources)) return true;
  const built = statSync(compiled).mtimeMs;
  const inputs = [join(root, 'package.json'), sources, ...readdirSync(sources, { recursive: true }).map((f) => join(sources, f))];
  return inputs.every((f) => statSync(f).mtimeMs < built);
}

let main;
if (compiledIsCurrent()) {
  ({ main } = await import(pathToFileURL(compiled).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src-main/hosts/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
