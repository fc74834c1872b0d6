// What the atlas of a run is made of, as plain JSON-ready shapes: read from a run's analysis by
// atlas-data.ts, sent to the UI through the api contract, drawn by export/. Node-free on purpose:
// the renderer's typecheck reaches this file through the contract.
import type { GateName } from '../train/config';

export interface Faithfulness {
  /** fraction of test examples on which surrogate and model agree (per class: on "is it this class") */
  agreement: number;
  /** Pearson correlation of surrogate and model logits */
  logitCorrelation: number;
}

/**
 * One eigenvector of a class's interaction matrix, drawn in input space (Eᵀv), in the class-mean
 * gauge: the class's test examples have mean vᵀz > 0 (z = E x), so red pixels are where ink
 * raises vᵀz for a typical example of the class, blue ones where it lowers it.
 */
export interface AtlasFeature {
  class: number;
  /** 1-based, by |λ| descending */
  rank: number;
  eigenvalue: number;
  /** (‖v‖₁/‖v‖₂)²/d: 1 when spread evenly, 1/d when on one axis */
  sparsity: number;
  /** Eᵀv, row-major image of the run's input shape */
  vector: number[];
  /** max |vector|: the heatmap's symmetric range */
  range: number;
}

export interface AtlasClass {
  class: number;
  /** the dataset's name for it ("Sandal"), or the index as text */
  label: string;
  effectiveRank: number;
  faithfulness: Faithfulness;
  /** every eigenvalue, by |λ| descending */
  eigenvalues: number[];
  /** the `count` largest positive eigenvalues' features, largest first */
  positive: AtlasFeature[];
  /** the `count` most negative, most negative first */
  negative: AtlasFeature[];
  /** accuracy on this class's test examples keeping k components in every class */
  truncation: { k: number; accuracy: number }[];
}

export interface Atlas {
  runId: number;
  runName: string | null;
  gate: GateName;
  layer: number;
  d: number;
  dIn: number;
  imageShape: [number, number];
  /** exact for a one-layer bilinear model; a first-order reading of the gate otherwise */
  exact: boolean;
  modelAccuracy: number;
  surrogateAccuracy: number;
  faithfulness: Faithfulness;
  truncation: { k: number; accuracy: number }[];
  testExamples: number;
  classes: AtlasClass[];
}

export interface TestExample {
  index: number;
  label: number;
  /** row-major, in [0, 1] */
  pixels: number[];
}

/**
 * How a feature's test examples are ranked. `contribution`: by |λ(vᵀz)²|, the size of the
 * feature's share of its class logit (what the feature responds to, whatever the sign of v):
 * largest first, and smallest (the examples it is silent on). `projection`: by the signed vᵀz,
 * largest and smallest (most negative); its sign is the gauge's, not the feature's.
 */
export const EXAMPLE_RANKINGS = ['contribution', 'projection'] as const;
export type ExampleRanking = (typeof EXAMPLE_RANKINGS)[number];

export interface RankedExample extends TestExample {
  /** vᵀz = (Eᵀv)·x */
  projection: number;
  /** λ(vᵀz)²: its share of the class's surrogate logit */
  contribution: number;
}

export interface FeatureDetail {
  feature: AtlasFeature;
  /** how many eigenvalues of the class are positive / negative */
  positiveCount: number;
  negativeCount: number;
  /** how the examples below are ranked (see EXAMPLE_RANKINGS) */
  rankedBy: ExampleRanking;
  /** contribution: largest |λ(vᵀz)²| first; projection: largest vᵀz first */
  topExamples: RankedExample[];
  /** contribution: smallest |λ(vᵀz)²| first; projection: smallest vᵀz first */
  bottomExamples: RankedExample[];
  /** per class c': the logit the quadratic form of c' gives this feature, vᵀQ(c′)v (= λ for its own class) */
  classLogits: number[];
  /** mean over the test set of this component's contribution λ(vᵀz)² to its class's logit */
  meanContribution: number;
}

export interface ExplainedComponent {
  class: number;
  rank: number;
  eigenvalue: number;
  /** vᵀz for this input */
  projection: number;
  /** λ(vᵀz)², its share of the class's surrogate logit */
  contribution: number;
  vector: number[];
  range: number;
}

export interface Explanation {
  pixels: number[];
  /** the test label when the input is a test example */
  label: number | null;
  modelLogits: number[];
  surrogateLogits: number[];
  predicted: number;
  /** the class whose logit is broken down (the predicted one unless asked) */
  class: number;
  /** its components with the largest |contribution|, largest first */
  components: ExplainedComponent[];
  /** the rest of that class's logit, outside the listed components */
  remainder: number;
}

export interface FeatureMatch {
  rankA: number;
  rankB: number;
  /** |cos| between the two input-space eigenvectors */
  similarity: number;
  a: AtlasFeature;
  /** b's feature with its sign flipped where needed so that a·b ≥ 0: drawn to agree with a, for matching, whatever b's own gauge */
  b: AtlasFeature;
}

export interface AtlasComparison {
  a: { runId: number; name: string | null; gate: GateName };
  b: { runId: number; name: string | null; gate: GateName };
  count: number;
  /** the shared input's image shape, for drawing both runs' eigenvectors */
  imageShape: [number, number];
  /** mean over classes of |cos| by rank: matched by rank, and by the optimal assignment */
  byRank: number[];
  byAssignment: number[];
  classes: { class: number; label: string; byRank: number[]; byAssignment: number[]; matches: FeatureMatch[] }[];
}

