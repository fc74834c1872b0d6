// The step loop takes its batches from a thread that prepares them ahead, and writes its files
// beside the steps: none of that may change a single byte of what a run produces.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTrainConfig } from '../../../src-main/common/train-config';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src-main/engine/train/config';
import { resumeTraining, runTraining } from '../../../src-main/engine/train/run';
import { tempDir } from '../../helpers/cli';

const CFG: TrainConfig = { ...DEFAULT_CONFIG, gate: 'swiglu', d: 16, h: 16, batch: 1500, epochs: 3, lr: 3e-3, noise: 1.0 };
const FILES = ['weights.safetensors', 'checkpoint.safetensors', 'model.onnx'];
const bytes = (dir: string, file: string) => readFileSync(join(dir, file));
const metricsOf = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { seconds: _s, ...rest } = JSON.parse(l);
      return rest;
    });

describe('the training pipeline', () => {
  it('gives byte-identical runs for the same config and thread count', async () => {
    const root = tempDir();
    await runTraining(CFG, join(root, 'a'), { threads: 2 });
    await runTraining(CFG, join(root, 'b'), { threads: 2 });
    for (const f of FILES) expect(bytes(join(root, 'a'), f).equals(bytes(join(root, 'b'), f)), f).toBe(true);
    expect(metricsOf(join(root, 'b'))).toEqual(metricsOf(join(root, 'a')));
  });

  it('resumes byte-identically from a stop at each point of an epoch', async () => {
    const root = tempDir();
    await runTraining(CFG, join(root, 'straight'), { threads: 2 });
    // steps per epoch: ceil(8000 / 1500) = 6; stop on the first step, mid-epoch, on the smaller
    // last batch, and as an epoch's evaluation is reported (before its files are written)
    const stops: { name: string; at: (e: { type: string; step?: number; record?: { epoch: number } }) => boolean }[] = [
      { name: 'first-step', at: (e) => e.type === 'step' && e.step === 1 },
      { name: 'mid-epoch', at: (e) => e.type === 'step' && e.step === 9 },
      { name: 'last-batch', at: (e) => e.type === 'step' && e.step === 12 },
      { name: 'evaluation', at: (e) => e.type === 'epoch' && e.record?.epoch === 2 },
    ];
    for (const stop of stops) {
      const dir = join(root, stop.name);
      const abort = new AbortController();
      const stopped = await runTraining(CFG, dir, { threads: 2, signal: abort.signal, onEvent: (e) => stop.at(e) && abort.abort() });
      expect(stopped.status, stop.name).toBe('interrupted');
      const resumed = await resumeTraining(dir, checkTrainConfig, { threads: 2 });
      expect(resumed.status, stop.name).toBe('completed');
      for (const f of FILES) expect(bytes(dir, f).equals(bytes(join(root, 'straight'), f)), `${stop.name}: ${f}`).toBe(true);
      expect(metricsOf(dir), stop.name).toEqual(metricsOf(join(root, 'straight')));
    }
  });
});
