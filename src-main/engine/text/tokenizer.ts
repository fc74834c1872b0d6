// A trained tokenizer.json, run by Hugging Face's own `tokenizers` library: what it encodes is
// what any other program that loads the file encodes. The library encodes and decodes
// asynchronously (off the main thread, in parallel for batches), so this class does too.
import { createHash } from 'node:crypto';
import { Tokenizer as HfTokenizer } from 'tokenizers';
import { readRegularFile, UnreadableFileError } from '../util/regular-file';
import { END_OF_TEXT } from './special-tokens';

/** A tokenizer file that cannot be used; the message names the file. */
export class TokenizerError extends Error {
  override name = 'TokenizerError';
}

/** The largest tokenizer.json read (a 65,536-token vocabulary with its merges is a few MiB). */
const MAX_TOKENIZER_BYTES = 256 * 2 ** 20;

/** How many documents go to the library at once: parallel enough, without holding a whole corpus twice. */
const BATCH = 2048;

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);

export class Tokenizer {
  /** tokens in the vocabulary, the special ones included */
  readonly vocabSize: number;
  /** the id of END_OF_TEXT, which separates documents */
  readonly eotId: number;

  private constructor(
    private readonly hf: HfTokenizer,
    /** hex sha256 of the tokenizer.json text: the token cache's key */
    readonly sha256: string,
    /** the file it came from, for messages */
    readonly name: string,
  ) {
    this.vocabSize = hf.getVocabSize(true);
    this.eotId = hf.tokenToId(END_OF_TEXT) ?? -1;
  }

  static fromFile(path: string): Tokenizer {
    let bytes: Buffer;
    try {
      bytes = readRegularFile(path, MAX_TOKENIZER_BYTES, 'a tokenizer.json');
    } catch (e) {
      throw e instanceof UnreadableFileError ? new TokenizerError(e.message) : e;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new TokenizerError(`${path}: not UTF-8 text`);
    }
    return Tokenizer.fromJson(text, path);
  }

  /** The tokenizer in `text`; `name` says where it came from in messages. */
  static fromJson(text: string, name = 'tokenizer.json'): Tokenizer {
    let specials: number;
    try {
      const doc = JSON.parse(text) as { added_tokens?: { special?: unknown }[] };
      specials = Array.isArray(doc?.added_tokens) ? doc.added_tokens.filter((t) => t?.special === true).length : 0;
    } catch (e) {
      throw new TokenizerError(`${name}: not JSON (${firstLine(e)})`);
    }
    let hf: HfTokenizer;
    try {
      hf = HfTokenizer.fromString(text);
    } catch (e) {
      throw new TokenizerError(`${name}: not a tokenizer the tokenizers library reads (${firstLine(e)})`);
    }
    if (hf.tokenToId(END_OF_TEXT) === null) throw new TokenizerError(`${name}: has no ${END_OF_TEXT} token`);
    const learned = hf.getVocabSize(true) - specials;
    if (learned < 2) throw new TokenizerError(`${name}: ${learned} token${learned === 1 ? '' : 's'} beside the special ones; at least 2 are needed`);
    return new Tokenizer(hf, createHash('sha256').update(text).digest('hex'), name);
  }

  async encode(text: string): Promise<Uint32Array> {
    return Uint32Array.from((await this.hf.encode(text)).getIds());
  }

  /** The ids of each text, encoded in parallel batches. */
  async encodeBatch(texts: readonly string[]): Promise<Uint32Array[]> {
    const out: Uint32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const encodings = await this.hf.encodeBatch(texts.slice(i, i + BATCH));
      for (const e of encodings) out.push(Uint32Array.from(e.getIds()));
    }
    return out;
  }

  /** The text of `ids`, special tokens written out. */
  decode(ids: ArrayLike<number>): Promise<string> {
    return this.hf.decode(Array.from(ids), false);
  }

  idToToken(id: number): string | null {
    return this.hf.idToToken(id);
  }

  tokenToId(token: string): number | null {
    return this.hf.tokenToId(token);
  }
}
