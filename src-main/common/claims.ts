// The paper's two claims judged on a run set, in plain words with their numbers: (1) SQS-GLUs match
// SwiGLU/GEGLU in accuracy and data efficiency where bilinear layers lag; (2) SQS keeps the bilinear
// weight spectra readable. The rules are CLAIM_RULES (paper-anchors.ts); the numbers study.ts's.
import type { GateName } from '../engine/train/config';
import type { Spread, StudyResult } from '../engine/analysis/study-types';
import { CLAIM_RULES } from './paper-anchors';

export type Verdict = 'holds' | 'does not hold' | 'cannot be judged';

export interface Claim {
  claim: string;
  verdict: Verdict;
  /** the numbers behind the verdict, in a sentence */
  evidence: string;
}

const pp = (x: number) => `${(100 * x).toFixed(2)}`;
const pm = (s: Spread) => `${pp(s.mean)} ± ${pp(s.std)} %`;

/** The margin within which two means count as equal: the tolerance, or twice the standard error of their difference. */
export function matchMargin(a: Spread, b: Spread): number {
  const se = Math.sqrt((a.n > 0 ? a.std ** 2 / a.n : 0) + (b.n > 0 ? b.std ** 2 / b.n : 0));
  return Math.max(CLAIM_RULES.matchTolerance, 2 * se);
}

/** SQS against its best rival at one point: the gap (SQS − rival) and whether it is within the margin. */
function against(sqs: Spread, rivals: { gate: GateName; s: Spread }[]): { rival: GateName; gap: number; matches: boolean } | null {
  const present = rivals.filter((r) => r.s.n > 0);
  if (sqs.n === 0 || present.length === 0) return null;
  const best = present.reduce((a, b) => (b.s.mean > a.s.mean ? b : a));
  const gap = sqs.mean - best.s.mean;
  return { rival: best.gate, gap, matches: gap >= -matchMargin(sqs, best.s) };
}

