// Our own reading of a BPE model, independent of the `tokenizers` library: pre-tokenize, then in
// each pre-token merge the pair of lowest rank, every occurrence left to right, until none is
// left. Slow and plain on purpose: it is the reference the library's ids are checked against.
import { END_OF_TEXT, END_OF_TEXT_ID, UNKNOWN_ID } from './special-tokens';
import type { BpeModel } from './bpe-train';
import { forEachPreToken } from './pre-tokenize';

export class MergeEncoder {
  private readonly idOf: Map<string, number>;
  private readonly rank = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();

  constructor(model: BpeModel) {
    this.idOf = new Map(model.vocab.map((t, i) => [t, i]));
    model.merges.forEach(([a, b], r) => {
      const k = `${a}\u0000${b}`;
      if (!this.rank.has(k)) this.rank.set(k, r);
    });
  }

  /** The ids of one pre-token. */
  encodeWord(piece: string): number[] {
    const hit = this.cache.get(piece);
    if (hit) return hit;
    // a character outside the vocabulary is the unknown token, which merges with nothing
    let symbols: (string | null)[] = Array.from(piece, (c) => (this.idOf.has(c) ? c : null));
    for (;;) {
      let best = Infinity;
      let left = '';
      let right = '';
      for (let i = 0; i + 1 < symbols.length; i++) {
        const a = symbols[i];
        const b = symbols[i + 1];
        if (a === null || b === null) continue;
        const r = this.rank.get(`${a}\u0000${b}`);
        if (r !== undefined && r < best) [best, left, right] = [r, a, b];
      }
      if (best === Infinity) break;
      const next: (string | null)[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
          next.push(left + right);
          i++;
        } else next.push(symbols[i]);
      }
      symbols = next;
    }
    const ids = symbols.map((s) => (s === null ? UNKNOWN_ID : this.idOf.get(s)!));
    this.cache.set(piece, ids);
    return ids;
  }

  /** The ids of `text`. */
  encode(text: string): number[] {
    const ids: number[] = [];
    forEachPreToken(text, (piece) => {
      if (piece === END_OF_TEXT) ids.push(END_OF_TEXT_ID);
      else for (const id of this.encodeWord(piece)) ids.push(id);
    });
    return ids;
  }
}
