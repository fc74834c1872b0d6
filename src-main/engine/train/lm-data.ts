// A language model's text, ready to train on: the corpus a spec names, the tokenizer (a given
// tokenizer.json, or a BPE trained on the training split and cached per corpus and size), and both
// splits tokenised once and cached per (corpus, tokenizer). Everything is checked here, before a
// run folder exists: a tokenizer with more tokens than the model has rows, or a split shorter than
// one context window, is refused in one line naming the file or the flag.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { trainBpe, tokenizerJson, writeTokenizerJson } from '../text/bpe-train';
import { CorpusError, corpusFingerprint, readCorpus } from '../text/corpus';
import { tokenizedCorpus, type TokenArray } from '../text/token-cache';
import { Tokenizer, TokenizerError } from '../text/tokenizer';
import { readRegularFile } from '../util/regular-file';
import type { LmConfig } from './lm-config';

export interface PreparedText {
  tokenizer: Tokenizer;
  /** the tokenizer.json text the run keeps beside its weights */
  tokenizerJson: string;
  train: TokenArray;
  valid: TokenArray;
  /** the corpus's hash and where it came from */
  sha256: string;
  source: string;
}

/** Text a language model cannot be trained on, in one line naming the file or flag. */
export class LmDataError extends Error {
  override name = 'LmDataError';
}

/** Characters of training text the BPE is learnt from: a prefix of the split, so a corpus of gigabytes trains its tokenizer in seconds. */
export const BPE_SAMPLE_CHARS = 64 * 2 ** 20;

export async function prepareText(cfg: LmConfig, cacheDir: string): Promise<PreparedText> {
  const { tokenizer, json } = cfg.tokenizer !== '' ? givenTokenizer(cfg.tokenizer) : trainedTokenizer(cfg, cacheDir);
  if (tokenizer.vocabSize > cfg.vocab) {
    const from = cfg.tokenizer !== '' ? `tokenizer ${cfg.tokenizer}` : 'the trained tokenizer';
    throw new LmDataError(`${from} holds ${tokenizer.vocabSize} tokens, more than the model's vocabulary (--vocab ${cfg.vocab})`);
  }
  const tokens = await tokenizedCorpus(cfg.dataset, tokenizer, join(cacheDir, 'tokens'));
  for (const [split, t] of [['training', tokens.train], ['validation', tokens.valid]] as const) {
    if (t.length < cfg.ctx + 1) throw new LmDataError(`the ${split} split of ${tokens.source} holds ${t.length} tokens, fewer than one context window of ${cfg.ctx + 1} (lower --ctx or give more text)`);
  }
  return { tokenizer, tokenizerJson: json, train: tokens.train, valid: tokens.valid, sha256: tokens.corpusSha256, source: tokens.source };
}

function givenTokenizer(path: string): { tokenizer: Tokenizer; json: string } {
  const tokenizer = Tokenizer.fromFile(path);
  return { tokenizer, json: readRegularFile(path, 256 * 2 ** 20, 'a tokenizer.json').toString('utf8') };
}

/** A BPE of `cfg.vocab` tokens learnt on the corpus's training split, kept in the cache for the next run on the same text and size. */
function trainedTokenizer(cfg: LmConfig, cacheDir: string): { tokenizer: Tokenizer; json: string } {
  const { sha256 } = corpusFingerprint(cfg.dataset);
  const path = join(cacheDir, 'tokenizers', `${sha256.slice(0, 16)}-bpe${cfg.vocab}.json`);
  if (existsSync(path)) {
    try {
      return givenTokenizer(path);
    } catch (e) {
      if (!(e instanceof TokenizerError)) throw e;
      // a damaged cache entry is learnt again, never trusted
    }
  }
  const corpus = readCorpus(cfg.dataset);
  const sample: string[] = [];
  let chars = 0;
  for (const doc of corpus.train) {
    if (chars >= BPE_SAMPLE_CHARS) break;
    sample.push(doc);
    chars += doc.length;
  }
  const model = trainBpe(sample, cfg.vocab);
  mkdirSync(dirname(path), { recursive: true });
  writeTokenizerJson(path, model);
  const json = tokenizerJson(model);
  return { tokenizer: Tokenizer.fromJson(json, `the BPE trained on ${corpus.source}`), json };
}

export { CorpusError, TokenizerError };
