import { describe, expect, it } from 'vitest';
import { generateStories, STORIES_DESCRIPTION, storiesCorpus } from '../../../src-main/engine/text/stories';

describe('the synthetic stories', () => {
  it('are the same text for the same seed, other text for another', () => {
    expect(generateStories(50, 3)).toEqual(generateStories(50, 3));
    expect(generateStories(50, 4)).not.toEqual(generateStories(50, 3));
  });

  it('make a corpus of 20,000 training and 1,000 validation stories', () => {
    const { train, valid } = storiesCorpus();
    expect(train.length).toBe(20_000);
    expect(valid.length).toBe(1_000);
    expect(new Set(valid).size).toBeGreaterThan(990);
  });

  it('tell stories of 4 to 11 sentences, with names, dialogue and punctuation', () => {
    const stories = generateStories(500, 1);
    for (const s of stories) {
      // a quote followed by who said it is one sentence: "Hi!" Tom said.
      const sentences = s.replace(/"[^"]*" [A-Z]\w* \w+\./g, 'Q.').match(/[.!?]"?(\s|$)/g) ?? [];
      expect(sentences.length, s).toBeGreaterThanOrEqual(4);
      expect(sentences.length, s).toBeLessThanOrEqual(11);
      expect(s).toMatch(/^[A-Z"]/);
      expect((s.match(/"/g) ?? []).length % 2, s).toBe(0);
    }
    expect(stories.filter((s) => s.includes('"')).length).toBeGreaterThan(250);
    expect(stories.filter((s) => s.includes('\n\n')).length).toBeGreaterThan(20);
    expect(new Set(stories.map((s) => s.split(/\W+/)[0])).size).toBeGreaterThan(5);
  });

  it('are described as synthetic', () => {
    expect(STORIES_DESCRIPTION).toMatch(/synthetic/);
    expect(STORIES_DESCRIPTION).not.toMatch(/\n/);
  });
});
