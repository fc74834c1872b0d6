// One evaluation of a run, as the engine reports it, the workspace stores it and the UI draws
// it. A file of its own, free of imports, so that the api contract can name it for the renderer.

export interface MetricRecord {
  epoch: number;
  step: number;
  train_loss: number;
  test_loss: number;
  test_accuracy: number;
  lr: number;
  seconds: number;
}

/** One evaluation of a language-model run: losses in nats per token, perplexity exp(val_loss). */
export interface LmMetricRecord {
  /** the evaluation's number, 1, 2, … (stored where a classifier stores its epoch) */
  epoch: number;
  step: number;
  /** tokens trained on so far */
  tokens: number;
  /** mean training loss over the steps since the previous evaluation */
  train_loss: number;
  val_loss: number;
  val_ppl: number;
  lr: number;
  seconds: number;
  tokens_per_s: number;
}

/** What a run of either family records per evaluation. */
export type AnyMetricRecord = MetricRecord | LmMetricRecord;
