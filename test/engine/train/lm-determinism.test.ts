// Same seed, same batches → the same parameters, byte for byte, with several threads.
import { describe, expect, it } from 'vitest';
import { initLmParams, lmParamSpecs } from '../../../src-main/engine/nn/lm';
import { makeGate } from '../../../src-main/engine/nn/gates';
import { LmStepSession } from '../../../src-main/engine/train/lm-step-session';
import { zeroMoments, type OptimState } from '../../../src-main/engine/train/step-session';
import { BATCH, sequences, TINY } from '../../helpers/lm-fixtures';

async function train(seed: number): Promise<OptimState> {
  const gate = makeGate('geglu', { sqs: { c: 0.01, lambda: 0.5, p: 1 } });
  const specs = lmParamSpecs(TINY, gate);
  const session = await LmStepSession.create(gate, TINY, specs, BATCH, { ep: 'cpu', threads: 2 });
  let state: OptimState = { params: initLmParams(specs, TINY, seed), m: zeroMoments(specs), v: zeroMoments(specs), step: 0 };
  for (let k = 0; k < 4; k++) {
    const { ids, targets } = sequences(100 + k, BATCH, TINY);
    state = (await session.run(state, ids, targets, 3e-3, 0.1, 1)).state;
  }
  await session.release();
  return state;
}

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('language-model training determinism', () => {
  it('two runs from one seed end byte-identical; another seed differs', async () => {
    const [a, b, c] = [await train(1), await train(1), await train(2)];
    for (const [name, p] of a.params) {
      expect(bytes(b.params.get(name)!).equals(bytes(p)), name).toBe(true);
      expect(bytes(b.m.get(name)!).equals(bytes(a.m.get(name)!)), name).toBe(true);
    }
    expect(bytes(c.params.get('lm_head.weight')!).equals(bytes(a.params.get('lm_head.weight')!))).toBe(false);
  });
});
