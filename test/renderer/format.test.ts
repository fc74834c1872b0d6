// Spans of time as the run page says them: seconds, minutes and seconds, hours and minutes.
import { describe, expect, it } from 'vitest';
import { duration } from '../../src-renderer/src/lib/format';

describe('duration', () => {
  it('says a span of time as people do', () => {
    const cases: [number, string][] = [
      [0, '0.0 s'],
      [0.43, '0.4 s'],
      [0.96, '1 s'],
      [42.4, '42 s'],
      [59.6, '1 min'],
      [72, '1 min 12 s'],
      [120, '2 min'],
      [3599, '59 min 59 s'],
      [3600, '1 h'],
      [3900, '1 h 5 min'],
      [7170, '2 h'], // 119.5 min rounds to 2 h
      [-3, '0.0 s'],
    ];
    for (const [s, said] of cases) expect(duration(s), String(s)).toBe(said);
  });
});
