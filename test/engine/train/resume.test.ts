// A run stopped part-way and resumed from its last checkpoint ends with the same bytes as one
// that never stopped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src-main/engine/train/config';
import { resumeTraining, runTraining } from '../../../src-main/engine/train/run';
import { checkTrainConfig } from '../../../src-main/common/train-config';
import { tempDir } from '../../helpers/cli';

const CFG: TrainConfig = { ...DEFAULT_CONFIG, gate: 'sqs', d: 16, h: 24, batch: 700, epochs: 4, lr: 3e-3, warmup: 5 };

describe('resume', () => {
  it('continues from the last whole epoch to byte-identical weights and the same metrics', async () => {
    const root = tempDir();
    const straight = await runTraining(CFG, join(root, 'straight'));
    expect(straight.status).toBe('completed');

    // stop in the middle of epoch 2 (steps per epoch: ceil(8000 / 700) = 12)
    const abort = new AbortController();
    const stopped = await runTraining(CFG, join(root, 'stopped'), {
      signal: abort.signal,
      onEvent: (e) => e.type === 'step' && e.step === 17 && abort.abort(),
    });
    expect(stopped.status).toBe('interrupted');
    expect(stopped.steps).toBe(17);

    const resumed = await resumeTraining(join(root, 'stopped'), checkTrainConfig);
    expect(resumed.status).toBe('completed');
    expect(resumed.steps).toBe(straight.steps);
    const bytes = (name: string, file: string) => readFileSync(join(root, name, file));
    expect(bytes('stopped', 'weights.safetensors').equals(bytes('straight', 'weights.safetensors'))).toBe(true);
    expect(bytes('stopped', 'checkpoint.safetensors').equals(bytes('straight', 'checkpoint.safetensors'))).toBe(true);
    const metrics = (name: string) => readFileSync(join(root, name, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const strip = (ms: { seconds: number }[]) => ms.map(({ seconds: _s, ...rest }) => rest);
    expect(strip(metrics('stopped'))).toEqual(strip(metrics('straight')));
    expect('test_accuracy' in resumed && resumed.test_accuracy).toBe(straight.test_accuracy);
  });

  it('starts over when the run stopped before its first checkpoint', async () => {
    const root = tempDir();
    const abort = new AbortController();
    const stopped = await runTraining({ ...CFG, epochs: 2 }, join(root, 'early'), { signal: abort.signal, onEvent: (e) => e.type === 'step' && e.step === 3 && abort.abort() });
    expect(stopped.status).toBe('interrupted');
    const straight = await runTraining({ ...CFG, epochs: 2 }, join(root, 'straight'));
    await resumeTraining(join(root, 'early'), checkTrainConfig);
    expect(readFileSync(join(root, 'early', 'weights.safetensors')).equals(readFileSync(join(root, 'straight', 'weights.safetensors')))).toBe(true);
  });
});
