// `sqs-workbench reproduce`: every gate and seed trained, analysed and summarised in one call.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli';

describe('sqs-workbench reproduce', () => {
  it('trains each gate for each seed, analyses the runs and reports one table as JSON', async () => {
    const out = join(tempDir(), 'rep');
    const r = await runCli(['reproduce', 'digits', '--seeds', '2', '--gates', 'bilinear,sqs', '--d', '16', '--h', '16', '--batch', '1024', '--epochs', '1', '--lr', '3e-3', '--top-k', '4', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.config).toMatchObject({ d: 16, h: 16, batch: 1024, epochs: 1, lr: 3e-3, wd: 0.1, noise: 1.0 });
    expect(result.gates.map((g: { gate: string }) => g.gate)).toEqual(['bilinear', 'sqs']);
    for (const g of result.gates) {
      expect(g.runs).toBe(2);
      expect(g.test_accuracy.mean).toBeGreaterThan(0.1);
      expect(g.test_accuracy.std).toBeGreaterThanOrEqual(0);
      expect(g.effective_rank.mean).toBeGreaterThan(1);
      for (const dir of g.run_dirs) expect(existsSync(join(dir, 'analysis', 'summary.json'))).toBe(true);
    }
    expect(result.sqs_vs_bilinear.by_rank).toHaveLength(4);
    for (const v of result.sqs_vs_bilinear.by_assignment) expect(v).toBeGreaterThanOrEqual(0);
    expect(existsSync(join(out, 'sqs-s1', 'weights.safetensors'))).toBe(true);
  });

  it('refuses --gate and unknown gates with a usage error', async () => {
    expect((await runCli(['reproduce', 'digits', '--gate', 'sqs'])).code).toBe(2);
    const r = await runCli(['reproduce', 'digits', '--gates', 'bilinear,tanh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--gates: 'tanh' is not one of/);
  });
});
