// The training batches of an epoch: a seeded shuffle, then per batch its rows in that order, their
// one-hot labels, and Gaussian input noise drawn in sequence from the epoch's noise stream. One
// definition, used by the thread that prepares batches ahead and by the tests that check it.
import type { Split } from '../data/dataset';
import { Rng } from '../util/rng';
import { stepsPerEpoch } from './schedule';

// Independent random streams per purpose (and per epoch, so a run can resume at an epoch).
const STREAM_SHUFFLE = 1_000_000;
const STREAM_NOISE = 2_000_000;

export interface BatchPlan {
  /** training rows */
  n: number;
  dIn: number;
  classes: number;
  /** rows of a full batch */
  batch: number;
  seed: number;
  /** std of the input noise */
  noise: number;
}

export interface Batch {
  epoch: number;
  /** index of the batch within its epoch */
  k: number;
  rows: number;
  x: Float32Array;
  onehot: Float32Array;
}

/** The batches of one epoch in order, each filled into storage of its own or the caller's. */
export class EpochBatches {
  private readonly order: Uint32Array;
  private readonly rng: Rng;
  private k = 0;

  constructor(
    private readonly plan: BatchPlan,
    private readonly train: Pick<Split, 'x' | 'y'>,
    readonly epoch: number,
  ) {
    this.order = new Rng(plan.seed, STREAM_SHUFFLE + epoch).permutation(plan.n);
    this.rng = new Rng(plan.seed, STREAM_NOISE + epoch);
  }

  get done(): boolean {
    return this.k >= stepsPerEpoch(this.plan.n, this.plan.batch);
  }

  /** The next batch, written into x [≥ rows·dIn] and onehot [≥ rows·classes] (fresh arrays when absent). */
  next(x?: Float32Array, onehot?: Float32Array): Batch {
    const { n, dIn, classes, batch, noise } = this.plan;
    const start = this.k * batch;
    const rows = Math.min(batch, n - start);
    const bx = (x ?? new Float32Array(rows * dIn)).subarray(0, rows * dIn);
    const by = (onehot ?? new Float32Array(rows * classes)).subarray(0, rows * classes);
    by.fill(0);
    for (let i = 0; i < rows; i++) {
      const src = this.order[start + i];
      bx.set(this.train.x.subarray(src * dIn, (src + 1) * dIn), i * dIn);
      by[i * classes + this.train.y[src]] = 1;
    }
    if (noise > 0) this.rng.addNormal(bx, noise);
    return { epoch: this.epoch, k: this.k++, rows, x: bx, onehot: by };
  }
}
