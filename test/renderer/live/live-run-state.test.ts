// The live run's state against a fake Api: stored metrics merged with incoming events, events
// that arrive during the first load replayed over it, progress, the newest accuracy, how long it
// took, status, cancel and resume.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LmMetricRecord, MetricRecord, RunDetail, RunDiff } from '../../../src-main/common/contract';
import { svelteLoader } from '../charts/svelte-ssr';
import { FakeApi } from '../fake-api';

type RunStateModule = typeof import('../../../src-renderer/src/lib/live/run-state.svelte');
type CompareModule = typeof import('../../../src-renderer/src/lib/live/compare-state.svelte');

const record = (epoch: number, acc: number): MetricRecord => ({ epoch, step: 8 * epoch, train_loss: 1 / epoch, test_loss: 1.1 / epoch, test_accuracy: acc, lr: 1e-3, seconds: epoch });
const detail = (status: RunDetail['run']['status'], epochs_done = 1) =>
  ({ run: { id: 7, name: 'tiny', status, config: { epochs: 3 }, epochs_done, steps_done: 8 * epochs_done, error: null }, tags: [], notes: [], artifacts: [], analysis: null, metrics: [] }) as unknown as RunDetail;

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('live run state', () => {
  let live: RunStateModule;
  let compare: CompareModule;
  beforeAll(async () => {
    const svelte = await svelteLoader();
    live = await svelte.load<RunStateModule>('src-renderer/src/lib/live/run-state.svelte.ts');
    compare = await svelte.load<CompareModule>('src-renderer/src/lib/live/compare-state.svelte.ts');
    await svelte.close();
  });

  it('inserts points in step order, replacing one at the same step', () => {
    const p = (step: number, value: number) => ({ step, epoch: step / 8, value });
    expect(live.insertPoint([p(8, 1), p(24, 3)], p(16, 2)).map((q) => q.step)).toEqual([8, 16, 24]);
    expect(live.insertPoint([p(8, 1), p(16, 2)], p(16, 5))).toEqual([p(8, 1), p(16, 5)]);
    expect(live.insertPoint([], p(8, 1))).toEqual([p(8, 1)]);
  });

  it('merges stored metrics with events that arrive during and after the load', async () => {
    let status: RunDetail['run']['status'] = 'running';
    const api = new FakeApi({
      'runs.show': () => detail(status, status === 'completed' ? 3 : 1),
      'runs.metrics': () => ({ 7: { test_accuracy: [{ step: 8, epoch: 1, value: 0.5 }], train_loss: [{ step: 8, epoch: 1, value: 1 }] } }),
    });
    let open!: () => void;
    api.gate = new Promise((r) => (open = r));
    const run = new live.LiveRun(api, 7);
    const off = run.start();
    // during the load: the first epoch again (already stored), the second, another run's
    api.emit({ type: 'metrics', runId: 7, record: record(1, 0.5) });
    api.emit({ type: 'metrics', runId: 7, record: record(2, 0.7) });
    api.emit({ type: 'metrics', runId: 8, record: record(2, 0.1) });
    api.emit({ type: 'progress', runId: 7, epoch: 2, step: 16, totalSteps: 24, loss: 0.5, etaSeconds: 4 });
    expect(run.series).toEqual({});
    open();
    await settle();
    expect(run.status).toBe('running');
    expect(run.active).toBe(true);
    expect(run.series.test_accuracy.map((p) => [p.epoch, p.value])).toEqual([[1, 0.5], [2, 0.7]]);
    expect(run.series.test_loss.map((p) => p.step)).toEqual([8, 16]);
    expect(run.progress).toEqual({ epoch: 2, step: 16, totalSteps: 24, loss: 0.5, etaSeconds: 4 });
    expect(run.fraction).toBeCloseTo(2 / 3);

    // after the load: the last epoch, then the end
    api.emit({ type: 'progress', runId: 7, epoch: 3, step: 24, totalSteps: 24, loss: 0.3, etaSeconds: 0 });
    api.emit({ type: 'metrics', runId: 7, record: record(3, 0.9) });
    status = 'completed';
    api.emit({ type: 'status', runId: 7, status: 'completed', error: null });
    await settle();
    expect(run.series.test_accuracy.map((p) => p.value)).toEqual([0.5, 0.7, 0.9]);
    expect(run.series.train_loss).toHaveLength(3);
    expect(run.fraction).toBe(1);
    expect(run.active).toBe(false);
    expect(run.detail?.run.epochs_done).toBe(3);

    off();
    api.emit({ type: 'metrics', runId: 7, record: record(4, 1) });
    expect(run.series.test_accuracy).toHaveLength(3);
  });

  it('reads progress from the row before any event, and reports a failed load', async () => {
    const run = new live.LiveRun(new FakeApi({ 'runs.show': () => detail('queued', 1), 'runs.metrics': () => ({ 7: {} }) }), 7);
    await run.load();
    expect(run.fraction).toBeCloseTo(1 / 3);
    expect(run.active).toBe(true);
    const missing = new live.LiveRun(new FakeApi({}), 7);
    await missing.load();
    expect(missing.error).toBe('no handler for runs.show');
  });

  it('cancels: a queued run at once, a running one once its status says so', async () => {
    const api = new FakeApi({ 'runs.cancel': ({ id }) => ({ id, status: 'cancelled' as const }) });
    const run = new live.LiveRun(api, 7);
    run.status = 'queued';
    await run.cancel();
    expect(api.calls).toEqual([['runs.cancel', { id: 7 }]]);
    expect(run.status).toBe('cancelled');
    expect(run.cancelling).toBe(false);
    const stopping = new live.LiveRun(new FakeApi({ 'runs.cancel': ({ id }) => ({ id, status: 'stopping' as const }) }), 7);
    stopping.status = 'running';
    await stopping.cancel();
    expect(stopping.status).toBe('running');
  });

  it('shows the newest test accuracy as evaluations arrive, and how long a completed run took by its own clock', async () => {
    const api = new FakeApi({ 'runs.show': () => detail('running', 1), 'runs.metrics': () => ({ 7: { test_accuracy: [{ step: 8, epoch: 1, value: 0.5 }] } }) });
    const run = new live.LiveRun(api, 7);
    run.start();
    await settle();
    expect(run.latestAccuracy).toEqual({ value: 0.5, epoch: 1 });
    api.emit({ type: 'metrics', runId: 7, record: record(2, 0.75) });
    expect(run.latestAccuracy).toEqual({ value: 0.75, epoch: 2 });
    expect(run.trainedSeconds).toBeNull(); // still training
    run.detail = { ...detail('completed', 3), result: { seconds: 72.4 } } as unknown as RunDetail;
    run.status = 'completed';
    expect(run.trainedSeconds).toBe(72.4);
    run.detail = { ...detail('completed', 3), run: { ...detail('completed', 3).run, started_at: 1000, ended_at: 1090 }, result: null } as unknown as RunDetail;
    expect(run.trainedSeconds).toBe(90);
    run.status = 'cancelled';
    expect(run.trainedSeconds).toBeNull();
  });

  it('resumes a run that stopped before its end, and only such a run', async () => {
    const api = new FakeApi({ 'runs.resume': ({ id }) => ({ id, status: 'queued' as const }) });
    const run = new live.LiveRun(api, 7);
    for (const [status, resumable] of [['cancelled', true], ['interrupted', true], ['failed', true], ['completed', false], ['diverged', false], ['running', false], ['queued', false]] as const) {
      run.status = status;
      expect(run.resumable, status).toBe(resumable);
    }
    run.status = 'cancelled';
    await run.resume();
    expect(api.calls).toEqual([['runs.resume', { id: 7 }]]);
    expect(run.status).toBe('queued');
    expect(run.active).toBe(true);
    const refused = new live.LiveRun(new FakeApi({}), 7);
    refused.status = 'cancelled';
    await refused.resume();
    expect(refused.error).toBe('no handler for runs.resume');
    expect(refused.resuming).toBe(false);
  });

  it('tables the config keys that differ among several runs', () => {
    const d = (b: number, config: RunDiff['config']): RunDiff => ({ a: { id: 1, name: 'a', status: 'completed' }, b: { id: b, name: 'b', status: 'completed' }, config, final: {} as RunDiff['final'] });
    const rows = compare.diffRows([1, 2, 3], [d(2, [{ key: 'seed', a: 0, b: 1 }]), d(3, [{ key: 'lr', a: 0.001, b: 0.01 }, { key: 'seed', a: 0, b: 2 }])]);
    expect(rows).toEqual([
      { key: 'lr', values: [0.001, 0.001, 0.01] },
      { key: 'seed', values: [0, 1, 2] },
    ]);
    expect(compare.diffRows([1, 2], [d(2, [])])).toEqual([]);
    // a classifier's d beside a language model, which has none
    expect(compare.diffRows([1, 2], [d(2, [{ key: 'd', a: 256, b: null }])])).toEqual([{ key: 'd', values: [256, null] }]);
  });

  it("keeps every number of a language model's evaluation and counts its progress in steps", async () => {
    const lmDetail = { ...detail('running'), run: { ...detail('running').run, config: { family: 'lm', steps: 400 }, epochs_done: 1, steps_done: 100 } } as unknown as RunDetail;
    const api = new FakeApi({ 'runs.show': () => lmDetail, 'runs.metrics': () => ({}) });
    const run = new live.LiveRun(api, 7);
    run.start();
    await settle();
    expect(run.isLm).toBe(true);
    expect(run.fraction).toBe(100 / 400);
    const r: LmMetricRecord = { epoch: 2, step: 200, tokens: 51_200, train_loss: 3.1, val_loss: 3.2, val_ppl: Math.exp(3.2), lr: 5e-4, seconds: 10, tokens_per_s: Infinity };
    api.emit({ type: 'metrics', runId: 7, record: r });
    expect(Object.keys(run.series).sort()).toEqual(['lr', 'seconds', 'tokens', 'tokens_per_s', 'train_loss', 'val_loss', 'val_ppl']);
    expect(run.series.val_ppl).toEqual([{ step: 200, epoch: 2, value: Math.exp(3.2) }]);
    // stored as the workspace stores it: a number that is not finite is missing
    expect(run.series.tokens_per_s[0].value).toBeNull();
    expect(run.latest('val_loss')).toEqual({ value: 3.2, epoch: 2 });
    api.emit({ type: 'progress', runId: 7, epoch: 0, step: 300, totalSteps: 400, loss: 3, etaSeconds: 5, tokens: 76_800, tokensPerSecond: 5120 });
    expect(run.progress).toMatchObject({ step: 300, tokens: 76_800, tokensPerSecond: 5120 });
    expect(run.fraction).toBe(300 / 400);
  });
});
