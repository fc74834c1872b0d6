// A few epochs on the bundled digits prove that every gate learns; Fashion-MNIST from the CLI.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../src-main/engine/data/digits';
import { findFashionMnist } from '../../../src-main/engine/data/fashion';
import { DEFAULT_CONFIG, GATE_NAMES } from '../../../src-main/engine/train/config';
import { train } from '../../../src-main/engine/train/trainer';
import { runCli, tempDir } from '../../helpers/cli';

const FAST = { ...DEFAULT_CONFIG, d: 128, h: 128, batch: 256, lr: 3e-3, epochs: 5 };
// bilinear and SQS must be clearly above 90%; the others only need to show learning
const FLOOR: Record<string, number> = { bilinear: 0.92, sqs: 0.92 };

describe('learning on the bundled digits', () => {
  for (const gate of GATE_NAMES) {
    it(`${gate} learns`, async () => {
      const out = await train({ ...FAST, gate }, loadDigits());
      const first = out.metrics[0];
      const last = out.metrics.at(-1)!;
      expect(out.status).toBe('completed');
      expect(last.test_accuracy).toBeGreaterThanOrEqual(FLOOR[gate] ?? 0.85);
      expect(last.train_loss).toBeLessThan(first.train_loss);
    });
  }
});

describe('Fashion-MNIST', () => {
  const dir = findFashionMnist();
  const required = process.env.REQUIRE_FASHION === '1';
  if (!dir && !required) console.warn('Fashion-MNIST not found (apt-get install dataset-fashion-mnist): its CLI test is skipped');
  it.skipIf(!dir && !required)('every gate trains on it from the CLI', async () => {
    for (const gate of GATE_NAMES) {
      const out = join(tempDir(), gate);
      const r = await runCli(['train', '--dataset', 'fashion-mnist', '--gate', gate, '--d', '64', '--h', '64', '--batch', '1024', '--lr', '3e-3', '--epochs', '1', '--out', out, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.steps).toBe(Math.ceil(60000 / 1024));
      expect(result.test_accuracy, gate).toBeGreaterThan(0.7);
    }
  });
});
