// The language model's whole training step of every gate (forward, next-token loss, backward,
// global-norm clipping, AdamW) run by ONNX Runtime, against the independent float64 reference.
import { describe, expect, it } from 'vitest';
import { lmParamSpecs } from '../../../src-main/engine/nn/lm';
import { GATE_NAMES, makeGate, type GateName } from '../../../src-main/engine/nn/gates';
import { LmStepSession } from '../../../src-main/engine/train/lm-step-session';
import { zeroMoments, type OptimState } from '../../../src-main/engine/train/step-session';
import { refLmAdamWStep, refLmLossAndGrads, type RefLmParams } from '../../reference/lm-reference';
import type { RefGate } from '../../reference/glu-reference';
import { BATCH, sequences, spreadParams, TINY } from '../../helpers/lm-fixtures';

const SQS = { c: 0.01, lambda: 0.5, p: 1 };
const HP = { lr: 1e-2, wd: 0.1 };

const refGateOf = (name: GateName): RefGate => (name === 'sqs' ? { kind: 'sqs', ...SQS } : ({ kind: name } as RefGate));
const toRef = (p: ReadonlyMap<string, Float32Array>): RefLmParams => new Map([...p].map(([n, v]) => [n, Float64Array.from(v)]));

function expectClose(got: ReadonlyMap<string, Float32Array>, want: RefLmParams, what: string, tol: number): void {
  for (const [name, ref] of want) {
    const g = got.get(name)!;
    const scale = Math.max(...ref.map(Math.abs));
    if (scale === 0) continue;
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(g[i] - ref[i]));
    expect(worst / scale, `${what} ${name}: max error ${worst} against scale ${scale}`).toBeLessThanOrEqual(tol);
  }
}

describe('language-model training step of every gate against the float64 reference', () => {
  for (const gateName of GATE_NAMES) {
    it(`${gateName}, 2 layers: a clipped step, an unclipped one, one with clipping off`, async () => {
      const gate = makeGate(gateName, { sqs: SQS });
      const specs = lmParamSpecs(TINY, gate);
      const session = await LmStepSession.create(gate, TINY, specs, BATCH, { ep: 'cpu', threads: 1 });
      const { ids, targets } = sequences(5, BATCH, TINY);
      const idsN = Array.from(ids, Number);
      const targetsN = Array.from(targets, Number);

      let state: OptimState = { params: spreadParams(specs, 3), m: zeroMoments(specs), v: zeroMoments(specs), step: 0 };
      for (const clipOf of [(norm: number) => 0.05 * norm, (norm: number) => 10 * norm, () => Infinity]) {
        const ref = refLmLossAndGrads(toRef(state.params), TINY, refGateOf(gateName), idsN, targetsN, BATCH);
        const norm = Math.sqrt([...ref.grads.values()].reduce((s, g) => s + g.reduce((a, x) => a + x * x, 0), 0));
        const clip = clipOf(norm);
        const out = await session.run(state, ids, targets, HP.lr, HP.wd, clip);
        const next = refLmAdamWStep(toRef(state.params), ref.grads, { m: toRef(state.m), v: toRef(state.v), step: state.step }, { ...HP, clip });
        const what = `step ${out.state.step} (clip ${clip === Infinity ? 'off' : clip < norm ? 'active' : 'inactive'})`;
        expect(Math.abs(out.loss - ref.loss) / ref.loss, `${what} loss`).toBeLessThanOrEqual(1e-5);
        expect(Math.abs(out.gradNorm - next.gradNorm) / next.gradNorm, `${what} gradient norm`).toBeLessThanOrEqual(1e-4);
        // (1 − β1)·clipped gradient on the first step: this checks the gradients themselves
        expectClose(out.state.m, next.m, `${what} first moment`, 1e-4);
        expectClose(out.state.v, next.v, `${what} second moment`, 1e-4);
        expectClose(out.state.params, next.params, `${what} parameters`, 1e-4);
        state = out.state;
      }
      await session.release();
    });
  }
});
