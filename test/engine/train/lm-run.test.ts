// A language-model run from a config to a complete run folder: the files it leaves, the same bytes
// from the same seed, byte-identical resume after a stop, model.onnx loadable by any ONNX Runtime,
// divergence keeping the last good weights, and each gate learning the shipped stories.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GATE_NAMES } from '../../../src-main/engine/nn/gates';
import { DEFAULT_LM_CONFIG, type LmConfig } from '../../../src-main/engine/train/lm-config';
import { resumeTraining, runTraining } from '../../../src-main/engine/train/run';
import { LmEvaluator } from '../../../src-main/engine/train/lm-step-session';
import { lmModelFor } from '../../../src-main/engine/train/lm-trainer';
import { loadLmRun } from '../../../src-main/engine/train/lm-generate';
import { generateText } from '../../../src-main/engine/train/lm-generate';
import { unigramEntropy } from '../../../src-main/engine/text/token-cache';
import { prepareText } from '../../../src-main/engine/train/lm-data';
import { checkTrainConfig } from '../../../src-main/common/train-config';
import { tempDir } from '../../helpers/cli';

const cacheDir = tempDir();
const TINY: LmConfig = { ...DEFAULT_LM_CONFIG, vocab: 256, d_model: 32, heads: 2, d_hidden: 64, ctx: 32, batch: 4, steps: 30, eval_every: 10, warmup: 5, lr: 3e-3 };
const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const strip = (ms: { seconds: number; tokens_per_s: number }[]) => ms.map(({ seconds: _s, tokens_per_s: _t, ...rest }) => rest);

