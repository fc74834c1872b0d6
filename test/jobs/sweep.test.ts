import { describe, expect, it } from 'vitest';
import { expandGrid } from '../../src-main/jobs/sweep';

describe('expandGrid', () => {
  it('gives every combination, first axis slowest', () => {
    expect(expandGrid([{ key: 'gate', values: ['bilinear', 'sqs'] }, { key: 'seed', values: ['0', '1', '2'] }])).toEqual([
      { gate: 'bilinear', seed: '0' },
      { gate: 'bilinear', seed: '1' },
      { gate: 'bilinear', seed: '2' },
      { gate: 'sqs', seed: '0' },
      { gate: 'sqs', seed: '1' },
      { gate: 'sqs', seed: '2' },
    ]);
    expect(expandGrid([])).toEqual([{}]);
  });
});
