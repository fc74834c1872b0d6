// Self-checks of the float64 GLU reference: gradients against finite differences, gates
// against their formulas, erf against known values, AdamW against a hand-worked example.
import { describe, expect, it } from 'vitest';
import {
  type AdamWState,
  type RefDims,
  type RefGate,
  type RefParams,
  refAdamWStep,
  refCloneParams,
  refCrossEntropy,
  refErf,
  refForward,
  refGate,
  refGateDeriv,
  refLossAndGrads,
  refRandomParams,
  refTensors,
  refZerosLike,
} from './glu-reference';

const SQS: RefGate = { kind: 'sqs', c: 0.01, lambda: 0.5, p: 1 };
const SQS_P2: RefGate = { kind: 'sqs', c: 0.05, lambda: 0.3, p: 2 };
const GATES: [string, RefGate][] = [
  ['bilinear', { kind: 'bilinear' }],
  ['sqs p=1', SQS],
  ['sqs p=2', SQS_P2],
  ['swiglu', { kind: 'swiglu' }],
  ['geglu', { kind: 'geglu' }],
  ['reglu', { kind: 'reglu' }],
  ['relu-mlp', { kind: 'relu-mlp' }],
];

/** |a − b| ≤ rel·max(|a|, |b|) + abs: relative, with a floor for near-zero entries. */
function close(a: number, b: number, rel: number, abs: number): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
}

function inputs(batch: number, dIn: number, seed: number): Float64Array {
  // A different seed stream than the params, through the same deterministic generator.
  const p = refRandomParams({ dIn, d: batch, h: 1, classes: 1, layers: 1 }, { kind: 'bilinear' }, seed);
  return p.embed.map((v) => v * Math.sqrt(dIn)); // unit-variance entries, [batch, dIn]
}

