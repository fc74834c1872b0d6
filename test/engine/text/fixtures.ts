// Small corpora and tokenizers the text tests share.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenizerJson, trainBpe } from '../../../src-main/engine/text/bpe-train';
import { Tokenizer } from '../../../src-main/engine/text/tokenizer';

export const tempDir = (prefix = 'sqs-text-'): string => mkdtempSync(join(tmpdir(), prefix));

/** Hand-written text with what stories lack: capitals, digits, quotes of both kinds, symbols, newlines, a tab, accents. */
export const HAND_WRITTEN = [
  'Hello, World! "Quotes" and \'single ones\' -- dashes; numbers 3.14 and 42.',
  'A line\nand the next one\n\nafter a blank line, with a\ttab.',
  'Café, naïve, ÜBER: (brackets) [square] {curly} <angle> a/b a\\b 50% $5 #1 @me & you * ~ ^ ` |',
  'Two  spaces, three   spaces; ending with a question?',
  'ΟΔΥΣΣΕΥΣ sailed home. Σ at the start, σ and ς inside.',
];

/** A tokenizer trained on `docs`, through the library. */
export function trainedTokenizer(docs: readonly string[], vocab: number): Tokenizer {
  return Tokenizer.fromJson(tokenizerJson(trainBpe(docs, vocab)), 'test tokenizer.json');
}
