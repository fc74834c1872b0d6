import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { corpusFingerprint, CorpusError, readCorpus, TINYSTORIES_TRAIN_FILE, TINYSTORIES_VALID_FILE } from '../../../src-main/engine/text/corpus';
import { STORIES_DESCRIPTION, storiesCorpus } from '../../../src-main/engine/text/stories';
import { tempDir } from './fixtures';

const EOT = '<|endoftext|>';
const sha = (...parts: (string | Buffer)[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

function folder(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const oldData = process.env.SQS_DATA;
afterEach(() => {
  if (oldData === undefined) delete process.env.SQS_DATA;
  else process.env.SQS_DATA = oldData;
});

describe('reading a corpus', () => {
  it('stories: the synthetic corpus, described as such', () => {
    const c = readCorpus('stories');
    expect(c.train).toEqual(storiesCorpus().train);
    expect(c.valid.length).toBe(1000);
    expect(c.source).toBe(STORIES_DESCRIPTION);
    expect(corpusFingerprint('stories')).toEqual({ sha256: c.sha256, source: c.source });
  });

  it('tinystories: the two files under $SQS_DATA/tinystories, documents between <|endoftext|> lines', () => {
    const data = tempDir();
    mkdirSync(join(data, 'tinystories'));
    const train = `One day, a cat sat.\n${EOT}\nLily ran home.\nShe was happy.\n${EOT}\n\n${EOT}\nThe end came.\n`;
    const valid = `A dog barked.\n${EOT}\n`;
    writeFileSync(join(data, 'tinystories', TINYSTORIES_TRAIN_FILE), train);
    writeFileSync(join(data, 'tinystories', TINYSTORIES_VALID_FILE), valid);
    process.env.SQS_DATA = data;
    const c = readCorpus('tinystories');
    expect(c.train).toEqual(['One day, a cat sat.', 'Lily ran home.\nShe was happy.', 'The end came.']);
    expect(c.valid).toEqual(['A dog barked.']);
    const trainBytes = Buffer.from(train);
    const validBytes = Buffer.from(valid);
    expect(c.sha256).toBe(sha(`train ${trainBytes.length}\n`, trainBytes, `valid ${validBytes.length}\n`, validBytes));
    expect(corpusFingerprint('tinystories').sha256).toBe(c.sha256);
  });

  it('tinystories without SQS_DATA says how to provide it', () => {
    delete process.env.SQS_DATA;
    expect(() => readCorpus('tinystories')).toThrow(/set SQS_DATA to a folder holding tinystories\/TinyStoriesV2-GPT4-train\.txt/);
  });

  it('a folder of train.jsonl and valid.jsonl: the text field of each line', () => {
    const dir = folder({
      'train.jsonl': '{"text": "First story."}\n\n{"text": "Second\\nstory.", "id": 2}\n',
      'valid.jsonl': '{"text":"Held out."}',
    });
    const c = readCorpus(`text:${dir}`);
    expect(c.train).toEqual(['First story.', 'Second\nstory.']);
    expect(c.valid).toEqual(['Held out.']);
    expect(c.source).toBe(`text files in ${dir}`);
  });

  it('a single file: its last 5% of documents, at least one, become validation', () => {
    const docs = Array.from({ length: 45 }, (_, i) => `Document number ${i}.`);
    const dir = folder({ 'all.txt': docs.join(`\n${EOT}\n`), 'two.txt': `a\n${EOT}\nb` });
    const c = readCorpus(`text:${join(dir, 'all.txt')}`);
    expect(c.train).toEqual(docs.slice(0, 43));
    expect(c.valid).toEqual(docs.slice(43));
    expect(readCorpus(`text:${join(dir, 'two.txt')}`)).toMatchObject({ train: ['a'], valid: ['b'] });
    expect(readCorpus(`text:${join(dir, 'all.txt')}`)).toEqual(c);
  });

  it('a text file without <|endoftext|> is split at blank lines', () => {
    const dir = folder({ 'book.txt': 'First paragraph,\nstill first.\n\nSecond.\n \nThird.\n' });
    expect(readCorpus(`text:${join(dir, 'book.txt')}`)).toMatchObject({ train: ['First paragraph,\nstill first.', 'Second.'], valid: ['Third.'] });
  });

  it('reads across its 16 MiB chunks: a separator and a two-byte character cut by a chunk boundary', () => {
    const chunk = 16 * 2 ** 20;
    const first = `${'a'.repeat(chunk - 1)}é`;
    const second = `${'b'.repeat(chunk - 23)}é`;
    const text = `${first}\n${EOT}\n${second}\n${EOT}\nLast.`;
    const bytes = Buffer.from(text);
    expect(bytes.subarray(chunk - 1, chunk + 1).toString()).toBe('é');
    expect(bytes.subarray(2 * chunk - 4, 2 * chunk + 4).toString()).toBe('<|endoft');
    const dir = folder({ 'big.txt': text });
    const c = readCorpus(`text:${join(dir, 'big.txt')}`);
    expect(c.train.map((d) => d.length)).toEqual([first.length, second.length]);
    expect(c.train[0].endsWith('aé') && c.train[1].endsWith('bé')).toBe(true);
    expect(c.valid).toEqual(['Last.']);
  });

  it('refuses bad input in one line naming the file', () => {
    const dir = folder({
      'empty.txt': '',
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
      'bad.jsonl': '{"text": "fine"}\n{"title": "no text"}\n',
      'number.jsonl': '{"text": "fine"}\n\n{"text": 3}\n',
      'broken.jsonl': '{"text": "fine"}\n{"text": \n',
      'blank.txt': `\n${EOT}\n  \n${EOT}\n`,
      'one.txt': 'Just one document.',
    });
    const cases: [string, string][] = [
      [`text:${join(dir, 'missing.txt')}`, `${join(dir, 'missing.txt')}: missing`],
      [`text:${join(dir, 'empty.txt')}`, `${join(dir, 'empty.txt')}: empty`],
      [`text:${join(dir, 'latin1.txt')}`, `${join(dir, 'latin1.txt')}: not UTF-8 text`],
      [`text:${join(dir, 'bad.jsonl')}`, `${join(dir, 'bad.jsonl')} line 2: no string "text" field`],
      [`text:${join(dir, 'number.jsonl')}`, `${join(dir, 'number.jsonl')} line 3: no string "text" field`],
      [`text:${join(dir, 'broken.jsonl')}`, `${join(dir, 'broken.jsonl')} line 2: not JSON`],
      [`text:${join(dir, 'blank.txt')}`, `${join(dir, 'blank.txt')}: no documents (only whitespace and ${EOT})`],
      [`text:${join(dir, 'one.txt')}`, `${join(dir, 'one.txt')}: one document; at least two are needed to hold the last out for validation`],
      [`text:${dir}`, `${join(dir, 'train.txt')}: missing (nor is there a train.jsonl)`],
      ['nonsense', "corpus 'nonsense' is not one of stories, tinystories, text:<file|dir>"],
    ];
    for (const [spec, message] of cases) {
      let error: unknown;
      try {
        readCorpus(spec);
      } catch (e) {
        error = e;
      }
      expect(error, spec).toBeInstanceOf(CorpusError);
      expect((error as Error).message).toBe(message);
    }
  });

  it('a folder with a split in both formats is refused', () => {
    const dir = folder({ 'train.txt': 'a', 'train.jsonl': '{"text":"a"}', 'valid.txt': 'b' });
    expect(() => readCorpus(`text:${dir}`)).toThrow(`${dir}: holds both train.txt and train.jsonl; keep one`);
  });
});
