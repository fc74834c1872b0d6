// Nested random subsets of a training split, for data-efficiency studies. Every subset is the
// head of one fixed random order of the split, drawn from a seed of its own (not the run's), so
// a smaller subset lies inside every larger one and is the same for every gate and seed.
import { Rng } from '../util/rng';
import type { Dataset, Split } from './dataset';
import type { SubsetBudget } from './subset-budget';

/** The seed of the one order subsets are cut from; changing it changes every subset ever trained. */
export const SUBSET_SEED = 0x5eed5;

export { SUBSET_BUDGETS, type SubsetBudget } from './subset-budget';

/** Examples kept of `n` at `percent` (at least one). */
export function subsetSize(n: number, percent: number): number {
  return Math.max(1, Math.min(n, Math.round((n * percent) / 100)));
}

/** The indices of the training examples kept at `percent`, in the fixed order. */
export function subsetIndices(n: number, percent: number): Uint32Array {
  return new Rng(SUBSET_SEED).permutation(n).subarray(0, subsetSize(n, percent));
}

/**
 * The dataset a run trains on at `percent` of its training split; the test split is untouched.
 * Budget 'steps' repeats the subset, in its order, to the whole split's size, so that an epoch has
 * as many batches as on the whole set; 'epochs' keeps the subset alone.
 */
export function trainingSubset(data: Dataset, percent: number, budget: SubsetBudget): Dataset {
  if (percent >= 100) return data;
  const n = data.train.n;
  const kept = subsetIndices(n, percent);
  const rows = budget === 'steps' ? n : kept.length;
  return { ...data, train: gather(data.train, data.inputDim, kept, rows) };
}

function gather(split: Split, dIn: number, kept: Uint32Array, rows: number): Split {
  const x = new Float32Array(rows * dIn);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const src = kept[i % kept.length];
    x.set(split.x.subarray(src * dIn, (src + 1) * dIn), i * dIn);
    y[i] = split.y[src];
  }
  return { x, y, n: rows };
}
