import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorpusError, readCorpus } from '../../../src-main/engine/text/corpus';
import { decodeTokenCache, encodeTokenCache, tokenCachePath, tokenizedCorpus, unigramEntropy } from '../../../src-main/engine/text/token-cache';
import { tempDir, trainedTokenizer } from './fixtures';

const EOT = '<|endoftext|>';

function textFolder(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'train.txt'), ['The cat sat.', 'A dog ran to the park.', 'The end.'].join(`\n${EOT}\n`));
  writeFileSync(join(dir, 'valid.txt'), `The dog sat.\n${EOT}\nA cat ran.`);
  return dir;
}

describe('the token cache', () => {
  it('holds the documents joined by the end-of-text id, in Uint16 for a small vocabulary', async () => {
    const dir = textFolder();
    const spec = `text:${dir}`;
    const corpus = readCorpus(spec);
    const tok = trainedTokenizer(corpus.train, 36);
    const t = await tokenizedCorpus(spec, tok, join(dir, 'cache'));
    expect(t.train).toBeInstanceOf(Uint16Array);
    const expected = async (docs: string[]): Promise<number[]> => (await tok.encodeBatch(docs)).flatMap((ids, i) => (i === 0 ? [...ids] : [0, ...ids]));
    expect(Array.from(t.train)).toEqual(await expected(corpus.train));
    expect(Array.from(t.valid)).toEqual(await expected(corpus.valid));
    expect(t).toMatchObject({ trainDocs: 3, validDocs: 2, vocabSize: 36, eotId: 0, corpusSha256: corpus.sha256, tokenizerSha256: tok.sha256, reused: false });
    expect(t.path).toBe(tokenCachePath(join(dir, 'cache'), corpus.sha256, tok.sha256));
    expect(statSync(t.path).size).toBe(144 + 2 * (t.train.length + t.valid.length));
    expect(readdirSync(join(dir, 'cache'))).toEqual([t.path.split('/').pop()]);
  });

  it('is reused by the next call, and rebuilt when truncated or damaged', async () => {
    const dir = textFolder();
    const spec = `text:${dir}`;
    const cache = join(dir, 'cache');
    const tok = trainedTokenizer(readCorpus(spec).train, 36);
    const first = await tokenizedCorpus(spec, tok, cache);
    const bytes = readFileSync(first.path);
    const mtime = statSync(first.path).mtimeMs;

    const second = await tokenizedCorpus(spec, tok, cache);
    expect(second.reused).toBe(true);
    expect(statSync(first.path).mtimeMs).toBe(mtime);
    expect(Array.from(second.train)).toEqual(Array.from(first.train));
    expect(Array.from(second.valid)).toEqual(Array.from(first.valid));

    truncateSync(first.path, bytes.length - 2);
    const third = await tokenizedCorpus(spec, tok, cache);
    expect(third.reused).toBe(false);
    expect(readFileSync(first.path)).toEqual(bytes);

    const damaged = Buffer.from(bytes);
    damaged[150] ^= 1;
    writeFileSync(first.path, damaged);
    expect((await tokenizedCorpus(spec, tok, cache)).reused).toBe(false);
    expect(readFileSync(first.path)).toEqual(bytes);

    writeFileSync(first.path, 'not a cache');
    expect((await tokenizedCorpus(spec, tok, cache)).reused).toBe(false);
  });

  it('keys the file by corpus and tokenizer', async () => {
    const dir = textFolder();
    const spec = `text:${dir}`;
    const cache = join(dir, 'cache');
    const docs = readCorpus(spec).train;
    const a = await tokenizedCorpus(spec, trainedTokenizer(docs, 36), cache);
    const b = await tokenizedCorpus(spec, trainedTokenizer(docs, 32), cache);
    expect(b.reused).toBe(false);
    expect(b.path).not.toBe(a.path);
    writeFileSync(join(dir, 'valid.txt'), 'Something else.');
    expect((await tokenizedCorpus(spec, trainedTokenizer(docs, 36), cache)).reused).toBe(false);
    expect(readdirSync(cache)).toHaveLength(3);
  });

  it('writes nothing when the corpus cannot be read', async () => {
    const dir = textFolder();
    const tok = trainedTokenizer(readCorpus(`text:${dir}`).train, 36);
    writeFileSync(join(dir, 'valid.txt'), Buffer.from([0xff, 0xfe, 0x41]));
    const cache = join(dir, 'cache');
    await expect(tokenizedCorpus(`text:${dir}`, tok, cache)).rejects.toThrow(new CorpusError(`${join(dir, 'valid.txt')}: not UTF-8 text`));
    await expect(tokenizedCorpus(`text:${join(dir, 'gone')}`, tok, cache)).rejects.toThrow(`${join(dir, 'gone')}: missing`);
    expect(existsSync(cache)).toBe(false);
  });

  it('caches the synthetic stories, whose unigram entropy is far below uniform', async () => {
    const cache = join(tempDir(), 'cache');
    const tok = trainedTokenizer(readCorpus('stories').train, 4096);
    const t = await tokenizedCorpus('stories', tok, cache);
    expect(t.trainDocs).toBe(20_000);
    const h = unigramEntropy(t.train, t.vocabSize);
    expect(h).toBeGreaterThan(3);
    expect(h).toBeLessThan(Math.log(t.vocabSize));
    expect((await tokenizedCorpus('stories', tok, cache)).reused).toBe(true);
  });
});

describe('the cache format', () => {
  const corpusSha = 'a'.repeat(64);
  const tokSha = 'b'.repeat(64);

  it('stores a vocabulary over 65,536 tokens as Uint32, and reads back only for the same inputs', () => {
    const payload = { train: new Uint32Array([70_000, 0, 65_536]), valid: new Uint32Array([1]), trainDocs: 2, validDocs: 1 };
    const file = encodeTokenCache(payload, corpusSha, tokSha, 70_001);
    expect(file.length).toBe(144 + 4 * 4);
    expect(Buffer.from(file.subarray(0, 8)).toString('latin1')).toBe('SQSTOKNS');
    const back = decodeTokenCache(file, corpusSha, tokSha, 70_001)!;
    expect(back.train).toBeInstanceOf(Uint32Array);
    expect(Array.from(back.train)).toEqual([70_000, 0, 65_536]);
    expect(Array.from(back.valid)).toEqual([1]);
    expect(decodeTokenCache(file, tokSha, tokSha, 70_001)).toBeNull();
    expect(decodeTokenCache(file, corpusSha, corpusSha, 70_001)).toBeNull();
    expect(decodeTokenCache(file, corpusSha, tokSha, 70_000)).toBeNull();
    expect(decodeTokenCache(file.slice(0, 100), corpusSha, tokSha, 70_001)).toBeNull();
  });
});

describe('unigram entropy', () => {
  it('is −Σ p ln p of the token frequencies, in nats', () => {
    expect(unigramEntropy(new Uint16Array([0, 1, 2, 3]), 4)).toBeCloseTo(Math.log(4), 12);
    expect(unigramEntropy(new Uint16Array([5, 5, 5, 5]), 8)).toBe(0);
    expect(unigramEntropy(new Uint32Array([0, 0, 0, 1]), 2)).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 12);
    expect(() => unigramEntropy(new Uint16Array([2]), 2)).toThrow(RangeError);
  });
});
