// `sqs-workbench analyze` on a language-model run, as a researcher types it: a folder or a
// workspace run id, the JSON it prints, the two files it leaves, refusals in one line, and a saved
// analysis refused once the weights have changed under it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLmFolderAnalysis } from '../../../src-main/api/lm-run-folders';
import { readSafetensors, writeSafetensorsAtomic } from '../../../src-main/engine/util/safetensors';
import { runCli, tempDir } from '../../helpers/cli';

const env = { SQS_CACHE_DIR: join(tempDir(), 'cache') };
const SMALL = ['--family', 'lm', '--vocab', '256', '--d-model', '32', '--heads', '2', '--d-hidden', '64', '--ctx', '32', '--batch', '4', '--steps', '20', '--eval-every', '10'];

describe('sqs-workbench analyze on a language model', () => {
  const out = join(tempDir(), 'story');
  beforeAll(async () => {
    const r = await runCli(['train', ...SMALL, '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('prints per layer and token the top-k eigenvalues, faithfulness and top tokens, and writes lm-spectra.safetensors and lm-summary.json', async () => {
    const r = await runCli(['analyze', out, '--tokens', 'the, he-she', '--top-k', '4', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).sort()).toEqual(['layers', 'run_dir']);
    expect(report.run_dir).toBe(out);
    expect(report.layers.map((l: { layer: number }) => l.layer)).toEqual([0, 1]);
    for (const l of report.layers) {
      expect(l.tokens.map((t: { token: string }) => t.token)).toEqual(['▁the', 'he-she']);
      const [the] = l.tokens;
      expect(Object.keys(the).sort()).toEqual(['eigenvalues', 'faithfulness', 'id', 'token', 'top_tokens']);
      expect(the.eigenvalues).toHaveLength(4);
      const mags = the.eigenvalues.map(Math.abs);
      expect(mags).toEqual([...mags].sort((a: number, b: number) => b - a));
      expect(the.faithfulness.relative_error).toBeLessThan(1e-4); // bilinear: exact
      expect(the.top_tokens.length).toBeGreaterThan(0);
      for (const t of the.top_tokens) expect(t.projection).toBeGreaterThan(0);
    }
    const spectra = readSafetensors(join(out, 'analysis', 'lm-spectra.safetensors'));
    const id = report.layers[0].tokens[0].id;
    expect(spectra.tensors.get(`layer.1.token.${id}.eigenvalues`)!.shape).toEqual([32]);
    expect(spectra.tensors.get(`layer.1.token.${id}.eigenvectors`)!.shape).toEqual([4, 32]);
    const summary = JSON.parse(readFileSync(join(out, 'analysis', 'lm-summary.json'), 'utf8'));
    expect(summary).toMatchObject({ format: 'sqs-workbench.lm-analysis.v1', gate: 'bilinear', exact: true, d_model: 32, top_k: 4, tokens_from: 'given' });
    expect(summary.weights_sha256).toBe(spectra.metadata.weights_sha256);
  });

  it('reads one layer for the most frequent word tokens when no tokens are named, and says so in words', async () => {
    const r = await runCli(['analyze', out, '--layer', '1', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.layers.map((l: { layer: number }) => l.layer)).toEqual([1]);
    expect(report.layers[0].tokens).toHaveLength(8);
    for (const t of report.layers[0].tokens) expect(t.token.startsWith('▁')).toBe(true);
    const plain = await runCli(['analyze', out, '--layer', '0', '--tokens', 'the'], env);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('bilinear language model, d_model 32');
    expect(plain.stdout).toContain('layer 0');
  });

  it('refuses a layer out of range, a token of several pieces and --masks in one line, writing nothing', async () => {
    const layer = await runCli(['analyze', out, '--layer', '5'], env);
    expect(layer.code).not.toBe(0);
    expect(layer.stderr).toContain('layer 5: the model has 2 layers, 0–1');
    const pieces = await runCli(['analyze', out, '--tokens', 'zebrafish'], env);
    expect(pieces.code).not.toBe(0);
    expect(pieces.stderr).toMatch(/'zebrafish' is \d+ tokens with this run's tokenizer \(.*\), not one/);
    const masks = await runCli(['analyze', out, '--masks', '2'], env);
    expect(masks.code).not.toBe(0);
    expect(masks.stderr).toContain('--masks is for classifiers');
  });

  it('refuses a saved analysis once the weights have changed', async () => {
    const dir = join(tempDir(), 'stale');
    expect((await runCli(['train', ...SMALL, '--out', dir], env)).code).toBe(0);
    expect((await runCli(['analyze', dir, '--tokens', 'the', '--layer', '0'], env)).code).toBe(0);
    expect((await readLmFolderAnalysis(dir)).layers[0].tokens[0].token).toBe('▁the');
    const weights = join(dir, 'weights.safetensors');
    const st = readSafetensors(weights);
    const tensors = [...st.tensors].map(([name, t]) => ({ name, shape: t.shape, data: Float32Array.from(t.data as Float32Array) }));
    tensors[0].data[0] += 0.5;
    writeSafetensorsAtomic(weights, tensors, st.metadata);
    await expect(readLmFolderAnalysis(dir)).rejects.toThrow(/the analysis is older than the weights .*; analyse the run again/);
    expect(existsSync(join(dir, 'analysis', 'lm-summary.json'))).toBe(true);
  });

  it('analyses a workspace run by its id', async () => {
    const ws = tempDir();
    expect((await runCli(['train', ...SMALL, '--gate', 'sqs', '--workspace', ws], env)).code).toBe(0);
    const r = await runCli(['analyze', '1', '--workspace', ws, '--tokens', 'the', '--top-k', '2', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.run_dir).toBe(join(ws, 'runs', '1'));
    const t = report.layers[0].tokens[0];
    expect(t.faithfulness.correlation).toBeGreaterThan(0);
    expect(t.faithfulness.relative_error).toBeGreaterThan(1e-4); // SQS: a first-order reading
  });
});
