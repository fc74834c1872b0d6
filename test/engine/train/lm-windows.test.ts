// A language model's context windows: targets are the ids shifted by one, each step's windows
// depend only on (seed, step) so a resumed run draws what an uninterrupted one would, and the
// validation windows are fixed, consecutive and non-overlapping.
import { describe, expect, it } from 'vitest';
import { allocBatch, MAX_VAL_WINDOWS, trainWindows, validationWindows } from '../../../src-main/engine/train/lm-windows';
import { drawToken } from '../../../src-main/engine/train/lm-sample';
import { Rng } from '../../../src-main/engine/util/rng';

const tokens = Uint16Array.from({ length: 1000 }, (_, i) => (i * 7) % 50);

describe('training windows', () => {
  it('holds ctx ids and the next token of each as its target', () => {
    const b = trainWindows(tokens, 8, 3, 1, allocBatch(4, 8));
    for (let r = 0; r < 4; r++) {
      const ids = [...b.ids.subarray(r * 8, r * 8 + 8)].map(Number);
      const targets = [...b.targets.subarray(r * 8, r * 8 + 8)].map(Number);
      const start = tokens.indexOf(ids[0]); // the sequence is periodic: find the window by its content
      expect(start).toBeGreaterThanOrEqual(0);
      expect(targets.slice(0, 7)).toEqual(ids.slice(1));
      expect(targets[7]).toBe((ids[7] + 7) % 50);
    }
  });

  it('depends on the seed and the step only, not on what was drawn before', () => {
    const fresh = trainWindows(tokens, 8, 3, 17, allocBatch(4, 8));
    const after = allocBatch(4, 8);
    for (let s = 1; s <= 17; s++) trainWindows(tokens, 8, 3, s, after);
    expect(after.ids).toEqual(fresh.ids);
    expect(trainWindows(tokens, 8, 3, 18, allocBatch(4, 8)).ids).not.toEqual(fresh.ids);
    expect(trainWindows(tokens, 8, 4, 17, allocBatch(4, 8)).ids).not.toEqual(fresh.ids);
  });

  it('reaches every start, the last one included', () => {
    const short = Uint16Array.from([0, 1, 2, 3, 4]);
    const seen = new Set<number>();
    for (let s = 1; s <= 200; s++) seen.add(Number(trainWindows(short, 3, 0, s, allocBatch(1, 3)).ids[0]));
    expect([...seen].sort()).toEqual([0, 1]);
  });

  it('refuses a split shorter than one window', () => {
    expect(() => trainWindows(Uint16Array.from([1, 2, 3]), 3, 0, 1, allocBatch(1, 3))).toThrow('the training split holds 3 tokens, fewer than one window of 4');
  });
});

describe('validation windows', () => {
  it('are consecutive, non-overlapping and at most MAX_VAL_WINDOWS', () => {
    const v = validationWindows(tokens, 10);
    expect(v.rows).toBe(Math.min(MAX_VAL_WINDOWS, 99));
    expect(Number(v.ids[10])).toBe(tokens[10]);
    expect(Number(v.targets[9])).toBe(tokens[10]);
    expect(() => validationWindows(Uint16Array.from([1, 2]), 4)).toThrow('the validation split holds 2 tokens, fewer than one window of 5');
  });
});

describe('drawing a token', () => {
  const logits = Float32Array.from([1, 3, 2, -1]);

  it('takes the most likely token at temperature 0', () => {
    expect(drawToken(logits, 0, 0, new Rng(0, 1))).toBe(1);
  });

  it('draws with the softmax probabilities at temperature 1', () => {
    const rng = new Rng(5, 1);
    const counts = [0, 0, 0, 0];
    const n = 40_000;
    for (let i = 0; i < n; i++) counts[drawToken(logits, 1, 0, rng)]++;
    const z = [...logits].reduce((s, l) => s + Math.exp(l), 0);
    counts.forEach((c, i) => expect(c / n).toBeCloseTo(Math.exp(logits[i]) / z, 2));
  });

  it('never draws outside the top k', () => {
    const rng = new Rng(6, 1);
    for (let i = 0; i < 2000; i++) expect([1, 2]).toContain(drawToken(logits, 5, 2, rng));
  });
});
