// The context windows a language model trains and is evaluated on. Training draws each step's
// windows from a random stream of its own (seed, step), so a run resumed at any step draws
// exactly what it would have drawn; validation reads fixed, non-overlapping windows.
import { Rng } from '../util/rng';

export type TokenArray = Uint16Array | Uint32Array;

const STREAM_WINDOWS = 3_000_000;

/** The most validation windows an evaluation reads (a fixed set, so evaluations compare). */
export const MAX_VAL_WINDOWS = 64;

/** Input ids and next-token targets for `rows` windows of `ctx` tokens. */
export interface WindowBatch {
  ids: BigInt64Array;
  targets: BigInt64Array;
  rows: number;
}

export function allocBatch(rows: number, ctx: number): WindowBatch {
  return { ids: new BigInt64Array(rows * ctx), targets: new BigInt64Array(rows * ctx), rows };
}

/** Copies the window of ctx + 1 tokens at `start` into row `r`: ids are its first ctx, targets its last ctx. */
function copyWindow(tokens: TokenArray, start: number, ctx: number, into: WindowBatch, r: number): void {
  const o = r * ctx;
  for (let t = 0; t < ctx; t++) {
    into.ids[o + t] = BigInt(tokens[start + t]);
    into.targets[o + t] = BigInt(tokens[start + t + 1]);
  }
}

/** Fills `into` with step `step`'s training windows: starts uniform over every window the split holds. */
export function trainWindows(tokens: TokenArray, ctx: number, seed: number, step: number, into: WindowBatch): WindowBatch {
  const starts = tokens.length - ctx; // windows of ctx + 1 tokens
  if (starts < 1) throw new Error(`the training split holds ${tokens.length} tokens, fewer than one window of ${ctx + 1}`);
  const rng = new Rng(seed, STREAM_WINDOWS + step);
  for (let r = 0; r < into.rows; r++) copyWindow(tokens, rng.int(starts), ctx, into, r);
  return into;
}

/** The validation windows: consecutive, non-overlapping, from the start of the split, at most MAX_VAL_WINDOWS. */
export function validationWindows(tokens: TokenArray, ctx: number): WindowBatch {
  const rows = Math.min(MAX_VAL_WINDOWS, Math.floor((tokens.length - 1) / ctx));
  if (rows < 1) throw new Error(`the validation split holds ${tokens.length} tokens, fewer than one window of ${ctx + 1}`);
  const batch = allocBatch(rows, ctx);
  for (let r = 0; r < rows; r++) copyWindow(tokens, r * ctx, ctx, batch, r);
  return batch;
}