describe('a language-model run', () => {
  it('leaves config, tokenizer, metrics, samples, weights, checkpoint, model.onnx and run.json', async () => {
    const dir = join(tempDir(), 'run');
    const r = await runTraining(TINY, dir, { cacheDir });
    expect(r).toMatchObject({ family: 'lm', status: 'completed', steps: 30, tokens: 30 * 4 * 32, execution_provider: 'cpu' });
    expect(readdirSync(dir).sort()).toEqual(['checkpoint.safetensors', 'config.json', 'metrics.jsonl', 'model.onnx', 'run.json', 'samples.jsonl', 'tokenizer.json', 'weights.safetensors']);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(checkTrainConfig(Object.fromEntries(Object.keys(TINY).map((k) => [k, config[k]])))).toEqual({ ok: true, value: TINY });
    expect(config.tokenizer_vocab).toBeLessThanOrEqual(256);
    const metrics = lines(join(dir, 'metrics.jsonl'));
    expect(metrics.map((m) => [m.epoch, m.step, m.tokens])).toEqual([[1, 10, 1280], [2, 20, 2560], [3, 30, 3840]]);
    for (const m of metrics) expect(m.val_ppl).toBeCloseTo(Math.exp(m.val_loss), 10);
    expect(lines(join(dir, 'samples.jsonl')).map((s) => [s.step, s.prompt])).toEqual([[10, 'once upon a time'], [20, 'once upon a time'], [30, 'once upon a time']]);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))).toMatchObject({ status: 'completed', steps: 30, tokens: 3840, test_loss: metrics[2].val_loss, val_ppl: metrics[2].val_ppl, test_accuracy: null });
  });

  it('writes a model.onnx whose logits equal the training graph forward', async () => {
    const dir = join(tempDir(), 'run');
    await runTraining({ ...TINY, steps: 10 }, dir, { cacheDir });
    const run = loadLmRun(dir, TINY);
    const ids = BigInt64Array.from({ length: 2 * TINY.ctx }, (_, i) => BigInt((i * 7) % 200));
    const session = await ort.InferenceSession.create(readFileSync(join(dir, 'model.onnx')));
    expect(session.inputNames).toEqual(['input_ids']);
    const out = (await session.run({ input_ids: new ort.Tensor('int64', ids, [2, TINY.ctx]) })).logits;
    expect(out.dims).toEqual([2, TINY.ctx, TINY.vocab]);
    const { gate, dims, specs } = lmModelFor(TINY);
    const evaluator = await LmEvaluator.create(gate, dims, specs, { ep: 'cpu' });
    const expected = await evaluator.logits(run.params, ids, 2);
    await evaluator.release();
    const got = out.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - expected[i]));
    expect(worst).toBeLessThan(1e-5);
  });

  it('gives the same bytes from the same seed, and other bytes from another', async () => {
    const root = tempDir();
    await runTraining({ ...TINY, steps: 12 }, join(root, 'a'), { cacheDir });
    await runTraining({ ...TINY, steps: 12 }, join(root, 'b'), { cacheDir });
    await runTraining({ ...TINY, steps: 12, seed: 1 }, join(root, 'c'), { cacheDir });
    const w = (n: string) => readFileSync(join(root, n, 'weights.safetensors'));
    expect(w('a').equals(w('b'))).toBe(true);
    expect(w('a').equals(w('c'))).toBe(false);
  });

  it('resumes after a stop between evaluations to the bytes, metrics and samples of a run that never stopped', async () => {
    const root = tempDir();
    await runTraining(TINY, join(root, 'straight'), { cacheDir });
    const abort = new AbortController();
    const stopped = await runTraining(TINY, join(root, 'stopped'), { cacheDir, signal: abort.signal, onEvent: (e) => e.type === 'step' && e.step === 17 && abort.abort() });
    expect(stopped.status).toBe('interrupted');
    expect(stopped.steps).toBe(17);
    // the stop is evaluated (its weights kept and reported), but the checkpoint stays at step 10
    expect(lines(join(root, 'stopped', 'metrics.jsonl')).map((m) => m.step)).toEqual([10, 17]);
    const resumed = await resumeTraining(join(root, 'stopped'), checkTrainConfig, { cacheDir });
    expect(resumed).toMatchObject({ status: 'completed', steps: 30 });
    const bytes = (name: string, file: string) => readFileSync(join(root, name, file));
    for (const f of ['weights.safetensors', 'checkpoint.safetensors', 'model.onnx']) expect(bytes('stopped', f).equals(bytes('straight', f)), f).toBe(true);
    expect(strip(lines(join(root, 'stopped', 'metrics.jsonl')))).toEqual(strip(lines(join(root, 'straight', 'metrics.jsonl'))));
    expect(lines(join(root, 'stopped', 'samples.jsonl'))).toEqual(lines(join(root, 'straight', 'samples.jsonl')));
  });

  it('stops at the step whose loss is not finite and keeps the last good weights', async () => {
    const dir = join(tempDir(), 'run');
    const r = await runTraining({ ...TINY, lr: 1e30, warmup: 0, clip: 1e30 }, dir, { cacheDir });
    expect(r.status).toBe('diverged');
    expect(r.diverged_at_step).toBeGreaterThanOrEqual(1);
    const run = loadLmRun(dir, TINY); // refuses non-finite weights
    expect(run.params.size).toBeGreaterThan(0);
  });

  it('samples text from its weights, the same text from the same seed', async () => {
    const dir = join(tempDir(), 'run');
    await runTraining({ ...TINY, steps: 10 }, dir, { cacheDir });
    const o = { maxTokens: 12, temperature: 1, topK: 0, seed: 3 };
    const a = await generateText(dir, TINY, 'Once upon a time', o);
    expect(a.prompt).toBe('once upon a time');
    expect(a.tokens).toBeGreaterThan(0);
    expect(await generateText(dir, TINY, 'Once upon a time', o)).toEqual(a);
  });
});

describe('learning the shipped stories', () => {
  // a few seconds a gate: validation loss must fall far below what the token frequencies alone give
  it.each(GATE_NAMES)('%s brings validation loss well below the corpus unigram entropy', async (gate) => {
    const cfg: LmConfig = { ...DEFAULT_LM_CONFIG, gate, vocab: 512, d_model: 64, heads: 2, d_hidden: 128, ctx: 64, batch: 8, steps: 150, eval_every: 150, warmup: 15, lr: 3e-3 };
    const text = await prepareText(cfg, cacheDir);
    const entropy = unigramEntropy(text.valid, cfg.vocab);
    const r = await runTraining(cfg, join(tempDir(), gate), { cacheDir });
    expect(r.status).toBe('completed');
    expect('val_loss' in r && r.val_loss).toBeLessThan(0.5 * entropy);
  });
});