describe('refLossAndGrads vs central finite differences', () => {
  const batch = 4;
  const labels = [0, 2, 1, 2];
  const step = 1e-6;
  for (const layers of [1, 2]) {
    for (const [name, gate] of GATES) {
      it(`${name}, ${layers} layer(s)`, () => {
        const dims: RefDims = { dIn: 5, d: 4, h: 3, classes: 3, layers };
        const p = refRandomParams(dims, gate, 1234 + layers);
        const x = inputs(batch, dims.dIn, 99);
        const lossOf = (q: RefParams) =>
          refCrossEntropy(refForward(q, dims, gate, x, batch).logits, labels, batch, dims.classes);

        const { loss, grads } = refLossAndGrads(p, dims, gate, x, labels, batch);
        expect(loss).toBeCloseTo(lossOf(p), 14);

        const P = refTensors(p);
        const G = refTensors(grads);
        expect(G.map((g) => g.length)).toEqual(P.map((t) => t.length));
        let checked = 0;
        let worst = 0;
        for (let k = 0; k < P.length; k++) {
          for (let i = 0; i < P[k].length; i++) {
            const q = refCloneParams(p);
            const Q = refTensors(q);
            Q[k][i] = P[k][i] + step;
            const up = lossOf(q);
            Q[k][i] = P[k][i] - step;
            const down = lossOf(q);
            const fd = (up - down) / (2 * step);
            worst = Math.max(worst, Math.abs(fd - G[k][i]));
            if (!close(G[k][i], fd, 1e-6, 1e-8)) {
              throw new Error(`tensor ${k}[${i}]: analytic ${G[k][i]} vs fd ${fd}`);
            }
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(30);
        expect(worst).toBeLessThan(1e-7);
        // Gradients should not be trivially zero.
        expect(G.some((g) => g.some((v) => Math.abs(v) > 1e-3))).toBe(true);
      });
    }
  }

  it('relu-mlp has no V and one-layer models have no out projection', () => {
    const dims: RefDims = { dIn: 5, d: 4, h: 3, classes: 3, layers: 1 };
    const p = refRandomParams(dims, { kind: 'relu-mlp' }, 7);
    expect(p.layers[0].v.length).toBe(0);
    expect(p.layers[0].out).toBeUndefined();
    expect(p.head.length).toBe(3 * 3);
    const deep = refRandomParams({ ...dims, layers: 2 }, SQS, 7);
    expect(deep.layers[1].out!.length).toBe(4 * 3);
    expect(deep.head.length).toBe(3 * 4);
  });
});

describe('refGateDeriv vs finite differences', () => {
  const points = [-3, -1.2, -0.3, -0.02, 0.05, 0.7, 1, 2.5];
  for (const [name, gate] of GATES) {
    it(name, () => {
      const hstep = 1e-6;
      for (const x of points) {
        const fd = (refGate(gate, x + hstep) - refGate(gate, x - hstep)) / (2 * hstep);
        expect(close(refGateDeriv(gate, x), fd, 1e-7, 1e-9), `${name} at ${x}`).toBe(true);
      }
    });
  }

  it('SQS derivative at 0 follows the |x|^(p-1) convention', () => {
    expect(refGateDeriv(SQS, 0)).toBeCloseTo(1 + 0.5 * 0.01, 15);
    expect(refGateDeriv(SQS_P2, 0)).toBe(0);
  });

  it('ReLU-style gates have derivative 0 at 0', () => {
    expect(refGateDeriv({ kind: 'reglu' }, 0)).toBe(0);
    expect(refGateDeriv({ kind: 'relu-mlp' }, 0)).toBe(0);
  });
});

describe('SQS gate values', () => {
  it('is −c at 0 (sgn(0) = +1)', () => {
    expect(refGate(SQS, 0)).toBe(-0.01);
    expect(refGate(SQS_P2, 0)).toBe(-0.05);
  });

  it('matches the formula for tiny |x| < c (the sign flips inside the dead zone)', () => {
    expect(refGate(SQS, 0.004)).toBeCloseTo((0.004 - 0.01) / (1 + 0.5 * 0.004), 15);
    expect(refGate(SQS, -0.004)).toBeCloseTo((0.01 - 0.004) / (1 + 0.5 * 0.004), 15);
  });

  it('saturates at ±1/λ for large |x|', () => {
    expect(refGate(SQS, 1e9)).toBeCloseTo(2, 8);
    expect(refGate(SQS, -1e9)).toBeCloseTo(-2, 8);
    expect(refGate(SQS_P2, 1e6)).toBeCloseTo(1 / 0.3, 8);
    // Monotone approach from below.
    expect(refGate(SQS, 100)).toBeLessThan(refGate(SQS, 1000));
    expect(refGate(SQS, 1000)).toBeLessThan(2);
  });

  it('with p = 2: sgn(x)(x² − c)/(1 + λx²)', () => {
    expect(refGate(SQS_P2, 1.5)).toBeCloseTo((2.25 - 0.05) / (1 + 0.3 * 2.25), 15);
    expect(refGate(SQS_P2, -1.5)).toBeCloseTo(-(2.25 - 0.05) / (1 + 0.3 * 2.25), 15);
    // Derivative formula by hand: 2|x|(1 + λc)/(1 + λx²)².
    expect(refGateDeriv(SQS_P2, -1.5)).toBeCloseTo((2 * 1.5 * (1 + 0.3 * 0.05)) / (1 + 0.3 * 2.25) ** 2, 15);
  });
});

describe('GEGLU erf', () => {
  it('matches known values to ~1e-15', () => {
    const known: [number, number][] = [
      [0, 0],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [-2, -0.9953222650189527],
      [3, 0.9999779095030014],
    ];
    for (const [x, v] of known) expect(Math.abs(refErf(x) - v), `erf(${x})`).toBeLessThanOrEqual(2.5e-16);
    expect(refErf(10)).toBe(1);
    expect(refErf(-10)).toBe(-1);
  });

  it('GELU uses the exact erf form', () => {
    const x = 1;
    expect(refGate({ kind: 'geglu' }, x)).toBeCloseTo(0.5 * (1 + refErf(1 / Math.SQRT2)), 15);
    expect(refGate({ kind: 'geglu' }, 1)).toBeCloseTo(0.8413447460685429, 15); // Φ(1)
  });
});

describe('refAdamWStep', () => {
  // Two scalars, stored as a single-element embed and head with no layers.
  const mk = (a: number, b: number): RefParams => ({
    embed: Float64Array.of(a),
    layers: [],
    head: Float64Array.of(b),
  });
  const hp = { lr: 0.1, wd: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

  it('matches a hand-computed two-number example over two steps', () => {
    const p0 = mk(1, -2);
    const g = mk(0.5, -0.1);
    const st0: AdamWState = { m: refZerosLike(p0), v: refZerosLike(p0), step: 0 };
    // Step 1 (t = 1): m = 0.1g = (0.05, −0.01); v = 0.001g² = (2.5e-4, 1e-5).
    // m̂ = g, v̂ = g², so the update is g/(|g| + eps):
    //   p1 = 1·(1 − 0.001) − 0.1·0.5/(0.5 + 1e-8)   = 0.999 − (0.1 − 2e-9)   = 0.899000002
    //   p2 = −2·(1 − 0.001) + 0.1·0.1/(0.1 + 1e-8)  = −1.998 + (0.1 − 1e-8) = −1.89800001
    const r1 = refAdamWStep(p0, g, st0, hp);
    expect(r1.params.embed[0]).toBeCloseTo(0.899000002, 14);
    expect(r1.params.head[0]).toBeCloseTo(-1.89800001, 14);
    expect(r1.state.step).toBe(1);
    expect(r1.state.m.embed[0]).toBeCloseTo(0.05, 15);
    expect(r1.state.m.head[0]).toBeCloseTo(-0.01, 15);
    expect(r1.state.v.embed[0]).toBeCloseTo(2.5e-4, 17);
    expect(r1.state.v.head[0]).toBeCloseTo(1e-5, 17);

    // Step 2 with the same gradient (t = 2): m = 0.9·0.05 + 0.1·0.5 = 0.095, m̂ = 0.095/0.19 = 0.5;
    // v = 0.999·2.5e-4 + 0.001·0.25 = 4.9975e-4, v̂ = 4.9975e-4/0.001999 = 0.25. Again m̂ = g, v̂ = g²:
    //   p1 = 0.899000002·0.999 − (0.1 − 2e-9) = 0.898101001998 − 0.099999998 = 0.798101003998
    const r2 = refAdamWStep(r1.params, g, r1.state, hp);
    expect(r2.params.embed[0]).toBeCloseTo(0.798101003998, 13);
    expect(r2.state.m.embed[0]).toBeCloseTo(0.095, 15);
    expect(r2.state.step).toBe(2);
  });

  it('never mutates its inputs', () => {
    const p0 = mk(1, -2);
    const g = mk(0.5, -0.1);
    const st0: AdamWState = { m: mk(0.3, 0.2), v: mk(0.01, 0.02), step: 3 };
    refAdamWStep(p0, g, st0, hp);
    expect([p0.embed[0], p0.head[0], g.embed[0], g.head[0]]).toEqual([1, -2, 0.5, -0.1]);
    expect([st0.m.embed[0], st0.m.head[0], st0.v.embed[0], st0.v.head[0], st0.step]).toEqual([0.3, 0.2, 0.01, 0.02, 3]);
  });
});
