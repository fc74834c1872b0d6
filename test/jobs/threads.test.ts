// Runs trained side by side split the cores between them, and each run keeps the thread count it
// started with in its run.json: reductions split by it, so resuming with it gives the same bytes.
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createService } from '../../src-main/api/service';
import { checkTrainConfig } from '../../src-main/common/train-config';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src-main/engine/train/config';
import { resumeTraining, runTraining } from '../../src-main/engine/train/run';
import { threadsPerRun } from '../../src-main/jobs/scheduler';
import { tempDir } from '../helpers/cli';

const TINY: TrainConfig = { ...DEFAULT_CONFIG, d: 16, h: 16, batch: 2000, epochs: 2 };
const recordedThreads = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).threads;

describe('threads per run', () => {
  it('are the cores divided by the runs at once, at least one', () => {
    expect([1, 2, 3, 4, 16].map((n) => threadsPerRun(16, n))).toEqual([16, 8, 5, 4, 1]);
    expect(threadsPerRun(2, 2)).toBe(1);
    expect(threadsPerRun(2, 8)).toBe(1);
  });

  it('a sweep two at a time records each run with its share of the cores', async () => {
    const dir = tempDir();
    const service = createService({ workspaceDir: dir, concurrency: 2 });
    try {
      const { runIds } = await service.call('sweep.start', { base: { d: 16, h: 16, batch: 2000, epochs: 1 }, axes: [{ key: 'seed', values: [0, 1] }], concurrency: 2 });
      await service.idle();
      for (const id of runIds) {
        const detail = await service.call('runs.show', { id });
        expect(detail.run.status).toBe('completed');
        expect(detail.result?.threads).toBe(threadsPerRun(availableParallelism(), 2));
      }
    } finally {
      await service.close();
    }
  });

  it('a resumed run trains with the threads it started with, to the same bytes', async () => {
    const root = tempDir();
    await runTraining(TINY, join(root, 'straight'), { threads: 1 });
    const abort = new AbortController();
    await runTraining(TINY, join(root, 'stopped'), { threads: 1, signal: abort.signal, onEvent: (e) => e.type === 'step' && e.step === 6 && abort.abort() });
    expect(recordedThreads(join(root, 'stopped'))).toBe(1);
    await resumeTraining(join(root, 'stopped'), checkTrainConfig, { threads: 2 });
    expect(recordedThreads(join(root, 'stopped'))).toBe(1);
    const weights = (name: string) => readFileSync(join(root, name, 'weights.safetensors'));
    expect(weights('stopped').equals(weights('straight'))).toBe(true);
  });
});
