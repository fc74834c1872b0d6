// What a run folder's run.json says about how training went: written by the engine as it trains,
// read back by the workspace and shown to the user. Free of imports, so that the api contract can
// name it for the renderer.

export type TrainStatus = 'completed' | 'diverged' | 'interrupted';

export interface RunSummary {
  status: TrainStatus | 'running';
  epochs_completed: number;
  steps: number;
  seconds: number;
  execution_provider: string;
  /** ONNX Runtime's intra-op threads: reductions split by it, so the same count reproduces the same bytes */
  threads?: number;
  train_loss: number | null;
  test_loss: number | null;
  test_accuracy: number | null;
  /** the step whose loss or update was not finite */
  diverged_at_step?: number;
  /** a language model's: perplexity exp(test_loss) on the validation windows, tokens trained on, and the training rate */
  val_ppl?: number | null;
  tokens?: number;
  tokens_per_s?: number | null;
}

/** The fields of a run.json both families fill alike, from an outcome so far (none: not started). */
export function summaryBase(
  status: RunSummary['status'],
  o: { metrics: readonly unknown[]; steps: number; divergedAtStep?: number } | undefined,
  seconds: number,
  executionProvider: string,
  threads: number,
): Pick<RunSummary, 'status' | 'epochs_completed' | 'steps' | 'seconds' | 'execution_provider' | 'threads' | 'diverged_at_step'> {
  return {
    status,
    epochs_completed: o?.metrics.length ?? 0,
    steps: o?.steps ?? 0,
    seconds,
    execution_provider: executionProvider,
    threads,
    ...(o?.divergedAtStep !== undefined ? { diverged_at_step: o.divergedAtStep } : {}),
  };
}
