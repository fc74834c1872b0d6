import { describe, expect, it } from 'vitest';
import { parseTextSpec, textSpecText } from '../../../src-main/engine/text/spec';

describe('text specs', () => {
  it('reads the three forms and writes them back', () => {
    for (const [text, value] of [
      ['stories', { kind: 'stories' }],
      ['tinystories', { kind: 'tinystories' }],
      ['text:/data/my corpus.txt', { kind: 'text', path: '/data/my corpus.txt' }],
      ['text:corpora', { kind: 'text', path: 'corpora' }],
    ] as const) {
      expect(parseTextSpec(text)).toEqual({ ok: true, value });
      expect(textSpecText(value)).toBe(text);
    }
  });

  it('refuses anything else in one line', () => {
    expect(parseTextSpec('digits')).toEqual({ ok: false, error: "'digits' is not one of stories, tinystories, text:<file|dir>" });
    expect(parseTextSpec('text:')).toEqual({ ok: false, error: "'text:' names no file or folder: write text:<file|dir>" });
    expect(parseTextSpec('text:  ')).toMatchObject({ ok: false });
    expect(parseTextSpec('text:a\nb')).toEqual({ ok: false, error: "'text:a b' contains control characters" });
    expect(parseTextSpec('Stories')).toMatchObject({ ok: false });
  });
});
