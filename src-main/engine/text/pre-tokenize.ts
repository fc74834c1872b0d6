// How text becomes pre-tokens before byte-pair merges, stated twice over in one place: as the
// Hugging Face tokenizer.json configuration that the `tokenizers` library runs, and as our own
// reading of it that the trainer counts words with. Lower-cased; spaces become ▁ (Metaspace,
// prepended to the text, so that a word's leading space belongs to it); every punctuation
// character stands alone. Decoding turns ▁ back into spaces and drops the prepended one, so a
// document that starts with no space decodes to its lower-cased self.
import { END_OF_TEXT } from './special-tokens';

export const SPACE_MARK = '▁';

/** tokenizer.json's `normalizer`. */
export const NORMALIZER = { type: 'Lowercase' } as const;

/** tokenizer.json's `pre_tokenizer`. */
export const PRE_TOKENIZER = {
  type: 'Sequence',
  pretokenizers: [
    { type: 'Metaspace', replacement: SPACE_MARK, prepend_scheme: 'always', split: true },
    { type: 'Punctuation', behavior: 'Isolated' },
  ],
} as const;

/** tokenizer.json's `decoder`. */
export const DECODER = { type: 'Metaspace', replacement: SPACE_MARK, prepend_scheme: 'always', split: true } as const;

/**
 * What the library counts as punctuation: ASCII punctuation (symbols such as $ + < = > ^ ` | ~
 * included) and Unicode's punctuation categories.
 */
const PUNCT = '!-\\/:-@\\[-`{-~\\p{P}';
const PIECE = new RegExp(`${SPACE_MARK}[^${SPACE_MARK}${PUNCT}]*|[^${SPACE_MARK}${PUNCT}]+|[${PUNCT}]`, 'gu');

/**
 * Lower case as the library's Lowercase normalizer has it: character by character, so a final
 * sigma stays σ (JavaScript's toLowerCase would write ς).
 */
export function lowercase(text: string): string {
  if (!text.includes('Σ')) return text.toLowerCase();
  let out = '';
  for (const c of text) out += c.toLowerCase();
  return out;
}

/**
 * The pre-tokens of `text`, each handed to `each`, as the library's pre-tokenizer makes them;
 * END_OF_TEXT, an added token, comes as a piece of its own.
 */
export function forEachPreToken(text: string, each: (piece: string) => void): void {
  // added tokens are cut out of the raw text first; each section is then normalized alone
  const sections = text.split(END_OF_TEXT);
  sections.forEach((section, i) => {
    if (i > 0) each(END_OF_TEXT);
    if (section === '') return;
    let s = lowercase(section).replaceAll(' ', SPACE_MARK);
    if (!s.startsWith(SPACE_MARK)) s = SPACE_MARK + s;
    for (const m of s.matchAll(PIECE)) each(m[0]);
  });
}

/** The pre-tokens of `text` as a list. */
export function preTokenize(text: string): string[] {
  const out: string[] = [];
  forEachPreToken(text, (p) => out.push(p));
  return out;
}
