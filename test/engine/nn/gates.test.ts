// Each gate is defined once: its graph (through ONNX Runtime) and its scalar form must agree with
// each other and with the independent reference, including SQS at 0, in its shrink band and far out.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../../src-main/engine/onnx/encode';
import { GraphBuilder } from '../../../src-main/engine/onnx/graph';
import { createSession, f32 } from '../../../src-main/engine/onnx/session';
import { defaultGateSettings, erf, GATE_NAMES, GATES, gateInfo, isGateName, makeGate } from '../../../src-main/engine/nn/gates';
import { rangeProblem } from '../../../src-main/engine/util/range';
import { refErf, refGate, type RefGate } from '../../reference/glu-reference';

const POINTS = [-1e3, -7, -3.2, -1, -0.5, -0.01, -0.004, -1e-7, 0, 1e-7, 0.004, 0.01, 0.3, 1, 2.5, 6, 1e3];
const SQS_SETTINGS = [
  { c: 0.01, lambda: 0.5, p: 1 },
  { c: 0, lambda: 1, p: 1 },
  { c: 0.05, lambda: 0.8, p: 2 },
  { c: 0.02, lambda: 1.5, p: 3.5 },
];

const cases = [
  ...GATE_NAMES.filter((g) => g !== 'sqs').map((name) => ({ label: name, gate: makeGate(name, { sqs: SQS_SETTINGS[0] }), ref: { kind: name } as RefGate })),
  ...SQS_SETTINGS.map((s) => ({ label: `sqs c=${s.c} λ=${s.lambda} p=${s.p}`, gate: makeGate('sqs', { sqs: s }), ref: { kind: 'sqs', ...s } as RefGate })),
];

describe('gates', () => {
  for (const { label, gate, ref } of cases) {
    it(`${label}: graph, scalar form and reference agree`, async () => {
      const b = new GraphBuilder();
      const x = b.input('x', [POINTS.length]);
      const session = await createSession(encodeModel({ name: label, inputs: b.inputs, outputs: [{ name: 'y', node: gate.graph(b, x) }] }), { ep: 'cpu', threads: 1 });
      const y = (await session.run({ x: f32(Float32Array.from(POINTS), [POINTS.length]) })).y.data as Float32Array;
      POINTS.forEach((p, i) => {
        const want = refGate(ref, Math.fround(p));
        expect(gate.scalar(Math.fround(p)), `${label} scalar at ${p}`).toBeCloseTo(want, 12);
        expect(Math.abs(y[i] - want), `${label} graph at ${p}: ${y[i]} vs ${want}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
      });
    });
  }

  it('SQS follows sgn(0) = +1, shrinks by c near 0 and saturates at ±1/λ', () => {
    const g = makeGate('sqs', { sqs: { c: 0.01, lambda: 0.5, p: 1 } });
    expect(g.scalar(0)).toBe(-0.01);
    expect(g.scalar(0.004)).toBeCloseTo((0.004 - 0.01) / (1 + 0.5 * 0.004), 15);
    expect(g.scalar(-0.004)).toBeCloseTo(-(0.004 - 0.01) / (1 + 0.5 * 0.004), 15);
    expect(g.scalar(1e9)).toBeCloseTo(2, 6);
    expect(g.scalar(-1e9)).toBeCloseTo(-2, 6);
    expect(makeGate('sqs', { sqs: { c: 0.05, lambda: 0.8, p: 2 } }).scalar(-3)).toBeCloseTo(-(9 - 0.05) / (1 + 0.8 * 9), 15);
  });

  it('erf matches the reference across its range', () => {
    for (let x = -8; x <= 8; x += 0.037) expect(erf(x)).toBeCloseTo(refErf(x), 14);
  });

  it('registers each gate once, with what analysis and forms need to know', () => {
    expect(GATE_NAMES).toEqual(['bilinear', 'sqs', 'swiglu', 'geglu', 'reglu', 'relu-mlp']);
    expect(GATES.filter((g) => !g.product).map((g) => g.name)).toEqual(['relu-mlp']);
    expect(GATES.filter((g) => g.exact).map((g) => g.name)).toEqual(['bilinear']);
    expect(gateInfo('sqs').params.map((p) => [p.key, p.label, p.default])).toEqual([['c', 'c', 0.01], ['lambda', 'λ', 0.5], ['p', 'p', 1]]);
    expect(defaultGateSettings()).toEqual({ sqs: { c: 0.01, lambda: 0.5, p: 1 } });
    for (const g of GATES) for (const p of g.params) expect(rangeProblem(p.range, p.default), `${g.name}.${p.key}`).toBeNull();
    expect(isGateName('sqs')).toBe(true);
    expect(isGateName('tanh')).toBe(false);
    expect(() => makeGate('tanh' as never, defaultGateSettings())).toThrow("unknown gate 'tanh'");
  });

  it('describes itself with its parameters, as stored beside the weights', () => {
    expect(makeGate('sqs', { sqs: { c: 0.01, lambda: 0.5, p: 1 } }).describe()).toEqual({ gate: 'sqs', 'sqs.c': '0.01', 'sqs.lambda': '0.5', 'sqs.p': '1' });
    expect(makeGate('geglu', { sqs: SQS_SETTINGS[0] }).describe()).toEqual({ gate: 'geglu' });
  });
});

describe('gate knowledge lives in the registry', () => {
  const ROOT = resolve(import.meta.dirname, '../../..');
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return /\.(ts|svelte)$/.test(name) ? [path] : [];
    });

  it('no module outside engine/nn/ compares a value with a gate name', () => {
    const names = GATE_NAMES.map((n) => n.replace(/[-]/g, '\\-')).join('|');
    const q = `['"\`](?:${names})['"\`]`;
    const comparison = new RegExp(`(?:[!=]==?\\s*${q})|(?:${q}\\s*[!=]==?)|(?:case\\s+${q}\\s*:)`);
    const found = [...sources(join(ROOT, 'src-main')), ...sources(join(ROOT, 'src-renderer/src'))]
      .filter((f) => !relative(ROOT, f).startsWith('src-main/engine/nn/'))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (comparison.test(line) ? [`${relative(ROOT, f)}:${i + 1}: ${line.trim()}`] : [])));
    expect(found).toEqual([]);
  });
});
