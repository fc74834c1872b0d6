// Small hand-made language-model readings in the contract's shapes, with known numbers, for the
// figure and export tests: a 12-wide model, tokens of a story vocabulary, two layers.
import type { LmComparison, LmDirection, LmExplanation, LmFeature, LmInfo, LmSpectrum, LmToken } from '../../src-main/engine/analysis/lm-atlas-types';
import { LM_COMPARISON_CAVEAT } from '../../src-main/engine/analysis/lm-atlas-types';

const WORDS = ['▁dog', '▁cat', '▁ran', '▁the', '▁happy', '▁park', '▁ball', '.', '▁she', '▁he', '▁sad', '▁big', '▁little', '▁tree', '▁jumped', ','];
export const token = (id: number): LmToken => ({ id, token: WORDS[id % WORDS.length], text: WORDS[id % WORDS.length].replace('▁', ' ') });
export const DOG: LmDirection = { kind: 'token', spec: 'dog', label: 'dog', token: token(0) };
export const HE_SHE: LmDirection = { kind: 'difference', spec: 'he-she', label: 'he-she', plus: token(9), minus: token(8) };

export const LM_INFO: LmInfo = { runId: 7, runName: 'story-sqs', gate: 'sqs', layers: 2, dModel: 12, vocab: 1024, tokenizerSize: 992, exact: false, unreadable: null, positions: 4096 };

/** Eigenvalues 3, −2.4, 1.92, −1.536, … by |λ| descending, the last three positive: 8 positive, 4 negative. */
export const EIGENVALUES = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 || i > 8 ? 1 : -1) * 3 * 0.8 ** i);

export function lmSpectrum(layer = 1, direction: LmDirection = DOG): LmSpectrum {
  const positives = EIGENVALUES.filter((v) => v > 0).length;
  return {
    runId: 7,
    layer,
    direction,
    exact: false,
    eigenvalues: EIGENVALUES,
    positives,
    negatives: EIGENVALUES.length - positives,
    truncation: Array.from({ length: 12 }, (_, i) => ({ k: i + 1, explained: i === 0 ? -0.2 : 1 - 0.9 * 0.6 ** i })),
    faithfulness: { correlation: 0.99123, relative_error: 0.041 },
  };
}

export function lmFeature(rank = 2): LmFeature {
  const positive = [0, 1, 4, 6].map((id, i) => ({ ...token(id), projection: 2.5 - 0.5 * i }));
  const negative = [8, 10, 7].map((id, i) => ({ ...token(id), projection: -1.8 + 0.4 * i }));
  const story = ['once', ' upon', ' a', ' time', ',', ' the', ' happy', ' dog', ' ran', ' to', ' the', ' park', '.', ' he', ' saw', ' a', ' big', ' ball', '.'];
  return {
    runId: 7,
    layer: 1,
    direction: DOG,
    rank,
    eigenvalue: EIGENVALUES[rank - 1],
    vector: Array.from({ length: 12 }, (_, i) => Math.cos(i)),
    topTokens: { positive, negative },
    topContexts: [7, 17, 3].map((at, i) => ({ position: 100 * i + at, pieces: story, at, contribution: EIGENVALUES[rank - 1] * (2 - 0.5 * i) ** 2, projection: 2 - 0.5 * i })),
  };
}

export function lmExplanation(direction: LmDirection = DOG): LmExplanation {
  const tokens = [3, 4, 0, 2].map(token);
  return {
    runId: 7,
    direction,
    tokens,
    layers: [0, 1].map((layer) => ({
      layer,
      positions: tokens.map((_, position) => {
        const components = [1, 3].map((rank, j) => ({ rank, eigenvalue: EIGENVALUES[rank - 1], contribution: (layer + 1) * (position - 1.5) * (0.6 - 0.4 * j) }));
        const total = (layer + 1) * (position - 1.5);
        return { position, total, components, remainder: total - components.reduce((s, c) => s + c.contribution, 0) };
      }),
    })),
  };
}

export function lmComparison(): LmComparison {
  const byRank = [0.95, 0.4, 0.72, 0.3, 0.5, 0.2];
  const assignment = [
    { a: 2, b: 3, cos: 0.81 },
    { a: 1, b: 1, cos: 0.95 },
    { a: 3, b: 2, cos: 0.77 },
    { a: 4, b: 6, cos: 0.52 },
    { a: 5, b: 5, cos: 0.5 },
    { a: 6, b: 4, cos: 0.41 },
  ];
  return { a: 7, b: 8, layer: 1, direction: DOG, count: 6, byRank, assignment, meanByRank: byRank.reduce((s, v) => s + v, 0) / 6, meanAssignment: assignment.reduce((s, p) => s + p.cos, 0) / 6, caveat: LM_COMPARISON_CAVEAT };
}
