// The command line on runs of the workspace, through the api service: a run is named by its id or
// its folder alike, Ctrl-C and SIGTERM leave a resumable run, and the analysis the CLI makes is
// recorded in the workspace.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, SMALL, startCli, tempDir } from '../../helpers/cli';

describe('workspace runs by id or by folder', () => {
  let ws: string;
  let folder: string;
  beforeAll(async () => {
    ws = tempDir();
    for (const gate of ['bilinear', 'sqs']) {
      const r = await runCli(['train', '--workspace', ws, '--gate', gate, ...SMALL, '--epochs', '2', '--json']);
      expect(r.code, r.stderr).toBe(0);
    }
    folder = join(tempDir(), 'standalone');
    const r = await runCli(['train', '--out', folder, ...SMALL, '--epochs', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('analyze <id> analyses the workspace run and records it; runs show reports it', async () => {
    const r = await runCli(['analyze', '1', '--top-k', '4', '--workspace', ws, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ gate: 'bilinear', top_k: 4, run_dir: join(ws, 'runs', '1') });
    expect(existsSync(join(ws, 'runs', '1', 'analysis', 'summary.json'))).toBe(true);
    const text = (await runCli(['runs', 'show', '1', '--workspace', ws])).stdout;
    expect(text).toMatch(/\n  checkpoint\.safetensors\s{2,}checkpoint, \d+ bytes\n/); // the longest name keeps a gap
    expect(text).toMatch(/\nanalysis \(spectra, /);
    const shown = JSON.parse((await runCli(['runs', 'show', '1', '--workspace', ws, '--json'])).stdout);
    expect(shown.analysis.summary).toMatchObject({ gate: 'bilinear', model_accuracy: summary.model_accuracy });
  });

  it('compare-features takes ids, folders, or one of each, with the same answer', async () => {
    const byIds = await runCli(['compare-features', '1', '2', '--top-k', '4', '--workspace', ws, '--json']);
    expect(byIds.code, byIds.stderr).toBe(0);
    const byFolders = await runCli(['compare-features', join(ws, 'runs', '1'), join(ws, 'runs', '2'), '--top-k', '4', '--json']);
    expect(JSON.parse(byFolders.stdout)).toEqual(JSON.parse(byIds.stdout));
    const mixed = await runCli(['compare-features', '1', folder, '--top-k', '4', '--workspace', ws, '--json']);
    expect(mixed.code, mixed.stderr).toBe(0);
    const m = JSON.parse(mixed.stdout);
    expect(m).toMatchObject({ run_a: join(ws, 'runs', '1'), run_b: folder, top_k: 4 });
    expect(m.mean.by_rank).toHaveLength(4);
  });

  it('export atlas <id> analyses a run that has none, then writes the atlas', async () => {
    const out = join(tempDir(), 'atlas');
    const r = await runCli(['export', 'atlas', '2', '--format', 'svg', '--top-k', '2', '--classes', '0,1', '--out', out, '--workspace', ws]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/analysed the run first/);
    expect(readdirSync(out).sort()).toEqual(['class-0-negative.svg', 'class-0-positive.svg', 'class-1-negative.svg', 'class-1-positive.svg', 'spectrum-0.svg', 'spectrum-1.svg', 'truncation.svg']);
  });

  it('runs import copies a folder trained with --out into the workspace as a new run', async () => {
    const r = await runCli(['runs', 'import', folder, '--tag', 'elsewhere', '--workspace', ws, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { run_id } = JSON.parse(r.stdout);
    expect(run_id).toBe(3);
    const shown = JSON.parse((await runCli(['runs', 'show', String(run_id), '--workspace', ws, '--json'])).stdout);
    expect(shown.run).toMatchObject({ status: 'completed', gate: 'bilinear', epochs_done: 2, dataset_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(shown.tags).toEqual(['elsewhere']);
    expect(shown.metrics).toContainEqual({ name: 'test_accuracy', points: 2 });
    expect(shown.artifacts.map((a: { kind: string }) => a.kind).sort()).toEqual(['checkpoint', 'config', 'metrics', 'model', 'status', 'weights']);
    expect(existsSync(join(folder, 'weights.safetensors'))).toBe(true); // the original stays
    const again = await runCli(['runs', 'import', join(ws, 'runs', '1'), '--workspace', ws]);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringMatching(/runs\/1 is already run 1 of this workspace/) });
    const notARun = await runCli(['runs', 'import', tempDir(), '--workspace', ws]);
    expect(notARun).toMatchObject({ code: 2, stderr: expect.stringMatching(/config\.json: missing/) });
    expect(JSON.parse((await runCli(['runs', 'list', '--workspace', ws, '--json'])).stdout).total).toBe(3);
  });

  it('names a run id that is not in the workspace, and a workspace that is not there', async () => {
    const r = await runCli(['analyze', '9', '--workspace', ws]);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringMatching(/^run 9 does not exist in /) });
    const none = await runCli(['compare-features', '1', '2', '--workspace', tempDir()]);
    expect(none).toMatchObject({ code: 1, stderr: expect.stringMatching(/^no workspace at .* \(no workspace\.db there\)/) });
  });
});

describe('stopping a workspace run', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} ends the run interrupted, exit 130, and resume finishes it`, async () => {
      const ws = tempDir();
      const { child, done } = startCli(['train', '--workspace', ws, '--d', '32', '--h', '32', '--batch', '256', '--epochs', '30']);
      const started = await Promise.race([
        new Promise<boolean>((res) => child.stderr!.on('data', (d) => String(d).includes('epoch 1/30') && res(true))),
        done.then(() => false),
      ]);
      expect(started).toBe(true);
      child.kill(signal);
      const r = await done;
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toMatch(/interrupted after \d+ steps; .* \(sqs-workbench resume 1 continues it\)/);
      const shown = JSON.parse((await runCli(['runs', 'show', '1', '--workspace', ws, '--json'])).stdout);
      expect(shown.run.status).toBe('interrupted');
      expect(shown.result).toMatchObject({ status: 'interrupted' });
      if (signal === 'SIGTERM') {
        const resumed = await runCli(['resume', '1', '--workspace', ws, '--json']);
        expect(resumed.code, resumed.stderr).toBe(0);
        expect(JSON.parse(resumed.stdout).runs).toMatchObject([{ run_id: 1, status: 'completed' }]);
      }
    });
  }
});
