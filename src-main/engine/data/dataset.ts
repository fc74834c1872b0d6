// The in-memory form every dataset reader produces, and the one error type they throw.
import { createHash } from 'node:crypto';

export interface Split {
  /** [n, inputDim] row-major, pixels scaled to [0, 1]. Shared with caches: treat as read-only. */
  x: Float32Array;
  y: Uint8Array;
  n: number;
}

export interface Dataset {
  name: string;
  inputDim: number;
  /** [rows, cols] */
  imageShape: [number, number];
  classes: number;
  /** a name per class ("Sandal"); readers that know none leave it out and the index stands for it */
  classNames?: string[];
  train: Split;
  test: Split;
  /** Hex sha256 over the source bytes, stable across loads: lets a run record exactly which data it saw. */
  sha256: string;
  /** Human description of where the data came from. */
  source: string;
}

/** A dataset's sizes, known before its examples are read: what the memory a run needs depends on. */
export interface DatasetShape {
  inputDim: number;
  classes: number;
  /** examples in the training and the test split */
  train: number;
  test: number;
}

/** A dataset that cannot be loaded; the message names the file and the defect. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

export function sha256Hex(chunks: Iterable<Uint8Array>): string {
  const h = createHash('sha256');
  for (const c of chunks) h.update(c);
  return h.digest('hex');
}
