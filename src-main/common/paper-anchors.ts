// What the literature reports for the numbers the reproduction report measures, and the rules by
// which the report judges the paper's two claims: the one file to edit. A value stands here only
// where a publication states it for this setting (the reference configuration, one GLU layer);
// null leaves the report's "literature" cell empty, which is always better than a remembered or
// guessed number. Each entry names its source so that a reader can check it.
import type { GateName } from '../engine/train/config';

export interface LiteratureValue {
  /** accuracy as a fraction (0.912), rank or |cos| as a plain number; null: not reported */
  value: number | null;
  /** where it is reported: paper, table or figure; empty when no source gives it */
  source: string;
}

export interface DatasetAnchors {
  /** full-data test accuracy per gate */
  accuracy: Partial<Record<GateName, LiteratureValue>>;
  /** mean effective rank of the class interaction matrices per gate */
  effective_rank: Partial<Record<GateName, LiteratureValue>>;
  /** mean |cos| (by assignment) of the top SPECTRUM_K SQS eigenvectors with the bilinear ones */
  spectrum_kept: LiteratureValue;
}

const NONE: LiteratureValue = { value: null, source: '' };

/**
 * Per dataset spec. Every value is null until someone enters one with its source: the Bilinear MLPs
 * paper (Pearce et al., ICLR 2025) reports its image results mostly as figures, and we know of no
 * table of SQS-GLU accuracies in this exact configuration.
 */
export const PAPER_ANCHORS: Readonly<Record<string, DatasetAnchors>> = {
  'fashion-mnist': {
    accuracy: { bilinear: NONE, sqs: NONE, swiglu: NONE, geglu: NONE, reglu: NONE },
    effective_rank: { bilinear: NONE, sqs: NONE },
    spectrum_kept: NONE,
  },
  digits: {
    accuracy: { bilinear: NONE, sqs: NONE, swiglu: NONE, geglu: NONE, reglu: NONE },
    effective_rank: { bilinear: NONE, sqs: NONE },
    spectrum_kept: NONE,
  },
};

export function anchorsFor(dataset: string): DatasetAnchors | null {
  return PAPER_ANCHORS[dataset] ?? null;
}

/** How the claims are judged; the report prints these rules beside its verdicts. */
export const CLAIM_RULES = {
  /**
   * Two gates' accuracies "match" when their means differ by at most this (a fraction: 0.005 is half
   * a percentage point) or by at most twice the standard error of the difference, whichever is larger.
   */
  matchTolerance: 0.005,
  /** the gates SQS must match */
  rivals: ['swiglu', 'geglu'] as readonly GateName[],
  /** "keeps the bilinear spectrum": mean |cos| by assignment over the top SPECTRUM_K eigenvectors per class */
  spectrumK: 8,
  /** … at least this */
  spectrumKept: 0.8,
} as const;
