// What reading a language model's MLPs from their weights gives, as plain JSON-ready shapes:
// computed by the engine (analysis/lm-*.ts), sent to the UI through the api contract, drawn by
// the figure builders and exporters. Node-free: the renderer reaches this file through the contract.
import type { GateName } from '../nn/gates';

/** One vocabulary token: its id, its string in the tokenizer (with ▁ for a leading space), and as text. */
export interface LmToken {
  id: number;
  token: string;
  /** the token as a reader sees it: ▁ shown as a space */
  text: string;
}

/**
 * An output direction u in the residual stream: a token's unembedding row read through the final
 * norm's gain (W_U[t] ⊙ g), the difference of two tokens' (e.g. "he-she"), or a saved vector.
 * `spec` is how it was asked for and is what the api and the CLI take back.
 */
export type LmDirection =
  | { kind: 'token'; spec: string; label: string; token: LmToken }
  | { kind: 'difference'; spec: string; label: string; plus: LmToken; minus: LmToken }
  | { kind: 'vector'; spec: string; label: string; path: string };

/** How well x̂ᵀQ(u)x̂ stands for uᵀMLP(x̂) over the validation positions (exactly, for bilinear). */
export interface LmFaithfulness {
  /** Pearson correlation over positions */
  correlation: number;
  /** ‖surrogate − real‖ / ‖real‖ over positions */
  relative_error: number;
}

/** What a language-model run offers to be read: its shape and whether its MLPs have interaction matrices. */
export interface LmInfo {
  runId: number;
  runName: string | null;
  gate: GateName;
  layers: number;
  dModel: number;
  vocab: number;
  /** tokens the tokenizer holds (≤ vocab) */
  tokenizerSize: number;
  /** bilinear: x̂ᵀQx̂ is uᵀMLP(x̂) exactly; other gates: a first-order reading */
  exact: boolean;
  /** null when it can be read, else why not (a ReLU MLP has no gate product) */
  unreadable: string | null;
  /** validation positions the contexts and truncation curves are read over */
  positions: number;
}

/** The spectrum of Q_ℓ(u) for one layer and output direction. */
export interface LmSpectrum {
  runId: number;
  layer: number;
  direction: LmDirection;
  exact: boolean;
  /** every eigenvalue, by |λ| descending */
  eigenvalues: number[];
  positives: number;
  negatives: number;
  /**
   * Fraction of uᵀMLP(x̂) over validation positions explained by the top k components by |λ|:
   * 1 − Σ(y − ŷ_k)² / Σ(y − ȳ)², with y the real contribution and ŷ_k = Σ_{top k} λ(vᵀx̂)².
   */
  truncation: { k: number; explained: number }[];
  faithfulness: LmFaithfulness;
}

/** A token's projection on an eigenvector: vᵀ x̂(t) with x̂(t) the token's embedding through the layer's MLP norm (the direct path). */
export interface LmTokenProjection extends LmToken {
  projection: number;
}

/** A validation position where a component contributes most: its text window, the position in it, and the contribution. */
export interface LmContext {
  /** index of the validation position (window × ctx + position) */
  position: number;
  /** the tokens around it, as text pieces; `at` indexes the one read */
  pieces: string[];
  at: number;
  /** λ(vᵀx̂)² */
  contribution: number;
  /** vᵀx̂ */
  projection: number;
}

/** One eigenvector of Q_ℓ(u), in the display gauge (the sign that makes the mean vᵀx̂ over validation positions ≥ 0). */
export interface LmFeature {
  runId: number;
  layer: number;
  direction: LmDirection;
  /** 1-based, by |λ| descending */
  rank: number;
  eigenvalue: number;
  /** v in d_model space */
  vector: number[];
  /** the tokens projecting most on v, both signs (largest first, most negative first) */
  topTokens: { positive: LmTokenProjection[]; negative: LmTokenProjection[] };
  /** the validation contexts where λ(vᵀx̂)² is largest (largest |contribution| first) */
  topContexts: LmContext[];
}

/** A prompt's output-token logit split, per position and layer, into its top components and the rest. */
export interface LmExplanation {
  runId: number;
  direction: LmDirection;
  /** the prompt's tokens */
  tokens: LmToken[];
  layers: {
    layer: number;
    positions: {
      position: number;
      /** uᵀMLP_ℓ(x̂) / rms_final: the layer's direct contribution to the logit */
      total: number;
      /** the `count` components of largest |λ(vᵀx̂)²| at this position, divided by rms_final */
      components: { rank: number; eigenvalue: number; contribution: number }[];
      /** total − Σ components */
      remainder: number;
    }[];
  }[];
}

/** Two runs' eigenvectors for the same layer and output direction, matched by rank and by optimal assignment (|cos|). */
export interface LmComparison {
  a: number;
  b: number;
  layer: number;
  direction: LmDirection;
  count: number;
  /** |cos| of the rank-i eigenvectors of a and b */
  byRank: number[];
  /** the assignment maximising Σ|cos|: a's rank i ↔ b's rank j */
  assignment: { a: number; b: number; cos: number }[];
  meanByRank: number;
  meanAssignment: number;
  /** said wherever a comparison is shown */
  caveat: string;
}

export const LM_COMPARISON_CAVEAT = 'Residual-stream bases only line up for runs that share their initialisation (the same seed and width); for runs that do not, small similarities say nothing.';
