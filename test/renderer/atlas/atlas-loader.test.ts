// A run's atlas state against a fake Api: a missing analysis started as the run is opened, followed
// by its events to a loaded atlas; a failed one left for the user to start again; an older answer never overwrites a newer event; a run that cannot be
// analysed says why; a failed analysis says what went wrong; and a request that is overtaken
// by a newer one leaves no trace.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, Atlas, AtlasStatus } from '../../../src-main/common/contract';
import { svelteLoader } from '../charts/svelte-ssr';
import { FakeApi } from '../fake-api';

type LoaderModule = typeof import('../../../src-renderer/src/lib/atlas/atlas-loader.svelte');
type RequestModule = typeof import('../../../src-renderer/src/lib/atlas/request.svelte');

const settle = () => new Promise((r) => setTimeout(r, 0));
const status = (state: AtlasStatus['state'], reason: string | null = null, progress: AtlasStatus['progress'] = null): AtlasStatus => ({ runId: 4, state, reason, progress });
const atlas = { runId: 4, classes: [] } as unknown as Atlas;
const event = (state: AtlasStatus['state'], stage = '', fraction = 0, error: string | null = null): ApiEvent => ({ type: 'analysis', runId: 4, state, stage, fraction, error });

describe('atlas loader', () => {
  let m: LoaderModule;
  let r: RequestModule;
  beforeAll(async () => {
    const svelte = await svelteLoader();
    m = await svelte.load<LoaderModule>('src-renderer/src/lib/atlas/atlas-loader.svelte.ts');
    r = await svelte.load<RequestModule>('src-renderer/src/lib/atlas/request.svelte.ts');
    await svelte.close();
  });

  it('starts the analysis of a run never analysed as soon as it is opened, follows its events, and loads the atlas once with every class', async () => {
    let state = status('missing');
    const api = new FakeApi({
      'atlas.status': () => state,
      'atlas.analyze': () => (state = status('analyzing', null, { stage: 'queued', fraction: 0 })),
      'atlas.get': () => atlas,
    });
    const loader = new m.AtlasLoader(api, 4);
    const stop = loader.start();
    await settle();
    expect(api.calls.map(([method]) => method)).toEqual(['atlas.status', 'atlas.analyze']);
    expect(loader.state).toBe('analyzing');
    api.emit(event('analyzing', 'eigendecomposition', 0.4));
    api.emit({ ...event('analyzing', 'ignored', 0.9), runId: 5 });
    expect(loader.status?.progress).toEqual({ stage: 'eigendecomposition', fraction: 0.4 });
    api.emit(event('ready', 'done', 1));
    await settle();
    expect(loader.atlas).toBe(atlas);
    expect(api.calls.filter(([method]) => method === 'atlas.get')).toEqual([['atlas.get', { id: 4, count: m.ATLAS_COUNT }]]);
    stop();
    expect(api.listeners.size).toBe(0);
  });

  it('waits for the user after a failed analysis or over an unreadable one, and when asked not to start', async () => {
    for (const [reason, auto] of [['out of memory', true], [null, false]] as const) {
      const api = new FakeApi({ 'atlas.status': () => status('missing', reason), 'atlas.analyze': () => status('analyzing') });
      const loader = new m.AtlasLoader(api, 4, m.ATLAS_COUNT, auto);
      loader.start();
      await settle();
      expect(loader.state).toBe('missing');
      expect(loader.error).toBe(reason);
      expect(api.calls.map(([method]) => method)).toEqual(['atlas.status']);
      await loader.analyze();
      expect(loader.state).toBe('analyzing');
    }
  });

  it('keeps an event that arrived before the answer to analyze', async () => {
    let release: () => void = () => {};
    const api = new FakeApi({
      'atlas.status': () => status('missing'),
      'atlas.analyze': () => new Promise<AtlasStatus>((ok) => (release = () => ok(status('analyzing')))),
      'atlas.get': () => atlas,
    });
    const loader = new m.AtlasLoader(api, 4, m.ATLAS_COUNT, false);
    loader.start();
    await settle();
    const asked = loader.analyze();
    api.emit(event('ready', 'done', 1));
    release();
    await asked;
    await settle();
    expect(loader.state).toBe('ready');
    expect(loader.atlas).toBe(atlas);
  });

  it('says why a run cannot be analysed, and why an analysis failed', async () => {
    const api = new FakeApi({ 'atlas.status': () => status('unavailable', 'a ReLU MLP has no gate product to decompose') });
    const loader = new m.AtlasLoader(api, 4);
    loader.start();
    await settle();
    expect(loader.state).toBe('unavailable');
    expect(loader.status?.reason).toMatch(/no gate product/);
    loader.apply({ type: 'analysis', runId: 4, state: 'missing', stage: 'eigendecomposition', fraction: 0.5, error: 'out of memory' });
    expect(loader.state).toBe('missing');
    expect(loader.error).toBe('out of memory');
  });

  it('keeps the latest answer of a request and drops an older one that comes later', async () => {
    const latest = new r.Latest<string>();
    let slow: (v: string) => void = () => {};
    const first = latest.run(() => new Promise<string>((ok) => (slow = ok)));
    await latest.run(async () => 'new');
    slow('old');
    await first;
    expect(latest.value).toBe('new');
    expect(latest.loading).toBe(false);
    await latest.run(async () => {
      throw new Error('run 9 has no analysis');
    });
    expect(latest.error).toBe('run 9 has no analysis');
  });
});
