// `export atlas` on a language model in a workspace, as a researcher types it: per layer and token
// the spectrum, truncation and top features' tokens and contexts as files in --out, or one HTML
// page; a classifier's --classes refused for it, and its --tokens refused for a classifier.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli';

const env = { SQS_CACHE_DIR: join(tempDir(), 'cache') };
const SMALL = ['--family', 'lm', '--vocab', '256', '--d-model', '32', '--heads', '2', '--d-hidden', '64', '--ctx', '32', '--batch', '4', '--steps', '20', '--eval-every', '10'];

describe('sqs-workbench export atlas <language model>', () => {
  const ws = tempDir();
  beforeAll(async () => {
    const r = await runCli(['train', ...SMALL, '--workspace', ws, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
  });

  it('writes per layer and token the spectrum, truncation and each top feature’s tokens and contexts', async () => {
    const out = join(tempDir(), 'svg');
    const r = await runCli(['export', 'atlas', '1', '--workspace', ws, '--format', 'svg', '--tokens', 'the', '--layers', '1', '--top-k', '2', '--out', out, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const names = ['spectrum', 'truncation', 'rank-1-tokens', 'rank-1-contexts', 'rank-2-tokens', 'rank-2-contexts'].map((f) => `layer-1-the-${f}.svg`);
    expect(readdirSync(out).sort()).toEqual(names.sort());
    expect(JSON.parse(r.stdout)).toMatchObject({ outDir: out, analyzed: false });
    const svg = readFileSync(join(out, 'layer-1-the-spectrum.svg'), 'utf8');
    expect(svg).toContain('spectrum of Q for ‘ the’, layer 1');
    expect(svg).toMatch(/&quot;weights_sha256&quot;:&quot;[0-9a-f]{64}&quot;/);
  });

  it('writes one HTML page with every layer for the default words the tokenizer has', async () => {
    const out = join(tempDir(), 'html');
    const r = await runCli(['export', 'atlas', '1', '--workspace', ws, '--format', 'html', '--top-k', '1', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`atlas written to ${out}:`);
    const html = readFileSync(join(out, 'atlas.html'), 'utf8');
    const sections = [...html.matchAll(/<section class="reading" id="([^"]+)"/g)].map((m) => m[1]);
    expect(sections).toContain('layer-0-the');
    expect(sections).toContain('layer-1-the');
  });

  it('refuses --classes for a language model and an unknown layer or token, in one line', async () => {
    const out = join(tempDir(), 'refused');
    const classes = await runCli(['export', 'atlas', '1', '--workspace', ws, '--format', 'svg', '--classes', '0', '--out', out], env);
    expect(classes.code).not.toBe(0);
    expect(classes.stderr).toContain('--classes: run 1 is a language model; choose --tokens and --layers');
    const layer = await runCli(['export', 'atlas', '1', '--workspace', ws, '--format', 'svg', '--layers', '5', '--out', out], env);
    expect(layer.code).not.toBe(0);
    expect(layer.stderr).toMatch(/layer 5/);
    const token = await runCli(['export', 'atlas', '1', '--workspace', ws, '--format', 'svg', '--tokens', 'zzqx', '--out', out], env);
    expect(token.code).not.toBe(0);
    expect(token.stderr).toMatch(/zzqx/);
    expect(() => readdirSync(out)).toThrow();
    const folder = await runCli(['export', 'atlas', join(ws, 'runs', '1'), '--format', 'svg', '--out', out], env);
    expect(folder.code).not.toBe(0);
    expect(folder.stderr).toContain(`holds a language model, whose atlas is exported by its run id in a workspace; 'sqs-workbench runs import ${join(ws, 'runs', '1')}' registers it`);
  });
});
