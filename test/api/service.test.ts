// The service against a real temporary workspace and real (tiny) training on worker threads.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src-main/api/service';
import { tempDir, writeIdxFolder } from '../engine/data/idx-fixtures';
import { EventLog, failure, TINY, tempWorkspace } from './service-helpers';

describe('api service', () => {
  let service: Service;
  const log = new EventLog();
  let workspace: string;
  /** what the host's folder dialog answers next (null: cancelled) */
  let chosen: string | null = null;
  const asked: string[] = [];

  beforeAll(() => {
    workspace = tempWorkspace();
    // as the command line opens it: paths are its person's to name; and a folder dialog, as the desktop app's
    service = createService({ workspaceDir: workspace, dataRoots: 'any', chooseFolder: async (purpose) => (asked.push(purpose), chosen) });
    service.on(log.push);
  });
  afterAll(() => service.close());

  it('trains a run, reporting progress, metrics and its final status', async () => {
    const { runId } = await service.call('train.start', { config: TINY, name: 'tiny', tags: ['first'] });
    const final = await log.finalStatus(runId);
    expect(final).toEqual({ type: 'status', runId, status: 'completed', error: null });
    const statuses = log.of(runId, 'status').map((e) => e.type === 'status' && e.status);
    expect(statuses).toEqual(['queued', 'running', 'completed']);

    const progress = log.of(runId, 'progress');
    expect(progress.length).toBeGreaterThan(0);
    const last = progress.at(-1)!;
    // 8,000 training digits in batches of 1024: 8 steps an epoch
    expect(last).toMatchObject({ type: 'progress', runId, epoch: 2, step: 16, totalSteps: 16, etaSeconds: 0 });
    if (last.type === 'progress') expect(Number.isFinite(last.loss)).toBe(true);

    const metrics = log.of(runId, 'metrics');
    expect(metrics.map((e) => e.type === 'metrics' && e.record.epoch)).toEqual([1, 2]);
    const record = metrics[1].type === 'metrics' ? metrics[1].record : null;
    expect(record && 'test_accuracy' in record && record.test_accuracy).toBeGreaterThan(0.5);

    const shown = await service.call('runs.show', { id: runId });
    expect(shown.run).toMatchObject({ id: runId, name: 'tiny', status: 'completed', epochs_done: 2, steps_done: 16 });
    expect(shown.run.config).toMatchObject({ d: 16, h: 16, batch: 1024, epochs: 2, ep: 'cpu', gate: 'bilinear' });
    expect(shown.tags).toEqual(['first']);
    const series = await service.call('runs.metrics', { ids: [runId], names: ['test_accuracy'] });
    expect(series[runId].test_accuracy.map((p) => p.step)).toEqual([8, 16]);
  });

  it('lists, filters, groups and edits runs', async () => {
    const all = await service.call('runs.list', {});
    expect(all.total).toBe(1);
    const id = all.rows[0].id;
    expect((await service.call('runs.tag', { id, tag: 'paper' })).changed).toBe(true);
    expect((await service.call('runs.tag', { id, tag: 'paper' })).changed).toBe(false);
    const tagged = await service.call('runs.list', { filters: ['tag=paper', 'gate=bilinear', 'test_accuracy>=0.5'], sort: '-test_accuracy', groupBy: 'gate' });
    expect(tagged.rows.map((r) => r.id)).toEqual([id]);
    expect(tagged.rows[0].tags).toEqual(['first', 'paper']);
    expect(tagged.groups).toMatchObject([{ key: 'bilinear', count: 1 }]);
    expect((await service.call('runs.list', { filters: ['tag=nothing'] })).total).toBe(0);
    expect((await service.call('runs.untag', { id, tag: 'paper' })).changed).toBe(true);
    expect((await service.call('runs.note', { id, body: 'first try\nlooks fine' })).noteId).toBeGreaterThan(0);
    expect(await service.call('runs.rename', { id, name: 'renamed' })).toEqual({ id, name: 'renamed' });
    expect((await service.call('runs.show', { id })).notes[0].body).toBe('first try\nlooks fine');

    expect(await failure(service.call('runs.list', { filters: ['colour=red'] }))).toMatchObject({ code: 'bad_request', message: expect.stringContaining("unknown field 'colour'") });
    expect(await failure(service.call('runs.show', { id: 9999 }))).toMatchObject({ code: 'not_found' });
    expect(await failure(service.call('runs.cancel', { id }))).toMatchObject({ code: 'conflict', message: expect.stringContaining('completed') });
    expect(await failure(service.call('runs.resume', { id }))).toMatchObject({ code: 'conflict' });
    expect(await failure(service.call('no.such' as 'runs.list', {}))).toMatchObject({ code: 'not_found' });
    expect(await failure(service.call('runs.show', { id: 'x' } as never))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('id:') });
    expect(await failure(service.call('train.start', { config: { dataset: 'idx:/no/such/folder' } }))).toMatchObject({ code: 'unavailable', message: expect.stringContaining('is not a folder') });
  });

  it('runs a 2-run sweep and cancels a queued run', async () => {
    await service.call('settings.set', { concurrency: 1 });
    const sweep = await service.call('sweep.start', { base: { ...TINY, epochs: 1 }, axes: [{ key: 'seed', values: [0, 1] }], concurrency: 1, tags: ['sweep'] });
    expect(sweep.runIds).toHaveLength(2);
    // with one run at a time the next start waits behind the sweep: cancel it while queued
    const { runId: waiting } = await service.call('train.start', { config: TINY });
    expect((await service.call('runs.show', { id: waiting })).run.status).toBe('queued');
    expect(await service.call('runs.cancel', { id: waiting })).toEqual({ id: waiting, status: 'cancelled' });
    expect((await log.finalStatus(waiting)).type).toBe('status');

    for (const id of sweep.runIds) expect(await log.finalStatus(id)).toMatchObject({ status: 'completed' });
    await service.idle();
    const runs = await service.call('runs.list', { filters: [`sweep_id=${sweep.sweepId}`], sort: 'seed' });
    expect(runs.rows.map((r) => [r.seed, r.status, r.tags])).toEqual([
      [0, 'completed', ['sweep']],
      [1, 'completed', ['sweep']],
    ]);
    // the cancelled run never trained
    expect(log.of(waiting, 'progress')).toEqual([]);
    expect((await service.call('runs.show', { id: waiting })).run).toMatchObject({ status: 'cancelled', steps_done: 0 });
    const diff = await service.call('runs.diff', { a: sweep.runIds[0], b: sweep.runIds[1] });
    expect(diff.config).toEqual([{ key: 'seed', a: 0, b: 1 }]);
  });

  it('cancels a running run at a step boundary, then deletes it', async () => {
    const { runId } = await service.call('train.start', { config: { ...TINY, epochs: 10_000 } });
    await log.until((e) => e.type === 'progress' && e.runId === runId, 'first progress');
    expect(await failure(service.call('runs.delete', { id: runId }))).toMatchObject({ code: 'conflict' });
    expect(await service.call('runs.cancel', { id: runId })).toEqual({ id: runId, status: 'stopping' });
    expect(await log.finalStatus(runId)).toMatchObject({ status: 'cancelled' });
    expect(await service.call('runs.delete', { id: runId })).toEqual({ id: runId });
    expect(await failure(service.call('runs.show', { id: runId }))).toMatchObject({ code: 'not_found' });
  });

  it('resumes a run interrupted by closing the service, from its checkpoint', async () => {
    const dir = tempWorkspace();
    const first = createService({ workspaceDir: dir });
    const early = new EventLog();
    first.on(early.push);
    const { runId } = await first.call('train.start', { config: { ...TINY, epochs: 300 } });
    await early.until((e) => e.type === 'metrics' && e.runId === runId, 'first epoch');
    await first.close();
    expect(early.events.at(-1)).toMatchObject({ type: 'status', runId, status: 'interrupted' });

    const second = createService({ workspaceDir: dir });
    const later = new EventLog();
    second.on(later.push);
    const done = (await second.call('runs.show', { id: runId })).run.epochs_done;
    expect(done).toBeGreaterThan(0);
    expect(await failure(second.call('runs.cancel', { id: runId }))).toMatchObject({ code: 'conflict', message: expect.stringContaining('interrupted') });
    // resuming continues after the last checkpoint instead of starting over
    expect(await second.call('runs.resume', { id: runId })).toEqual({ id: runId, status: 'queued' });
    expect(await failure(second.call('runs.resume', { id: runId }))).toMatchObject({ code: 'conflict' });
    const firstRecord = await later.until((e) => e.type === 'metrics' && e.runId === runId, 'metrics after resume');
    // (the last recorded epoch may be a partial one; the checkpoint is the last whole epoch)
    expect(firstRecord.type === 'metrics' && firstRecord.record.epoch).toBeGreaterThan(1);
    expect(firstRecord.type === 'metrics' && firstRecord.record.epoch).toBeLessThanOrEqual(done);
    await second.call('runs.cancel', { id: runId });
    expect(await later.finalStatus(runId)).toMatchObject({ status: 'cancelled' });
    await second.close();
  });

  it('resumes a cancelled run: one cancelled while training from its last checkpoint, one cancelled while queued from the start', async () => {
    await service.call('settings.set', { concurrency: 1 });
    const { runId: long } = await service.call('train.start', { config: { ...TINY, epochs: 300 } });
    const { runId: waiting } = await service.call('train.start', { config: TINY });
    expect(await service.call('runs.cancel', { id: waiting })).toEqual({ id: waiting, status: 'cancelled' });
    await log.until((e) => e.type === 'metrics' && e.runId === long && e.record.epoch >= 2, 'two epochs of the long run');
    expect(await service.call('runs.cancel', { id: long })).toEqual({ id: long, status: 'stopping' });
    expect(await failure(service.call('runs.resume', { id: long }))).toMatchObject({ code: 'conflict' }); // still stopping
    expect(await log.finalStatus(long)).toMatchObject({ status: 'cancelled' });
    const done = (await service.call('runs.show', { id: long })).run.epochs_done;

    const later = new EventLog();
    const off = service.on(later.push);
    expect(await service.call('runs.resume', { id: waiting })).toEqual({ id: waiting, status: 'queued' });
    expect(await later.finalStatus(waiting)).toMatchObject({ status: 'completed' });
    expect((await service.call('runs.show', { id: waiting })).run).toMatchObject({ status: 'completed', epochs_done: TINY.epochs });
    expect(later.of(waiting, 'metrics').map((e) => e.type === 'metrics' && e.record.epoch)).toEqual([1, 2]);

    expect(await service.call('runs.resume', { id: long })).toEqual({ id: long, status: 'queued' });
    const resumed = await later.until((e) => e.type === 'metrics' && e.runId === long, 'metrics after resume');
    // it goes on after its last whole epoch, not from the first
    expect(resumed.type === 'metrics' && resumed.record.epoch).toBeGreaterThan(1);
    expect(resumed.type === 'metrics' && resumed.record.epoch).toBeLessThanOrEqual(done + 1);
    await service.call('runs.cancel', { id: long });
    expect(await later.finalStatus(long)).toMatchObject({ status: 'cancelled' });
    off();
    for (const id of [long, waiting]) await service.call('runs.delete', { id }); // the workspace as the next test expects it
  });

  it('imports a good IDX folder and refuses a bad one with the reason', async () => {
    const good = writeIdxFolder();
    const info = await service.call('datasets.import', { path: good.dir, name: 'tiny idx' });
    expect(info).toMatchObject({ spec: `idx:${good.dir}`, name: 'tiny idx', kind: 'imported', trainN: 12, testN: 5, imageShape: [4, 4] });

    const bad = tempDir();
    writeIdxFolder({ dir: bad });
    writeFileSync(join(bad, 't10k-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 1])); // 2 labels promised, 1 given
    const refused = await failure(service.call('datasets.import', { path: bad }));
    expect(refused.code).toBe('bad_request');
    expect(refused.message).toContain('t10k-labels-idx1-ubyte');

    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    expect((await failure(service.call('datasets.import', { path: empty }))).message).toContain('cannot be imported');

    const list = await service.call('datasets.list', undefined);
    expect(list[0]).toMatchObject({ spec: 'digits', kind: 'bundled' });
    expect(list.filter((d) => d.kind === 'imported').map((d) => d.spec)).toEqual([`idx:${good.dir}`]);

    // remembered by the workspace: a new service on the same folder lists it too
    const again = createService({ workspaceDir: workspace, dataRoots: 'any' });
    expect((await again.call('datasets.list', undefined)).some((d) => d.spec === `idx:${good.dir}`)).toBe(true);
    await again.close();
  });

  it('reads and changes settings', async () => {
    const providers = await service.call('system.executionProviders', undefined);
    expect(providers.available).toContain('cpu');
    expect(providers.known).toEqual(['cpu', 'cuda', 'webgpu']);
    expect(await service.call('settings.get', undefined)).toEqual({ workspaceDir: workspace, executionProvider: 'cpu', concurrency: 1 });
    expect(await service.call('settings.set', { concurrency: 2 })).toMatchObject({ concurrency: 2 });
    if (!providers.available.includes('webgpu')) {
      expect(await failure(service.call('settings.set', { executionProvider: 'webgpu' }))).toMatchObject({ code: 'unavailable', message: expect.stringContaining('available: ') });
    }
    // the workspace is the host's choice, made in its folder dialog; a call cannot name one
    const other = tempWorkspace();
    expect(await failure(service.call('settings.set', { workspaceDir: other } as never))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('workspaceDir: cannot be set by a call') });
    chosen = null; // cancelled: nothing changes
    expect(await service.call('settings.chooseWorkspace', {})).toBeNull();
    expect((await service.call('settings.get', {})).workspaceDir).toBe(workspace);
    chosen = other;
    expect((await service.call('settings.chooseWorkspace', {}))?.workspaceDir).toBe(other);
    expect((await service.call('runs.list', {})).total).toBe(0);
    chosen = workspace;
    await service.call('settings.chooseWorkspace', {});
    expect((await service.call('runs.list', {})).total).toBe(4); // the deleted run is gone
    expect(asked).toEqual(['workspace', 'workspace', 'workspace']);
    expect(await service.call('system.host', {})).toEqual({ folderChooser: true, dataRoots: 'any' });
  });
});
