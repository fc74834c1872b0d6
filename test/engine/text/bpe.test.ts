import { Tokenizer as HfTokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { MergeEncoder } from '../../../src-main/engine/text/bpe-encode';
import { countWords, tokenizerJson, trainBpe } from '../../../src-main/engine/text/bpe-train';
import { lowercase, preTokenize } from '../../../src-main/engine/text/pre-tokenize';
import { storiesCorpus } from '../../../src-main/engine/text/stories';
import { Tokenizer } from '../../../src-main/engine/text/tokenizer';
import { HAND_WRITTEN, trainedTokenizer } from './fixtures';

const stories = storiesCorpus(1, 3000, 100);

describe('pre-tokenization', () => {
  it('lower-cases, marks spaces with ▁ on the word that follows, and isolates punctuation', () => {
    expect(preTokenize('The "cat" said: Hi!!\nThe end.')).toEqual(['▁the', '▁', '"', 'cat', '"', '▁said', ':', '▁hi', '!', '!', '\nthe', '▁end', '.']);
    expect(preTokenize('a  b')).toEqual(['▁a', '▁', '▁b']);
    expect(preTokenize('x<|endoftext|>Y')).toEqual(['▁x', '<|endoftext|>', '▁y']);
  });

  it('agrees with the library on every printable ASCII character and on Unicode punctuation and symbols', () => {
    const hf = HfTokenizer.fromString(tokenizerJson(trainBpe(['ab'], 10)));
    const ascii = Array.from({ length: 95 }, (_, i) => `w${String.fromCharCode(32 + i)}w`).join('');
    for (const text of [ascii, 'a—b’c…d€e§f«g»h¿i·j‐k“l”m°n±o×p', ...HAND_WRITTEN]) {
      const normalized = lowercase(text);
      expect(preTokenize(text), text).toEqual(hf.getPreTokenizer()!.preTokenizeString(normalized).map(([piece]) => piece));
    }
  });
});

describe('training merges', () => {
  // words ▁ab ×3, ▁abc ×1, ! ×1; alphabet ! a b c ▁ after the two special tokens.
  // (▁,a) and (a,b) both occur 4 times: the tie goes to the smaller left token, "a" < "▁".
  // Then (▁,ab) 4 times, then (▁ab,c) once, then no pair is left.
  const docs = ['ab ab abc', 'AB!'];

  it('merges the most frequent pair first and breaks ties by token order, as worked out by hand', () => {
    expect([...countWords(docs)]).toEqual([['▁ab', 3], ['▁abc', 1], ['!', 1]]);
    const t = trainBpe(docs, 100);
    expect(t.merges).toEqual([['a', 'b'], ['▁', 'ab'], ['▁ab', 'c']]);
    expect(t.vocab).toEqual(['<|endoftext|>', '[UNK]', '!', 'a', 'b', 'c', '▁', 'ab', '▁ab', '▁abc']);
    expect(t).toMatchObject({ requested: 100, vocabSize: 10, exhausted: true });
    expect(t.words.get('▁abc')).toEqual({ ids: [9], count: 1 });
  });

  it('stops at the vocabulary size asked for', () => {
    const t = trainBpe(docs, 9);
    expect(t.merges).toEqual([['a', 'b'], ['▁', 'ab']]);
    expect(t).toMatchObject({ vocabSize: 9, exhausted: false });
    expect(t.words.get('▁abc')).toEqual({ ids: [8, 5], count: 1 });
  });

  it('gives the same tokenizer.json byte for byte for the same corpus and size', () => {
    const a = tokenizerJson(trainBpe(stories.train, 500));
    const b = tokenizerJson(trainBpe([...stories.train], 500));
    expect(a).toBe(b);
    expect(tokenizerJson(trainBpe(stories.train, 400))).not.toBe(a);
  });

  it('writes a tokenizer.json of the standard shape', () => {
    const doc = JSON.parse(tokenizerJson(trainBpe(docs, 100)));
    expect(doc.model).toMatchObject({ type: 'BPE', unk_token: '[UNK]', merges: [['a', 'b'], ['▁', 'ab'], ['▁ab', 'c']] });
    expect(doc.model.vocab).toMatchObject({ '<|endoftext|>': 0, '[UNK]': 1, '!': 2, '▁abc': 9 });
    expect(doc.added_tokens.map((t: { content: string; id: number; special: boolean }) => [t.content, t.id, t.special])).toEqual([
      ['<|endoftext|>', 0, true],
      ['[UNK]', 1, true],
    ]);
    expect(doc.normalizer).toEqual({ type: 'Lowercase' });
    expect(doc.decoder.type).toBe('Metaspace');
  });
});

describe('the written tokenizer.json in the tokenizers library', () => {
  for (const vocab of [300, 4096]) {
    it(`encodes the training corpus as our merges do (vocabulary ${vocab})`, async () => {
      const training = trainBpe(stories.train, vocab);
      const tok = Tokenizer.fromJson(tokenizerJson(training));
      expect(tok.vocabSize).toBe(training.vocabSize);
      const reference = new MergeEncoder(training);
      const ids = await tok.encodeBatch(stories.train);
      let tokens = 0;
      stories.train.forEach((doc, i) => {
        const expected = reference.encode(doc);
        tokens += expected.length;
        expect(Array.from(ids[i]), doc).toEqual(expected);
      });
      // the merges applied to each word in rank order leave it as training left it
      for (const [word, { ids }] of training.words) expect(reference.encodeWord(word), word).toEqual(ids);
      expect(tokens).toBeGreaterThan(100_000);
    });
  }

  it('decodes every document back to its lower-cased text', async () => {
    const docs = [...stories.valid, ...HAND_WRITTEN];
    const tok = trainedTokenizer([...stories.train, ...HAND_WRITTEN], 600);
    for (const [i, ids] of (await tok.encodeBatch(docs)).entries()) expect(await tok.decode(ids)).toBe(lowercase(docs[i]));
    // the library's lower case is ours, and JavaScript's but for the final sigma
    expect(lowercase('ÜBER ΑΣ')).toBe('über ασ');
  });

  it('writes a character never seen in training as the unknown token', async () => {
    const tok = trainedTokenizer(stories.train, 300);
    const ids = await tok.encode('a 🐱 cat');
    expect(Array.from(ids)).toEqual(new MergeEncoder(trainBpe(stories.train, 300)).encode('a 🐱 cat'));
    expect(ids).toContain(tok.tokenToId('[UNK]'));
  });
});
