// `sqs-workbench train` end to end: the files a run leaves, its JSON result, and bad input.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../src-main/engine/data/digits';
import { readSafetensors } from '../../../src-main/engine/util/safetensors';
import { refForward, type RefParams } from '../../reference/glu-reference';
import { runCli, SMALL, tempDir } from '../../helpers/cli';

describe('sqs-workbench train', () => {
  it('leaves config, metrics, weights and an inference model that any ONNX Runtime can run', async () => {
    const out = join(tempDir(), 'run');
    const r = await runCli(['train', ...SMALL, '--gate', 'sqs', '--epochs', '2', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['run_dir', 'test_accuracy', 'test_loss', 'train_loss', 'epochs', 'steps', 'seconds', 'execution_provider']));
    expect(result).toMatchObject({ run_dir: out, epochs: 2, steps: 2 * Math.ceil(8000 / 512), execution_provider: 'cpu' });

    expect(readdirSync(out).sort()).toEqual(['checkpoint.safetensors', 'config.json', 'metrics.jsonl', 'model.onnx', 'run.json', 'weights.safetensors']);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ gate: 'sqs', d: 32, h: 32, batch: 512, epochs: 2, dataset: 'digits' });
    const metrics = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.map((m) => m.epoch)).toEqual([1, 2]);
    expect(metrics[1].test_accuracy).toBe(result.test_accuracy);

    const { tensors, metadata } = readSafetensors(join(out, 'weights.safetensors'));
    expect([...tensors.keys()]).toEqual(['embed', 'layers.0.w', 'layers.0.v', 'head']);
    expect(tensors.get('embed')!.shape).toEqual([32, 784]);
    expect(tensors.get('layers.0.w')!.shape).toEqual([32, 32]);
    expect(tensors.get('head')!.shape).toEqual([10, 32]);
    expect(metadata).toMatchObject({ gate: 'sqs', 'sqs.c': '0.01', 'sqs.lambda': '0.5', 'sqs.p': '1', d_in: '784', classes: '10' });

    // the exported model's logits equal an independent float64 forward pass over the saved weights
    const session = await ort.InferenceSession.create(join(out, 'model.onnx'));
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['logits']);
    const test = loadDigits().test;
    const n = 16;
    const x = test.x.slice(0, n * 784);
    const logits = (await session.run({ x: new ort.Tensor('float32', x, [n, 784]) })).logits;
    expect(logits.dims).toEqual([n, 10]);
    const f64 = (name: string) => Float64Array.from(tensors.get(name)!.data as Float32Array);
    const params: RefParams = { embed: f64('embed'), layers: [{ w: f64('layers.0.w'), v: f64('layers.0.v') }], head: f64('head') };
    const ref = refForward(params, { dIn: 784, d: 32, h: 32, classes: 10, layers: 1 }, { kind: 'sqs', c: 0.01, lambda: 0.5, p: 1 }, Float64Array.from(x), n).logits;
    const got = logits.data as Float32Array;
    for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i] - ref[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(ref[i])));
  });

  it('writes deeper models with per-layer output projections', async () => {
    const out = join(tempDir(), 'run');
    const r = await runCli(['train', ...SMALL, '--layers', '3', '--epochs', '1', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { tensors } = readSafetensors(join(out, 'weights.safetensors'));
    expect([...tensors.keys()]).toEqual([
      'embed',
      ...[0, 1, 2].flatMap((i) => [`layers.${i}.w`, `layers.${i}.v`, `layers.${i}.out`]),
      'head',
    ]);
    expect(tensors.get('layers.2.out')!.shape).toEqual([32, 32]);
    expect(tensors.get('head')!.shape).toEqual([10, 32]);
  });

  it('gives byte-identical weights for the same config and seed, and different ones for another seed', async () => {
    const dir = tempDir();
    const args = (name: string, seed: string) => ['train', ...SMALL, '--gate', 'geglu', '--epochs', '2', '--seed', seed, '--out', join(dir, name), '--json'];
    const [a, b, c] = await Promise.all([runCli(args('a', '7')), runCli(args('b', '7')), runCli(args('c', '8'))]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    const weights = (name: string) => readFileSync(join(dir, name, 'weights.safetensors'));
    expect(weights('a').equals(weights('b'))).toBe(true);
    expect(weights('a').equals(weights('c'))).toBe(false);
  });

  const BAD: [string, string[], RegExp][] = [
    ['unknown gate', ['--gate', 'tanh'], /--gate: 'tanh' is not one of bilinear, sqs/],
    ['unknown dataset', ['--dataset', 'cifar'], /--dataset: 'cifar'/],
    ['non-positive lr', ['--lr', '0'], /--lr: 0 is out of range/],
    ['non-positive batch', ['--batch', '0'], /--batch: 0 is out of range/],
    ['non-positive epochs', ['--epochs', '-1'], /--epochs: -1 is out of range/],
    ['p < 1', ['--sqs-p', '0.5'], /--sqs-p: 0.5 is out of range/],
    ['λ ≤ 0', ['--sqs-lambda', '0'], /--sqs-lambda: 0 is out of range/],
    ['c < 0', ['--sqs-c', '-0.1'], /--sqs-c: -0.1 is out of range/],
    ['negative noise', ['--noise', '-1'], /--noise: -1 is out of range/],
  ];
  for (const [what, args, message] of BAD) {
    it(`refuses ${what} with exit code 2, one line, and nothing written`, async () => {
      const out = join(tempDir(), 'run');
      const r = await runCli(['train', ...args, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('names the unavailable execution provider and the available ones', async () => {
    const out = join(tempDir(), 'run');
    const available = ort.listSupportedBackends().map((b) => b.name);
    const missing = available.includes('cuda') && !existsSync('/dev/nvidia0') ? 'cuda' : null;
    if (!missing) return void console.warn('skipped: this machine may have a GPU, so no provider is known to be missing');
    const r = await runCli(['train', ...SMALL, '--ep', missing, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/execution provider 'cuda' is not available here; available: cpu/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a run folder that already holds files', async () => {
    const out = tempDir();
    await runCli(['train', ...SMALL, '--epochs', '1', '--out', out]);
    const r = await runCli(['train', ...SMALL, '--epochs', '1', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists and is not empty/);
  });
});
