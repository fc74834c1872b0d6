// Byte-pair encoding learned from a corpus, written as a standard Hugging Face tokenizer.json.
// Words (pre-tokens) are counted once; the pair counts are then kept up to date merge by merge,
// touching only the words that hold the merged pair, and a lazy max-heap yields the most
// frequent pair. Ties go to the pair whose left token, then right token, sorts first: the same
// corpus and size give the same merges, and the same file byte for byte.
import { writeFileAtomic } from '../util/atomic-file';
import { END_OF_TEXT, END_OF_TEXT_ID, UNKNOWN, UNKNOWN_ID } from './special-tokens';
import { DECODER, forEachPreToken, NORMALIZER, PRE_TOKENIZER } from './pre-tokenize';

export const DEFAULT_VOCAB = 4096;

export interface BpeModel {
  /** token strings by id: the special tokens, the alphabet in code point order, then merged tokens */
  vocab: string[];
  /** merges in rank order, as [left, right] token strings */
  merges: [string, string][];
}

export interface BpeTraining extends BpeModel {
  /** the size asked for */
  requested: number;
  /** the size reached: `requested`, less when the corpus ran out of pairs, more when its alphabet alone is larger */
  vocabSize: number;
  /** whether the corpus ran out of pairs before reaching `requested` */
  exhausted: boolean;
  /** the training words, each as the ids the learned merges leave it in, with its count */
  words: Map<string, { ids: number[]; count: number }>;
}

/** How often each pre-token occurs in `docs` (END_OF_TEXT, a special token, is not a word). */
export function countWords(docs: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const doc of docs) {
    forEachPreToken(doc, (piece) => {
      if (piece !== END_OF_TEXT) counts.set(piece, (counts.get(piece) ?? 0) + 1);
    });
  }
  return counts;
}

const PAIR = 2 ** 21;
const pairKey = (a: number, b: number): number => a * PAIR + b;

interface Entry {
  count: number;
  a: number;
  b: number;
}

/** A max-heap of candidate pairs; entries whose count went stale are skipped by the caller. */
class PairHeap {
  private readonly items: Entry[] = [];
  constructor(private readonly tokens: string[]) {}

  get size(): number {
    return this.items.length;
  }

  /** whether x goes before y: more frequent, then the smaller left token, then the smaller right */
  private before(x: Entry, y: Entry): boolean {
    if (x.count !== y.count) return x.count > y.count;
    const t = this.tokens;
    if (x.a !== y.a) return t[x.a] < t[y.a];
    return t[x.b] < t[y.b];
  }

