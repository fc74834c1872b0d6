// The atlas calls through the service, on real tiny runs: analysis in a worker thread with progress
// events (also over the web host's event stream), the atlas read back, and each refusal with its
// code and a message that names the valid range or the reason.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiEvent } from '../../src-main/common/contract';
import { createService, type Service } from '../../src-main/api/service';
import { loadDigits } from '../../src-main/engine/data/digits';
import { startWebHost } from '../../src-main/hosts/web/server';
import { EventLog, failure, TINY, tempWorkspace } from './service-helpers';

const analysisEvents = (log: EventLog, runId: number) => log.of(runId, 'analysis') as Extract<ApiEvent, { type: 'analysis' }>[];

describe('atlas calls', () => {
  let service: Service;
  let workspace: string;
  const log = new EventLog();
  let bilinear = 0;
  let sqs = 0;
  let relu = 0;

  beforeAll(async () => {
    workspace = tempWorkspace();
    service = createService({ workspaceDir: workspace });
    service.on(log.push);
    bilinear = (await service.call('train.start', { config: { ...TINY, gate: 'bilinear' } })).runId;
    sqs = (await service.call('train.start', { config: { ...TINY, gate: 'sqs' } })).runId;
    relu = (await service.call('train.start', { config: { ...TINY, gate: 'relu-mlp', epochs: 1 } })).runId;
    // a run still queued behind the others cannot be analysed
    expect(await failure(service.call('atlas.analyze', { id: relu }))).toMatchObject({ code: 'bad_request' });
    expect(await service.call('atlas.status', { id: sqs })).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/queued|training/) });
    expect(await failure(service.call('atlas.analyze', { id: sqs }))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/queued|training/) });
    for (const id of [bilinear, sqs, relu]) expect(await log.finalStatus(id)).toMatchObject({ status: 'completed' });
  });
  afterAll(() => service.close());

  it('analyses a run in the background: missing → analyzing (with progress) → ready', async () => {
    expect(await service.call('atlas.status', { id: bilinear })).toEqual({ runId: bilinear, state: 'missing', reason: null, progress: null });
    expect(await failure(service.call('atlas.get', { id: bilinear }))).toMatchObject({ code: 'conflict', message: expect.stringContaining('atlas.analyze') });
    const started = await service.call('atlas.analyze', { id: bilinear });
    expect(started).toMatchObject({ runId: bilinear, state: 'analyzing', reason: null, progress: { stage: expect.any(String), fraction: expect.any(Number) } });
    // asking again while it runs starts nothing new
    expect((await service.call('atlas.analyze', { id: bilinear })).state).toBe('analyzing');
    expect((await service.call('atlas.status', { id: bilinear })).state).toBe('analyzing');
    expect(await failure(service.call('runs.delete', { id: bilinear }))).toMatchObject({ code: 'conflict', message: expect.stringContaining('analysed') });
    const end = await log.until((e) => e.type === 'analysis' && e.runId === bilinear && e.state !== 'analyzing', 'end of the analysis');
    expect(end).toMatchObject({ type: 'analysis', runId: bilinear, state: 'ready', fraction: 1, error: null });

    const events = analysisEvents(log, bilinear);
    const moving = events.filter((e) => e.state === 'analyzing');
    expect(moving.length).toBeGreaterThanOrEqual(3);
    expect(new Set(moving.map((e) => e.stage)).size).toBeGreaterThanOrEqual(3);
    moving.forEach((e, i) => i > 0 && expect(e.fraction).toBeGreaterThanOrEqual(moving[i - 1].fraction));
    expect(events.at(-1)!.state).toBe('ready');
    expect(await service.call('atlas.status', { id: bilinear })).toEqual({ runId: bilinear, state: 'ready', reason: null, progress: null });
    // ready: analysing again is a no-op
    const before = log.events.length;
    expect((await service.call('atlas.analyze', { id: bilinear })).state).toBe('ready');
    expect(log.events.length).toBe(before);
  });

  it('reads the atlas, a feature, examples and an explanation', async () => {
    const atlas = await service.call('atlas.get', { id: bilinear });
    expect(atlas).toMatchObject({ runId: bilinear, gate: 'bilinear', exact: true, d: 16, dIn: 784, imageShape: [28, 28] });
    expect(atlas.runName).toMatch(/^bilinear-/);
    expect(atlas.classes).toHaveLength(10);
    for (const c of atlas.classes) {
      expect(c.positive.length).toBeLessThanOrEqual(6);
      expect(c.positive.length + c.negative.length).toBeGreaterThan(0);
      expect(c.eigenvalues).toHaveLength(16);
    }
    expect((await service.call('atlas.get', { id: bilinear, count: 2 })).classes[0].positive.length).toBeLessThanOrEqual(2);

    const rank = atlas.classes[4].positive[0].rank;
    const fd = await service.call('atlas.feature', { id: bilinear, class: 4, rank });
    expect(fd.feature).toEqual(atlas.classes[4].positive[0]);
    expect(fd.topExamples).toHaveLength(8);
    expect(fd.classLogits[4]).toBeCloseTo(fd.feature.eigenvalue, 5);

    const test = loadDigits().test;
    const ex = await service.call('atlas.examples', { id: bilinear, indices: [0, 42] });
    expect(ex.map((e) => [e.index, e.label])).toEqual([
      [0, test.y[0]],
      [42, test.y[42]],
    ]);

    const e = await service.call('atlas.explain', { id: bilinear, input: { testIndex: 42 } });
    expect(e.components).toHaveLength(8);
    expect(e.label).toBe(test.y[42]);
    e.modelLogits.forEach((m, c) => expect(Math.abs(e.surrogateLogits[c] - m)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(m))));
    const listed = e.components.reduce((s, c) => s + c.contribution, 0);
    expect(listed + e.remainder).toBeCloseTo(e.surrogateLogits[e.class], 10);
    const byPixels = await service.call('atlas.explain', { id: bilinear, input: { pixels: ex[1].pixels }, class: 3, count: 2 });
    expect(byPixels).toMatchObject({ class: 3, label: null });
    expect(byPixels.modelLogits).toEqual(e.modelLogits);
  });

  it('compares runs from their weights, analysed or not', async () => {
    const self = await service.call('atlas.compare', { a: bilinear, b: bilinear });
    expect(self.count).toBe(8);
    for (const c of self.classes) c.matches.forEach((m, i) => expect([m.rankA, m.rankB, Math.round(m.similarity * 1e9) / 1e9]).toEqual([i + 1, i + 1, 1]));
    const other = await service.call('atlas.compare', { a: bilinear, b: sqs, count: 3 });
    expect(other).toMatchObject({ a: { runId: bilinear, gate: 'bilinear' }, b: { runId: sqs, gate: 'sqs' }, count: 3 });
    expect(other.byAssignment).toHaveLength(3);
    expect((await service.call('atlas.status', { id: sqs })).state).toBe('missing'); // comparing analysed nothing
  });

  it('refuses unknown runs, classes, ranks, examples and pixels with the valid range', async () => {
    for (const call of [service.call('atlas.status', { id: 999 }), service.call('atlas.analyze', { id: 999 }), service.call('atlas.get', { id: 999 }), service.call('atlas.compare', { a: bilinear, b: 999 })]) {
      expect(await failure(call)).toMatchObject({ code: 'not_found', message: expect.stringContaining('run 999 does not exist') });
    }
    expect(await failure(service.call('atlas.feature', { id: bilinear, class: 10, rank: 1 }))).toEqual({ code: 'bad_request', message: 'class 10 is out of range: this run has 10 classes (0 to 9)' });
    expect(await failure(service.call('atlas.feature', { id: bilinear, class: 1, rank: 17 }))).toEqual({ code: 'bad_request', message: 'rank 17 is out of range: class 1 has 16 components (ranks 1 to 16)' });
    expect(await failure(service.call('atlas.examples', { id: bilinear, indices: [2000] }))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('0 to 1999') });
    expect(await failure(service.call('atlas.explain', { id: bilinear, input: { pixels: [0, 1, 0] } }))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('784') });
    expect(await failure(service.call('atlas.explain', { id: bilinear, input: { testIndex: 0 }, class: 12 }))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('0 to 9') });
    expect(await failure(service.call('atlas.explain', { id: bilinear, input: { pixels: [Number.NaN] } }))).toMatchObject({ code: 'bad_request' });
  });

  it('a relu-mlp run has no atlas, and says why', async () => {
    const status = await service.call('atlas.status', { id: relu });
    expect(status).toMatchObject({ state: 'unavailable', reason: expect.stringContaining('no gate product') });
    expect(await failure(service.call('atlas.analyze', { id: relu }))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('no gate product') });
    expect(await failure(service.call('atlas.get', { id: relu }))).toMatchObject({ code: 'conflict', message: expect.stringContaining('no gate product') });
    expect(await failure(service.call('atlas.compare', { a: bilinear, b: relu }))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('relu-mlp') });
  });

  it('a damaged analysis reads as missing with the reason, and analysing again repairs it', async () => {
    const dir = join(workspace, 'runs', String(bilinear));
    const keep = join(tempWorkspace(), 'analysis');
    cpSync(join(dir, 'analysis'), keep, { recursive: true });
    rmSync(join(dir, 'analysis', 'spectra.safetensors'));
    cpSync(join(keep, 'summary.json'), join(dir, 'analysis', 'spectra.safetensors'));
    const status = await service.call('atlas.status', { id: bilinear });
    expect(status).toMatchObject({ state: 'missing', reason: expect.stringContaining('spectra.safetensors') });
    await service.call('atlas.analyze', { id: bilinear });
    const n = analysisEvents(log, bilinear).length;
    await log.until((e) => e.type === 'analysis' && e.runId === bilinear && e.state === 'ready' && analysisEvents(log, bilinear).indexOf(e) >= n, 'repaired analysis');
    expect((await service.call('atlas.get', { id: bilinear, count: 1 })).classes).toHaveLength(10);
  });
});

