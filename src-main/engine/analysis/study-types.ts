// The shapes of a gate comparison's numbers (study.ts), Node-free: the report's figures and its
// verdicts on the paper's claims (common/) read them.
import type { GateName } from '../train/config';

/** One finished run of the study, as the workspace records it. */
export interface StudyRun {
  id: number;
  gate: GateName;
  seed: number;
  /** percent of the training set it trained on */
  percent: number;
  dir: string;
  /** the stored final test accuracy */
  test_accuracy: number;
}

export interface Spread {
  mean: number;
  /** sample standard deviation (n − 1); 0 for a single value */
  std: number;
  n: number;
}

export interface StudyOptions {
  /** eigenvectors per class compared between SQS and bilinear */
  topK: number;
  /** training examples in the whole training split (the x axis of the data-efficiency curves) */
  trainExamples: number;
}

/** One seed's bilinear and SQS runs, compared as compareFeatures compares them (mean over classes). */
export interface SimilarityPair {
  seed: number;
  /** run ids */
  bilinear: number;
  sqs: number;
  by_rank: number[];
  by_assignment: number[];
}

export interface StudyResult {
  gates: GateName[];
  percents: number[];
  /** full-data accuracy per gate: the table's rows */
  accuracy: { gate: GateName; accuracy: Spread; run_ids: number[] }[];
  /** per gate, per percent: accuracy over seeds */
  efficiency: { gate: GateName; points: { percent: number; examples: number; accuracy: Spread; run_ids: number[] }[] }[];
  /** per gate (full data, gates that have a reading): each run's mean over classes, spread over seeds */
  effective_rank: { gate: GateName; rank: Spread }[];
  faithfulness: { gate: GateName; exact: boolean; agreement: Spread; logit_correlation: Spread }[];
  /** null without both bilinear and SQS runs of a common seed at full data */
  similarity: { pairs: SimilarityPair[]; by_rank: Spread[]; by_assignment: Spread[] } | null;
}
