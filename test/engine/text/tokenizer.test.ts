import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenizerJson, trainBpe, writeTokenizerJson } from '../../../src-main/engine/text/bpe-train';
import { Tokenizer, TokenizerError } from '../../../src-main/engine/text/tokenizer';
import { tempDir } from './fixtures';

const DOCS = ['The cat sat on the mat.', 'The dog sat on the log!'];
const json = tokenizerJson(trainBpe(DOCS, 30));

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TokenizerError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('the tokenizer', () => {
  it('loads a trained tokenizer.json from a file: sizes, special ids, tokens both ways', async () => {
    const path = join(tempDir(), 'tokenizer.json');
    writeTokenizerJson(path, trainBpe(DOCS, 30));
    expect(readFileSync(path, 'utf8')).toBe(json);
    const tok = Tokenizer.fromFile(path);
    expect(tok.vocabSize).toBe(30);
    expect(tok.eotId).toBe(0);
    expect(tok.idToToken(1)).toBe('[UNK]');
    expect(tok.tokenToId('▁the')).not.toBeNull();
    expect(tok.idToToken(tok.tokenToId('▁the')!)).toBe('▁the');
    expect(tok.name).toBe(path);
    expect(tok.sha256).toBe(Tokenizer.fromJson(json).sha256);
    const ids = await tok.encode('The cat sat.');
    expect(ids).toBeInstanceOf(Uint32Array);
    expect(await tok.decode(ids)).toBe('the cat sat.');
    expect(await tok.decode([...ids, 0, ...ids])).toBe('the cat sat.<|endoftext|> the cat sat.');
    expect((await tok.encodeBatch(['The cat sat.', 'on the log'])).map((a) => a.length)).toEqual([ids.length, (await tok.encode('on the log')).length]);
  });

  it('refuses a file that is not a usable tokenizer, in one line naming it', () => {
    const dir = tempDir();
    const write = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const doc = JSON.parse(json);
    const noEot = { ...doc, added_tokens: doc.added_tokens.slice(1), model: { ...doc.model, vocab: Object.fromEntries(Object.entries(doc.model.vocab).filter(([t]) => t !== '<|endoftext|>')) } };
    const tiny = { ...doc, model: { ...doc.model, vocab: { '<|endoftext|>': 0, '[UNK]': 1, a: 2 }, merges: [] } };

    expect(refusal(() => Tokenizer.fromFile(join(dir, 'none.json')))).toBe(`${join(dir, 'none.json')}: missing`);
    expect(refusal(() => Tokenizer.fromFile(write('broken.json', '{"model": ')))).toMatch(new RegExp(`^${join(dir, 'broken.json')}: not JSON \\(`));
    expect(refusal(() => Tokenizer.fromFile(write('other.json', '{"model": {"type": "Nothing"}}')))).toMatch(
      new RegExp(`^${join(dir, 'other.json')}: not a tokenizer the tokenizers library reads \\(`),
    );
    expect(refusal(() => Tokenizer.fromFile(write('no-eot.json', JSON.stringify(noEot))))).toBe(`${join(dir, 'no-eot.json')}: has no <|endoftext|> token`);
    expect(refusal(() => Tokenizer.fromFile(write('tiny.json', JSON.stringify(tiny))))).toBe(`${join(dir, 'tiny.json')}: 1 token beside the special ones; at least 2 are needed`);
    for (const message of [refusal(() => Tokenizer.fromJson('{'))]) expect(message).not.toMatch(/\n/);
  });
});
