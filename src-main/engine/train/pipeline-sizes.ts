// Sizes of the training pipeline that the memory estimate (memory.ts) counts, kept apart from
// the modules that use them so the estimate loads neither ONNX Runtime nor worker threads.

/** Batches in flight between the batch thread and the steps: one in the step, one ready, one being filled. */
export const BATCH_BUFFERS = 3;

/**
 * Rows per evaluation call. Fewer, larger calls were tried (up to a whole 10,000-row test split)
 * and were slower, as the activations leave the cache (measured on Fashion-MNIST: 1,024 rows
 * 38 ms, 2,048 rows 45 ms, 16,384 rows 54 ms a pass), while the per-call cost is small.
 */
export const EVAL_ROWS = 1024;
