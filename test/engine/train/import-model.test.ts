// A model trained elsewhere comes in under the other codebase's tensor names and layouts (fused
// W;V, einsum [in, out] matrices): exported from one of our runs by hand in those layouts and
// imported again, it is the same model, with the same test accuracy and the same analysis.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFolder, importModelFolder } from '../../../src-main/api/run-folders';
import { ApiError } from '../../../src-main/common/contract';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src-main/engine/train/config';
import { runTraining, type RunResult } from '../../../src-main/engine/train/run';
import { loadRun } from '../../../src-main/engine/train/run-reader';
import { writeSafetensorsAtomic, type NamedTensor } from '../../../src-main/engine/util/safetensors';
import { tempDir } from '../../helpers/cli';

const CFG: TrainConfig = { ...DEFAULT_CONFIG, gate: 'sqs', d: 12, h: 10, epochs: 1, batch: 1000, lr: 3e-3 };

function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

let root: string;
let ours: RunResult;
beforeAll(async () => {
  root = tempDir();
  ours = await runTraining(CFG, join(root, 'ours'));
}, 120_000);

describe('import-model', () => {
  it("round trip through the einsum layout ([in, out], W_E … W_U): same weights, accuracy and analysis", async () => {
    const { params } = loadRun(ours.run_dir);
    const p = (n: string) => params.get(n)!;
    const file = join(root, 'einsum.safetensors');
    const tensors: NamedTensor[] = [
      { name: 'W_E', shape: [784, 12], data: transpose(p('embed'), 12, 784) },
      { name: 'blocks.0.mlp.W_gate', shape: [12, 10], data: transpose(p('layers.0.w'), 10, 12) },
      { name: 'blocks.0.mlp.W_in', shape: [12, 10], data: transpose(p('layers.0.v'), 10, 12) },
      { name: 'W_U', shape: [10, 10], data: transpose(p('head'), 10, 10) },
    ];
    writeSafetensorsAtomic(file, tensors);
    const imported = await importModelFolder({ weights: file, map: 'einsum-glu', config: { gate: 'sqs', dataset: 'digits' }, outDir: join(root, 'einsum-run') });
    expect(imported.config).toMatchObject({ d: 12, h: 10, layers: 1, gate: 'sqs', sqs: CFG.sqs });
    expect(imported.test_accuracy).toBe(ours.test_accuracy);
    const back = loadRun(imported.run_dir).params;
    for (const [name, data] of params) expect(Array.from(back.get(name)!)).toEqual(Array.from(data));

    const a = await analyzeFolder(ours.run_dir, { topK: 6 });
    const b = await analyzeFolder(imported.run_dir, { topK: 6 });
    expect(b.per_class.map((c) => c.top_eigenvalues)).toEqual(a.per_class.map((c) => c.top_eigenvalues));
    expect(b.per_class.map((c) => c.effective_rank)).toEqual(a.per_class.map((c) => c.effective_rank));
    expect(b.faithfulness).toEqual(a.faithfulness);
  }, 120_000);

  it('round trip through the fused layout (nn.Linear, W over V in one tensor)', async () => {
    const { params } = loadRun(ours.run_dir);
    const fused = new Float32Array(2 * 10 * 12);
    fused.set(params.get('layers.0.w')!, 0);
    fused.set(params.get('layers.0.v')!, 10 * 12);
    const file = join(root, 'fused.safetensors');
    writeSafetensorsAtomic(file, [
      { name: 'embed.weight', shape: [12, 784], data: params.get('embed')! },
      { name: 'blocks.0.weight', shape: [20, 12], data: fused },
      { name: 'head.weight', shape: [10, 10], data: params.get('head')! },
    ]);
    const imported = await importModelFolder({ weights: file, map: 'bilinear-mlps', config: { gate: 'sqs' }, outDir: join(root, 'fused-run') });
    expect(imported.test_accuracy).toBe(ours.test_accuracy);
    const back = loadRun(imported.run_dir).params;
    for (const [name, data] of params) expect(Array.from(back.get(name)!)).toEqual(Array.from(data));
  }, 60_000);

  it('refuses a file that does not fit, naming every missing and unexpected tensor and shape mismatch', async () => {
    const file = join(root, 'bad.safetensors');
    writeSafetensorsAtomic(file, [
      { name: 'embed.weight', shape: [12, 784], data: new Float32Array(12 * 784) },
      { name: 'blocks.0.weight', shape: [20, 12], data: new Float32Array(240) },
      { name: 'head.weight', shape: [10, 7], data: new Float32Array(70) },
      { name: 'norm.weight', shape: [12], data: new Float32Array(12) },
    ]);
    const err = await importModelFolder({ weights: file, map: 'bilinear-mlps', config: {}, outDir: join(root, 'bad-run') }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('bad_request');
    expect(err.message).toContain('unexpected: norm.weight [12]');
    expect(err.message).toContain('shape mismatches: head.weight is [10, 7] but head needs [10, 10]');

    const none = join(root, 'other.safetensors');
    writeSafetensorsAtomic(none, [{ name: 'fc1.weight', shape: [12, 784], data: new Float32Array(12 * 784) }]);
    const err2 = await importModelFolder({ weights: none, map: 'einsum-glu', config: {}, outDir: join(root, 'none-run') }).catch((e) => e);
    expect(err2.message).toMatch(/does not fit mapping 'einsum-glu'.*the file holds fc1\.weight \[12, 784\]/);
  });
});
