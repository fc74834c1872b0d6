// How a run ends when it cannot complete: interrupted, diverged, or refused for bad data.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../src-main/engine/util/safetensors';
import { idxLabelsBytes, writeIdx, writeIdxFolder } from '../../engine/data/idx-fixtures';
import { runCli, SMALL, startCli, tempDir } from '../../helpers/cli';

const status = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

describe('runs that stop early', () => {
  it('SIGINT stops at a step boundary, keeps what was trained and exits with 130', async () => {
    const out = join(tempDir(), 'run');
    const { child, done } = startCli(['train', '--d', '32', '--h', '32', '--batch', '256', '--epochs', '50', '--out', out]);
    // wait for the first finished epoch (one line per epoch when stderr is not a terminal)
    const started = await Promise.race([
      new Promise<boolean>((res) => child.stderr!.on('data', (d) => String(d).includes('epoch 1/50') && res(true))),
      done.then(() => false),
    ]);
    expect(started, (await Promise.race([done, Promise.resolve(null)]))?.stderr).toBe(true);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/interrupted after \d+ steps/);
    const s = status(out);
    expect(s.status).toBe('interrupted');
    expect(s.epochs_completed).toBeGreaterThanOrEqual(1);
    expect(s.steps).toBeGreaterThanOrEqual(Math.ceil(8000 / 256));
    expect(s.steps).toBeLessThan(50 * Math.ceil(8000 / 256));
    expect(readSafetensors(join(out, 'weights.safetensors')).tensors.size).toBe(4);
    expect(existsSync(join(out, 'model.onnx'))).toBe(true);
  });

  it('a loss that stops being finite ends the run as diverged with the last good weights', async () => {
    const out = join(tempDir(), 'run');
    const r = await runCli(['train', ...SMALL, '--lr', '1e6', '--wd', '0', '--epochs', '3', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/training diverged at step \d+/);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('diverged');
    const s = status(out);
    expect(s.status).toBe('diverged');
    expect(s.diverged_at_step).toBe(result.diverged_at_step);
    expect(s.steps).toBe(s.diverged_at_step - 1);
    for (const t of readSafetensors(join(out, 'weights.safetensors')).tensors.values()) {
      expect((t.data as Float32Array).every(Number.isFinite)).toBe(true);
    }
  });

  it('trains on any folder of IDX files, gzipped or not', async () => {
    for (const gzip of [false, true]) {
      const fx = writeIdxFolder({ gzip, trainN: 40, testN: 10 });
      const out = join(tempDir(), 'run');
      const r = await runCli(['train', '--dataset', `idx:${fx.dir}`, '--d', '8', '--h', '8', '--batch', '16', '--epochs', '2', '--out', out, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(readSafetensors(join(out, 'weights.safetensors')).tensors.get('embed')!.shape).toEqual([8, 16]);
    }
  });

  it('refuses defective IDX files with the file and the defect named, leaving no run folder', async () => {
    const fx = writeIdxFolder();
    const labels = join(fx.dir, 'train-labels-idx1-ubyte');
    writeIdx(labels, idxLabelsBytes(Uint8Array.from({ length: 12 }, (_, i) => (i === 3 ? 11 : 1))));
    const out = join(tempDir(), 'run');
    const r = await runCli(['train', '--dataset', `idx:${fx.dir}`, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(labels);
    expect(r.stderr).toMatch(/out of range/);
    expect(existsSync(out)).toBe(false);

    // a truncated test-images file with the wrong magic number
    const fx2 = writeIdxFolder();
    writeFileSync(join(fx2.dir, 't10k-images-idx3-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 5]));
    const r2 = await runCli(['train', '--dataset', `idx:${fx2.dir}`, '--out', out]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(join(fx2.dir, 't10k-images-idx3-ubyte'));
    expect(r2.stderr).toMatch(/magic/);
    expect(existsSync(out)).toBe(false);
  });
});
