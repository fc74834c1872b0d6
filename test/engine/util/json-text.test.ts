// Messages about text that is not JSON say where it fails, never what the text holds.
import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../../src-main/engine/util/json-text';

const problem = (text: string) => {
  const r = parseJsonText(text);
  if (r.ok) throw new Error('parsed');
  return r.problem;
};

describe('parseJsonText', () => {
  it('parses JSON', () => {
    expect(parseJsonText('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it('names the line and column of the fault, counted from 1', () => {
    // position 8 is the closing brace after the trailing comma, on the first line
    expect(problem('{"a": 1,}')).toBe('not valid JSON (at line 1, column 9)');
    expect(problem('{\n  "a": 1,\n}')).toBe('not valid JSON (at line 3, column 1)');
    expect(problem('{"a":1} junk')).toBe('not valid JSON (at line 1, column 9)');
  });

  it('says when the text ends too early', () => {
    expect(problem('')).toBe('not valid JSON (it ends too early)');
    expect(problem('{"a": [1')).toMatch(/^not valid JSON \((it ends too early|at line 1, column 9)\)$/);
  });

  it('never quotes the text, however the parser worded it', () => {
    for (const secret of ['root:x:0:0:root:/root:/bin/bash', 'SECRET_TOKEN=abc123', '[object Object]', 'password 123abc']) {
      expect(problem(secret)).not.toMatch(/root|SECRET|abc|object|password|'/);
    }
  });
});