  push(e: Entry): void {
    const h = this.items;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  pop(): Entry | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l], h[m])) m = l;
        if (r < h.length && this.before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Learns merges from `docs` until the vocabulary holds `vocab` tokens or no pair is left. */
export function trainBpe(docs: Iterable<string>, vocab = DEFAULT_VOCAB): BpeTraining {
  return trainBpeOnWords(countWords(docs), vocab);
}

/** trainBpe on counted words. */
export function trainBpeOnWords(wordCounts: Map<string, number>, requested = DEFAULT_VOCAB): BpeTraining {
  const texts = [...wordCounts.keys()].sort();
  const alphabet = [...new Set(texts.flatMap((w) => Array.from(w)))].sort((x, y) => x.codePointAt(0)! - y.codePointAt(0)!);
  const tokens = [END_OF_TEXT, UNKNOWN, ...alphabet];
  const idOf = new Map(tokens.map((t, i) => [t, i]));
  const words = texts.map((w) => Array.from(w, (c) => idOf.get(c)!));
  const counts = texts.map((w) => wordCounts.get(w)!);

  const pairCount = new Map<number, number>();
  const where = new Map<number, number[]>();
  const add = (word: number[], wi: number, sign: number, changed: Set<number>, index: boolean): void => {
    for (let i = 0; i + 1 < word.length; i++) {
      const k = pairKey(word[i], word[i + 1]);
      pairCount.set(k, (pairCount.get(k) ?? 0) + sign * counts[wi]);
      changed.add(k);
      if (index) {
        const list = where.get(k);
        if (list === undefined) where.set(k, [wi]);
        else if (list[list.length - 1] !== wi) list.push(wi);
      }
    }
  };
  const heap = new PairHeap(tokens);
  const requeue = (changed: Set<number>): void => {
    for (const k of changed) {
      const count = pairCount.get(k) ?? 0;
      if (count > 0) heap.push({ count, a: Math.floor(k / PAIR), b: k % PAIR });
      else pairCount.delete(k);
    }
  };
  const initial = new Set<number>();
  words.forEach((w, wi) => add(w, wi, +1, initial, true));
  requeue(initial);

  const merges: [string, string][] = [];
  const seen = new Int32Array(words.length).fill(-1);
  while (tokens.length < requested && heap.size > 0) {
    const top = heap.pop()!;
    const key = pairKey(top.a, top.b);
    if (pairCount.get(key) !== top.count) continue;
    const { a, b } = top;
    const text = tokens[a] + tokens[b];
    let id = idOf.get(text);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(text);
      idOf.set(text, id);
    }
    merges.push([tokens[a], tokens[b]]);
    const changed = new Set<number>();
    for (const wi of where.get(key) ?? []) {
      if (seen[wi] === merges.length) continue;
      seen[wi] = merges.length;
      const old = words[wi];
      const merged = mergePair(old, a, b, id);
      if (merged === old) continue;
      add(old, wi, -1, changed, false);
      words[wi] = merged;
      add(merged, wi, +1, changed, true);
    }
    where.delete(key);
    requeue(changed);
  }

  const learned = new Map(texts.map((w, wi) => [w, { ids: words[wi], count: counts[wi] }]));
  return { vocab: tokens, merges, requested, vocabSize: tokens.length, exhausted: tokens.length < requested, words: learned };
}

/** `word` with every occurrence of (a, b), left to right, replaced by `id`; `word` itself when it has none. */
export function mergePair(word: number[], a: number, b: number, id: number): number[] {
  let out: number[] | null = null;
  for (let i = 0; i < word.length; i++) {
    if (i + 1 < word.length && word[i] === a && word[i + 1] === b) {
      out ??= word.slice(0, i);
      out.push(id);
      i++;
    } else if (out) out.push(word[i]);
  }
  return out ?? word;
}

const ADDED = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** The model as a Hugging Face tokenizer.json, the same text for the same model. */
export function tokenizerJson(model: BpeModel): string {
  if (model.vocab[END_OF_TEXT_ID] !== END_OF_TEXT || model.vocab[UNKNOWN_ID] !== UNKNOWN) throw new Error('the special tokens must come first');
  const VOCAB = '"@@vocab@@"';
  const doc = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [ADDED(END_OF_TEXT, END_OF_TEXT_ID), ADDED(UNKNOWN, UNKNOWN_ID)],
    normalizer: NORMALIZER,
    pre_tokenizer: PRE_TOKENIZER,
    post_processor: null,
    decoder: DECODER,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: UNKNOWN,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: '@@vocab@@',
      merges: model.merges,
    },
  };
  // the vocabulary in id order, one token a line (an object would put digit-like keys first)
  const vocab = `{\n${model.vocab.map((t, i) => `      ${JSON.stringify(t)}: ${i}`).join(',\n')}\n    }`;
  const merges = `[\n${model.merges.map((m) => `      ${JSON.stringify(m)}`).join(',\n')}\n    ]`;
  const text = JSON.stringify({ ...doc, model: { ...doc.model, merges: '@@merges@@' } }, null, 2);
  return `${text.replace(VOCAB, vocab).replace('"@@merges@@"', merges)}\n`;
}

/** Writes the model's tokenizer.json to `path`, whole or not at all. */
export function writeTokenizerJson(path: string, model: BpeModel): void {
  writeFileAtomic(path, tokenizerJson(model));
}
