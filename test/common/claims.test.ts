// The verdicts on the paper's claims follow the rules of paper-anchors.ts: within the margin is a
// match, beyond it is not, and a claim without the runs it needs cannot be judged.
import { describe, expect, it } from 'vitest';
import { judgeClaims, keptSpectrum, matchMargin } from '../../src-main/common/claims';
import type { GateName } from '../../src-main/engine/train/config';
import type { Spread, StudyResult } from '../../src-main/engine/analysis/study-types';

const s = (mean: number, std = 0, n = 3): Spread => ({ mean, std, n });

function study(acc: Partial<Record<GateName, Spread>>, at10: Partial<Record<GateName, Spread>> = {}, byAssignment: number[][] = []): StudyResult {
  const gates = Object.keys(acc) as GateName[];
  return {
    gates,
    percents: Object.keys(at10).length ? [10, 100] : [100],
    accuracy: gates.map((gate) => ({ gate, accuracy: acc[gate]!, run_ids: [] })),
    efficiency: gates.map((gate) => ({ gate, points: [...(at10[gate] ? [{ percent: 10, examples: 6000, accuracy: at10[gate]!, run_ids: [] }] : []), { percent: 100, examples: 60000, accuracy: acc[gate]!, run_ids: [] }] })),
    effective_rank: [],
    faithfulness: [],
    similarity: byAssignment.length ? { pairs: byAssignment.map((b, i) => ({ seed: i, bilinear: 2 * i, sqs: 2 * i + 1, by_rank: b, by_assignment: b })), by_rank: [], by_assignment: [] } : null,
  };
}

const verdictOf = (r: StudyResult, claim: string) => judgeClaims(r).find((c) => c.claim === claim)!.verdict;

describe('claims', () => {
  it('SQS matches its better rival within 0.5 points, and not beyond', () => {
    expect(verdictOf(study({ sqs: s(0.886), swiglu: s(0.890), geglu: s(0.880) }), 'SQS matches SwiGLU/GEGLU in accuracy')).toBe('holds');
    expect(verdictOf(study({ sqs: s(0.884), swiglu: s(0.890), geglu: s(0.880) }), 'SQS matches SwiGLU/GEGLU in accuracy')).toBe('does not hold');
    expect(verdictOf(study({ sqs: s(0.9) }), 'SQS matches SwiGLU/GEGLU in accuracy')).toBe('cannot be judged');
  });

  it('widens the margin to twice the standard error of the difference', () => {
    // std 0.03 over 3 seeds each: se = sqrt(2 · 0.03² / 3) = 0.02449, margin 0.04899
    expect(matchMargin(s(0.9, 0.03), s(0.9, 0.03))).toBeCloseTo(2 * Math.sqrt((2 * 0.0009) / 3), 12);
    expect(verdictOf(study({ sqs: s(0.852, 0.03), swiglu: s(0.9, 0.03) }), 'SQS matches SwiGLU/GEGLU in accuracy')).toBe('holds');
  });

  it('judges data efficiency at every share below 100 %', () => {
    const full = { sqs: s(0.9), swiglu: s(0.9), bilinear: s(0.89) };
    expect(verdictOf(study(full, { sqs: s(0.80), swiglu: s(0.81), bilinear: s(0.7) }), 'SQS matches SwiGLU/GEGLU in data efficiency')).toBe('does not hold');
    expect(verdictOf(study(full, { sqs: s(0.808), swiglu: s(0.81), bilinear: s(0.7) }), 'SQS matches SwiGLU/GEGLU in data efficiency')).toBe('holds');
    expect(verdictOf(study(full, { sqs: s(0.808), swiglu: s(0.81), bilinear: s(0.7) }), 'bilinear layers lag in data efficiency')).toBe('holds');
    expect(verdictOf(study(full), 'SQS matches SwiGLU/GEGLU in data efficiency')).toBe('cannot be judged');
  });

  it('keeps the spectrum when the top-8 |cos| by assignment averages at least 0.8 over seed pairs', () => {
    const r = study({ sqs: s(0.9), bilinear: s(0.9) }, {}, [[1, 0.9, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.1], [0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.7, 0.5, 0.1]]);
    const a = (1 + 0.9 + 0.8 * 3 + 0.7 * 3) / 8;
    const b = (0.9 * 3 + 0.8 * 3 + 0.7 + 0.5) / 8; // 0.7875: the mean 0.79375 falls short of 0.8
    expect(keptSpectrum(r)!.mean).toBeCloseTo((a + b) / 2, 12);
    expect(keptSpectrum(r)!.std).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 12);
    expect(verdictOf(r, 'SQS keeps the bilinear weight spectra')).toBe('does not hold');
  });
});
