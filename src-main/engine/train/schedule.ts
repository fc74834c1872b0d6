// How many steps an epoch takes, and the learning rate at each step: linear warm-up, then cosine
// (or, for language models on request, linear) decay to zero over the remaining steps.

/** Optimiser steps per epoch: every example once, in batches of `batch` (at most the whole set), the last one smaller. */
export function stepsPerEpoch(trainN: number, batch: number): number {
  return Math.ceil(trainN / Math.min(batch, trainN));
}

/** `step` counts from 1 (the step about to be taken); the decay after the warm-up is cosine or linear, to zero. */
export function learningRate(base: number, step: number, totalSteps: number, warmup: number, decay: 'cosine' | 'linear' = 'cosine'): number {
  if (warmup > 0 && step <= warmup) return (base * step) / warmup;
  const span = Math.max(1, totalSteps - warmup);
  const progress = Math.min(1, (step - warmup - 1) / span);
  return decay === 'linear' ? base * (1 - progress) : base * 0.5 * (1 + Math.cos(Math.PI * progress));
}
