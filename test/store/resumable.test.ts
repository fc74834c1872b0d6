// Which runs can be put back in the queue: queued, interrupted, failed and cancelled ones (from
// their last checkpoint), but not a run cancelled while running whose job has not stopped yet,
// nor a completed, diverged or running one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src-main/engine/train/config';
import { cancelRun, createRun, finishRun, getRun, markRunning, requeueRun, RESUMABLE, type RunStatus } from '../../src-main/store/runs';
import type { Workspace } from '../../src-main/store/workspace';
import { tempWorkspace } from './store-fixtures';

let ws: Workspace;
beforeAll(() => (ws = tempWorkspace()));
afterAll(() => ws.close());

const runThatEnded = (status: RunStatus): number => {
  const id = createRun(ws, { config: DEFAULT_CONFIG });
  markRunning(ws, id);
  finishRun(ws, id, status);
  return id;
};

describe('requeueRun', () => {
  it('queues again every run that stopped before its end, and a queued one', () => {
    expect([...RESUMABLE].sort()).toEqual(['cancelled', 'failed', 'interrupted', 'queued']);
    for (const status of ['interrupted', 'failed', 'cancelled'] as const) {
      const id = runThatEnded(status);
      expect(requeueRun(ws, id), status).toBe(true);
      expect(getRun(ws, id)).toMatchObject({ status: 'queued', ended_at: null });
    }
    const queued = createRun(ws, { config: DEFAULT_CONFIG });
    expect(cancelRun(ws, queued)).toBe(true); // a queued run is cancelled at once, with its end time
    expect(getRun(ws, queued).ended_at).not.toBeNull();
    expect(requeueRun(ws, queued)).toBe(true);
    expect(requeueRun(ws, queued)).toBe(true);
  });

  it('leaves a run cancelled while running alone until its job has stopped', () => {
    const id = createRun(ws, { config: DEFAULT_CONFIG });
    markRunning(ws, id);
    expect(cancelRun(ws, id)).toBe(true);
    expect(getRun(ws, id)).toMatchObject({ status: 'cancelled', ended_at: null });
    expect(requeueRun(ws, id)).toBe(false);
    finishRun(ws, id, 'cancelled');
    expect(requeueRun(ws, id)).toBe(true);
  });

  it('refuses completed, diverged and running runs', () => {
    for (const status of ['completed', 'diverged'] as const) expect(requeueRun(ws, runThatEnded(status)), status).toBe(false);
    const running = createRun(ws, { config: DEFAULT_CONFIG });
    markRunning(ws, running);
    expect(requeueRun(ws, running)).toBe(false);
    expect(getRun(ws, running).status).toBe('running');
  });
});