describe('atlas events over the web host', () => {
  it('an analysis started over HTTP reports its progress on the event stream', async () => {
    // the API alone: no renderer is served
    const host = await startWebHost({ workspaceDir: tempWorkspace(), staticDir: join(tempWorkspace(), 'no-renderer') });
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`, { origin: host.url.slice(0, -1) });
      const log = new EventLog();
      socket.on('message', (data) => log.push(JSON.parse(String(data)) as ApiEvent));
      await new Promise((ok, fail) => socket.once('open', ok).once('error', fail));
      const call = async (method: string, body: unknown): Promise<any> => {
        const res = await fetch(`${host.url}api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status, await res.clone().text()).toBe(200);
        return res.json();
      };
      const { runId } = await call('train.start', { config: { ...TINY, epochs: 1 } });
      await log.finalStatus(runId);
      expect(await call('atlas.analyze', { id: runId })).toMatchObject({ state: 'analyzing' });
      await log.until((e) => e.type === 'analysis' && e.runId === runId && e.state === 'ready', 'analysis ready over the socket');
      expect(analysisEvents(log, runId).filter((e) => e.state === 'analyzing').length).toBeGreaterThanOrEqual(2);
      expect((await call('atlas.get', { id: runId, count: 1 })).classes).toHaveLength(10);
      socket.close();
    } finally {
      await host.close();
    }
  });
});
