// The language model's definition: dimension checks, parameter names and shapes, seeded
// initialisation, causality, and the exported inference model against the float64 reference
// and the training step's own loss.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { checkLmDims, initLmParams, lmParamSpecs } from '../../../src-main/engine/nn/lm';
import { makeGate } from '../../../src-main/engine/nn/gates';
import { buildLmInference } from '../../../src-main/engine/train/lm-graphs';
import { LmEvaluator, LmStepSession } from '../../../src-main/engine/train/lm-step-session';
import { zeroMoments } from '../../../src-main/engine/train/step-session';
import { refLmLossAndGrads } from '../../reference/lm-reference';
import { BATCH, sequences, spreadParams, TINY } from '../../helpers/lm-fixtures';

const SQS = { c: 0.01, lambda: 0.5, p: 1 };

describe('dimensions and parameters', () => {
  it('refuse d_model not divisible by heads, and an odd head width, in one line', () => {
    expect(() => checkLmDims({ ...TINY, dModel: 9 })).toThrow(/^d_model 9 is not divisible by 2 heads$/);
    expect(() => checkLmDims({ ...TINY, dModel: 6, heads: 2 })).toThrow(/head width 3 .* must be even/);
    expect(() => checkLmDims({ ...TINY, layers: 0 })).toThrow(/layers must be a positive integer/);
  });

  it('follow the Llama names and [out, in] shapes; the baseline has no up projection', () => {
    const specs = lmParamSpecs({ ...TINY, layers: 1 }, makeGate('swiglu', { sqs: SQS }));
    expect(specs.map((s) => `${s.name} [${s.shape}]`)).toEqual([
      'model.embed_tokens.weight [11,8]',
      'model.layers.0.input_layernorm.weight [8]',
      'model.layers.0.self_attn.q_proj.weight [8,8]',
      'model.layers.0.self_attn.k_proj.weight [8,8]',
      'model.layers.0.self_attn.v_proj.weight [8,8]',
      'model.layers.0.self_attn.o_proj.weight [8,8]',
      'model.layers.0.post_attention_layernorm.weight [8]',
      'model.layers.0.mlp.gate_proj.weight [12,8]',
      'model.layers.0.mlp.up_proj.weight [12,8]',
      'model.layers.0.mlp.down_proj.weight [8,12]',
      'model.norm.weight [8]',
      'lm_head.weight [11,8]',
    ]);
    const relu = lmParamSpecs(TINY, makeGate('relu-mlp', { sqs: SQS })).map((s) => s.name);
    expect(relu.some((n) => n.includes('up_proj'))).toBe(false);
  });

  it('initialise gains to 1, matrices N(0, 0.02²), residual projections scaled by 1/√(2·layers), by seed', () => {
    const dims = { ...TINY, dModel: 64, heads: 4, dHidden: 128, vocab: 50 };
    const specs = lmParamSpecs(dims, makeGate('bilinear', { sqs: SQS }));
    const p = initLmParams(specs, dims, 9);
    const std = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    expect([...p.get('model.norm.weight')!].every((v) => v === 1)).toBe(true);
    expect(std(p.get('model.layers.0.mlp.up_proj.weight')!)).toBeCloseTo(0.02, 3);
    expect(std(p.get('model.layers.1.mlp.down_proj.weight')!)).toBeCloseTo(0.02 / 2, 3);
    expect(std(p.get('model.layers.0.self_attn.o_proj.weight')!)).toBeCloseTo(0.02 / 2, 3);
    const again = initLmParams(specs, dims, 9);
    const other = initLmParams(specs, dims, 10);
    for (const s of specs) expect(Buffer.from(again.get(s.name)!.buffer).equals(Buffer.from(p.get(s.name)!.buffer))).toBe(true);
    expect(Buffer.from(other.get('lm_head.weight')!.buffer).equals(Buffer.from(p.get('lm_head.weight')!.buffer))).toBe(false);
  });
});

describe('inference', () => {
  const gate = makeGate('sqs', { sqs: SQS });
  const specs = lmParamSpecs(TINY, gate);
  const params = spreadParams(specs, 4);

  it('logits at a position do not change when the tokens after it do', async () => {
    const evaluator = await LmEvaluator.create(gate, TINY, specs, { ep: 'cpu', threads: 1 });
    const { ids } = sequences(11, 1, TINY);
    const base = await evaluator.logits(params, ids, 1);
    const V = TINY.vocab;
    for (let t = 0; t < TINY.ctx - 1; t++) {
      const changed = ids.slice();
      for (let j = t + 1; j < TINY.ctx; j++) changed[j] = BigInt((Number(changed[j]) + 3 + j) % V);
      const after = await evaluator.logits(params, changed, 1);
      expect(after.subarray(0, (t + 1) * V)).toEqual(base.subarray(0, (t + 1) * V));
      expect(after.subarray((t + 1) * V)).not.toEqual(base.subarray((t + 1) * V));
    }
    await evaluator.release();
  });

  it('the model with weights baked in gives the reference logits, and the step graph its loss', async () => {
    const model = buildLmInference(gate, TINY, specs, { weights: params, metadata: { gate: 'sqs' } });
    const session = await ort.InferenceSession.create(model);
    expect(session.inputNames).toEqual(['input_ids']);
    const { ids, targets } = sequences(12, BATCH, TINY);
    const logits = (await session.run({ input_ids: new ort.Tensor('int64', ids, [BATCH, TINY.ctx]) })).logits;
    expect(logits.dims).toEqual([BATCH, TINY.ctx, TINY.vocab]);
    const ref = refLmLossAndGrads(new Map([...params].map(([n, v]) => [n, Float64Array.from(v)])), TINY, { kind: 'sqs', ...SQS }, Array.from(ids, Number), Array.from(targets, Number), BATCH);
    const got = logits.data as Float32Array;
    const scale = Math.max(...ref.logits.map(Math.abs));
    ref.logits.forEach((v, i) => expect(Math.abs(got[i] - v) / scale).toBeLessThanOrEqual(1e-5));

    // the evaluator's float64 loss from these logits against the training step's own loss
    const evaluator = await LmEvaluator.create(gate, TINY, specs, { ep: 'cpu', threads: 1, chunk: 2 });
    const evalLoss = await evaluator.loss(params, ids, targets, BATCH);
    const step = await LmStepSession.create(gate, TINY, specs, BATCH, { ep: 'cpu', threads: 1 });
    const { loss } = await step.run({ params, m: zeroMoments(specs), v: zeroMoments(specs), step: 0 }, ids, targets, 1e-3, 0, Infinity);
    expect(Math.abs(evalLoss - loss) / loss).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(evalLoss - ref.loss) / ref.loss).toBeLessThanOrEqual(1e-6);
    await Promise.all([session.release(), evaluator.release(), step.release()]);
  });

  it('refuse token ids outside the vocabulary in one line', async () => {
    const evaluator = await LmEvaluator.create(gate, TINY, specs, { ep: 'cpu', threads: 1 });
    const ids = new BigInt64Array(TINY.ctx).fill(BigInt(TINY.vocab));
    await expect(evaluator.logits(params, ids, 1)).rejects.toThrow(/input_ids\[0\] = 11 is outside the vocabulary \[0, 11\)/);
    await evaluator.release();
  });
});