export function judgeClaims(r: StudyResult): Claim[] {
  const acc = new Map(r.accuracy.map((a) => [a.gate, a.accuracy]));
  const rivals = CLAIM_RULES.rivals.map((gate) => ({ gate, s: acc.get(gate) ?? { mean: NaN, std: NaN, n: 0 } }));
  const claims: Claim[] = [];

  const sqs = acc.get('sqs');
  const a = sqs ? against(sqs, rivals) : null;
  claims.push(
    a && sqs
      ? {
          claim: 'SQS matches SwiGLU/GEGLU in accuracy',
          verdict: a.matches ? 'holds' : 'does not hold',
          evidence: `SQS ${pm(sqs)} against ${a.rival} ${pm(acc.get(a.rival)!)}: a gap of ${a.gap >= 0 ? '+' : ''}${pp(a.gap)} points (margin ${pp(matchMargin(sqs, acc.get(a.rival)!))}).`,
        }
      : { claim: 'SQS matches SwiGLU/GEGLU in accuracy', verdict: 'cannot be judged', evidence: 'the run set lacks full-data SQS runs or SwiGLU/GEGLU runs.' },
  );

  const bil = acc.get('bilinear');
  claims.push(
    bil && sqs && bil.n > 0 && sqs.n > 0
      ? {
          claim: 'bilinear layers lag SQS in accuracy',
          verdict: sqs.mean - bil.mean > matchMargin(sqs, bil) ? 'holds' : 'does not hold',
          evidence: `bilinear ${pm(bil)} against SQS ${pm(sqs)}: ${pp(sqs.mean - bil.mean)} points behind (margin ${pp(matchMargin(sqs, bil))}).`,
        }
      : { claim: 'bilinear layers lag SQS in accuracy', verdict: 'cannot be judged', evidence: 'the run set lacks full-data bilinear or SQS runs.' },
  );

  const curve = (g: GateName) => new Map((r.efficiency.find((e) => e.gate === g)?.points ?? []).map((p) => [p.percent, p.accuracy]));
  const sqsCurve = curve('sqs');
  const rivalCurves = CLAIM_RULES.rivals.map((g) => ({ gate: g, c: curve(g) }));
  const partial = r.percents.filter((p) => p < 100);
  const gaps = partial
    .map((p) => ({ p, g: sqsCurve.has(p) ? against(sqsCurve.get(p)!, rivalCurves.map((rc) => ({ gate: rc.gate, s: rc.c.get(p) ?? { mean: NaN, std: NaN, n: 0 } }))) : null }))
    .filter((x): x is { p: number; g: NonNullable<ReturnType<typeof against>> } => x.g !== null);
  if (gaps.length === 0) claims.push({ claim: 'SQS matches SwiGLU/GEGLU in data efficiency', verdict: 'cannot be judged', evidence: 'no data-efficiency runs (train with --data-efficiency).' });
  else {
    const worst = gaps.reduce((a, b) => (b.g.gap < a.g.gap ? b : a));
    const misses = gaps.filter((x) => !x.g.matches).map((x) => `${x.p} %`);
    claims.push({
      claim: 'SQS matches SwiGLU/GEGLU in data efficiency',
      verdict: misses.length === 0 ? 'holds' : 'does not hold',
      evidence: `over ${gaps.length} training-set sizes below 100 %, the largest shortfall of SQS against the better rival is ${pp(-Math.min(0, worst.g.gap))} points (at ${worst.p} %, against ${worst.g.rival})${misses.length ? `; outside the margin at ${misses.join(', ')}` : ''}.`,
    });
  }

  const bilCurve = curve('bilinear');
  const lags = partial.filter((p) => bilCurve.has(p) && sqsCurve.has(p)).map((p) => sqsCurve.get(p)!.mean - bilCurve.get(p)!.mean);
  if (lags.length > 0) {
    const mean = lags.reduce((x, y) => x + y, 0) / lags.length;
    claims.push({
      claim: 'bilinear layers lag in data efficiency',
      verdict: mean > CLAIM_RULES.matchTolerance ? 'holds' : 'does not hold',
      evidence: `averaged over ${lags.length} training-set sizes below 100 %, bilinear is ${pp(mean)} points behind SQS (tolerance ${pp(CLAIM_RULES.matchTolerance)}).`,
    });
  }

  const kept = keptSpectrum(r);
  const k = Math.min(CLAIM_RULES.spectrumK, ...(r.similarity?.pairs ?? []).map((p) => p.by_assignment.length));
  if (!kept || k === 0) claims.push({ claim: 'SQS keeps the bilinear weight spectra', verdict: 'cannot be judged', evidence: 'no bilinear and SQS runs of a common seed at full data.' });
  else {
    claims.push({
      claim: 'SQS keeps the bilinear weight spectra',
      verdict: kept.mean >= CLAIM_RULES.spectrumKept ? 'holds' : 'does not hold',
      evidence: `the top ${k} eigenvectors per class of SQS and bilinear runs of the same seed have mean |cos| ${kept.mean.toFixed(3)} ± ${kept.std.toFixed(3)} matched by assignment (over ${kept.n} seed pair${kept.n === 1 ? '' : 's'}; threshold ${CLAIM_RULES.spectrumKept}).`,
    });
  }
  return claims;
}

/** Mean |cos| by assignment over the top CLAIM_RULES.spectrumK ranks, its spread over seed pairs. */
export function keptSpectrum(r: StudyResult): Spread | null {
  const s = r.similarity;
  if (!s || s.pairs.length === 0) return null;
  const k = Math.min(CLAIM_RULES.spectrumK, ...s.pairs.map((p) => p.by_assignment.length));
  const per = s.pairs.map((p) => p.by_assignment.slice(0, k).reduce((a, b) => a + b, 0) / k);
  const mean = per.reduce((a, b) => a + b, 0) / per.length;
  const std = per.length > 1 ? Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / (per.length - 1)) : 0;
  return { mean, std, n: per.length };
}
