// Which form bin/sqs-workbench.mjs runs: the build when it is newer than every source, else the
// sources, so a stale build never stands in for them. Checked on a stand-in app whose two forms
// say which one ran.
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli';

const ROOT = resolve(import.meta.dirname, '..');
let app: string;

function write(path: string, text: string, mtime: number): void {
  mkdirSync(dirname(join(app, path)), { recursive: true });
  writeFileSync(join(app, path), text);
  utimesSync(join(app, path), mtime, mtime);
}

const said = (form: string) => `export async function main() { process.stdout.write('${form}\\n'); return 0; }\n`;
const T = 1_700_000_000; // seconds: the sources' time; the build is written after it
async function ran(): Promise<string> {
  const r = await runCli([], {}, join(app, 'bin/sqs-workbench.mjs'));
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

beforeEach(() => {
  app = tempDir('sqs-bin-');
  cpSync(join(ROOT, 'bin'), join(app, 'bin'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
  write('package.json', '{ "type": "module" }\n', T);
  write('src-main/hosts/cli/main.ts', said('sources'), T);
  write('src-main/engine/a.ts', 'export const a = 1;\n', T);
  // folders too: one changes when a file in it is added or removed
  for (const f of ['', ...readdirSync(join(app, 'src-main'), { recursive: true, encoding: 'utf8' })]) utimesSync(join(app, 'src-main', f), T, T);
  write('out/main/cli.js', said('compiled'), T + 60);
});

describe('bin/sqs-workbench.mjs', () => {
  it('runs the build when it is newer than every source', async () => {
    expect(await ran()).toBe('compiled');
  });

  it('runs the sources when one of them changed after the build', async () => {
    utimesSync(join(app, 'src-main/engine/a.ts'), T + 120, T + 120);
    expect(await ran()).toBe('sources');
  });

  it('runs the sources when a source was removed after the build', async () => {
    rmSync(join(app, 'src-main/engine/a.ts'));
    expect(await ran()).toBe('sources');
  });

  it('runs the sources when package.json changed after the build', async () => {
    utimesSync(join(app, 'package.json'), T + 120, T + 120);
    expect(await ran()).toBe('sources');
  });

  it('runs the sources when there is no build', async () => {
    rmSync(join(app, 'out'), { recursive: true });
    expect(await ran()).toBe('sources');
  });

  it('runs the build where there are no sources, as in the installed package', async () => {
    rmSync(join(app, 'src-main'), { recursive: true });
    utimesSync(join(app, 'package.json'), T + 120, T + 120);
    expect(await ran()).toBe('compiled');
  });
});
