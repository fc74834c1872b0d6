// The whole training step of every gate (forward, loss, backward, AdamW) run by ONNX Runtime,
// against the independent float64 reference, on tiny shapes.
import { describe, expect, it } from 'vitest';
import { initParams, paramSpecs, type ModelDims, type Params } from '../../../src-main/engine/nn/classifier';
import { makeGate } from '../../../src-main/engine/nn/gates';
import { GATE_NAMES, type GateName } from '../../../src-main/engine/train/config';
import { StepSession, zeroMoments, type OptimState } from '../../../src-main/engine/train/step-session';
import { Rng } from '../../../src-main/engine/util/rng';
import { refAdamWStep, refLossAndGrads, refZerosLike, type RefGate, type RefParams } from '../../reference/glu-reference';

const SQS = { c: 0.01, lambda: 0.5, p: 1 };
const HP = { lr: 1e-2, wd: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

function refGateOf(name: GateName, sqs = SQS): RefGate {
  return name === 'sqs' ? { kind: 'sqs', ...sqs } : ({ kind: name } as RefGate);
}

function toRef(p: Params, dims: ModelDims): RefParams {
  const f = (n: string) => Float64Array.from(p.get(n) ?? []);
  return {
    embed: f('embed'),
    layers: Array.from({ length: dims.layers }, (_, i) => ({
      w: f(`layers.${i}.w`),
      v: f(`layers.${i}.v`),
      ...(dims.layers > 1 ? { out: f(`layers.${i}.out`) } : {}),
    })),
    head: f('head'),
  };
}

function expectClose(got: Params, want: RefParams, dims: ModelDims, what: string, tol: number): void {
  const flat = (r: RefParams): [string, Float64Array][] => [
    ['embed', r.embed],
    ...r.layers.flatMap((l, i) => [[`layers.${i}.w`, l.w], [`layers.${i}.v`, l.v], ...(l.out ? [[`layers.${i}.out`, l.out]] : [])] as [string, Float64Array][]),
    ['head', r.head],
  ];
  for (const [name, ref] of flat(want)) {
    if (ref.length === 0) continue;
    const g = got.get(name)!;
    const scale = Math.max(...ref.map(Math.abs));
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(g[i] - ref[i]));
    expect(worst / scale, `${what} ${name}: max error ${worst} against scale ${scale}`).toBeLessThanOrEqual(tol);
  }
}

const CONFIGS: { gate: GateName; layers: number; sqs?: typeof SQS }[] = [
  ...GATE_NAMES.flatMap((gate) => [1, 2].map((layers) => ({ gate, layers }))),
  { gate: 'sqs', layers: 1, sqs: { c: 0.05, lambda: 0.8, p: 2 } },
];

describe('training step of every gate against the float64 reference', () => {
  for (const { gate: gateName, layers, sqs } of CONFIGS) {
    it(`${gateName}${sqs ? ` p=${sqs.p}` : ''}, ${layers} layer(s): two AdamW steps`, async () => {
      const dims: ModelDims = { dIn: 7, d: 5, h: 6, classes: 3, layers };
      const batch = 8;
      const gate = makeGate(gateName, { sqs: sqs ?? SQS });
      const specs = paramSpecs(dims, gate);
      const session = await StepSession.create(gate, dims, specs, batch, { ep: 'cpu', threads: 1 });
      const rng = new Rng(5);
      const x = Float32Array.from({ length: batch * dims.dIn }, () => 2 * rng.uniform() - 0.5);
      const labels = Array.from({ length: batch }, () => rng.int(dims.classes));
      const onehot = new Float32Array(batch * dims.classes);
      labels.forEach((c, i) => (onehot[i * dims.classes + c] = 1));

      let state: OptimState = { params: initParams(specs, 3), m: zeroMoments(specs), v: zeroMoments(specs), step: 0 };
      let ref = toRef(state.params, dims);
      let refState = { m: refZerosLike(ref), v: refZerosLike(ref), step: 0 };
      const refDims = { dIn: dims.dIn, d: dims.d, h: dims.h, classes: dims.classes, layers };
      for (let k = 0; k < 2; k++) {
        const out = await session.run(state, x, onehot, HP.lr, HP.wd);
        const { loss, grads } = refLossAndGrads(ref, refDims, refGateOf(gateName, sqs), Float64Array.from(x), labels, batch);
        expect(Math.abs(out.loss - loss) / Math.abs(loss)).toBeLessThanOrEqual(1e-5);
        const next = refAdamWStep(ref, grads, refState, HP);
        // the first moment after step 1 is (1 − β1)·gradient: this checks the gradients themselves
        expectClose(out.state.m, next.state.m, dims, `step ${k + 1} first moment`, 1e-4);
        expectClose(out.state.v, next.state.v, dims, `step ${k + 1} second moment`, 1e-4);
        expectClose(out.state.params, next.params, dims, `step ${k + 1} parameters`, 1e-4);
        state = out.state;
        ref = toRef(state.params, dims);
        refState = { m: toRef(state.m, dims), v: toRef(state.v, dims), step: next.state.step };
      }
      await session.release();
    });
  }
});
