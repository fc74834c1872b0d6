// Language-model runs in a workspace, through the one service: trained on worker threads beside
// classifiers, listed, compared and diffed with them, swept over gates, their samples read back,
// text generated from them; and what a language model cannot do refused in words.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src-main/api/service';
import { EventLog, failure, TINY, TINY_LM, tempWorkspace } from './service-helpers';

describe('language-model runs in the workspace', () => {
  let service: Service;
  const log = new EventLog();
  let workspace: string;
  let lm: number;

  beforeAll(async () => {
    workspace = tempWorkspace();
    service = createService({ workspaceDir: workspace, dataRoots: 'any' });
    service.on(log.push);
    lm = (await service.call('train.start', { config: { ...TINY_LM, gate: 'sqs' }, name: 'story-sqs' })).runId;
    expect(await log.finalStatus(lm)).toMatchObject({ status: 'completed' });
  });
  afterAll(() => service.close());

  it('reports progress with tokens per second, and metrics with validation loss and perplexity', () => {
    const progress = log.of(lm, 'progress').at(-1)!;
    expect(progress).toMatchObject({ type: 'progress', step: 20, totalSteps: 20, tokens: 20 * 4 * 32 });
    expect(progress.type === 'progress' && progress.tokensPerSecond).toBeGreaterThan(0);
    const records = log.of(lm, 'metrics').map((e) => (e.type === 'metrics' ? e.record : null));
    expect(records.map((r) => r && [r.epoch, r.step])).toEqual([[1, 10], [2, 20]]);
    const last = records[1]!;
    expect('val_loss' in last && last.val_ppl).toBeCloseTo(Math.exp('val_loss' in last ? last.val_loss : NaN), 8);
  });

  it('is listed beside classifiers with its validation loss as the held-out loss and no accuracy', async () => {
    const clf = (await service.call('train.start', { config: TINY })).runId;
    expect(await log.finalStatus(clf)).toMatchObject({ status: 'completed' });
    const { rows } = await service.call('runs.list', {});
    const row = rows.find((r) => r.id === lm)!;
    expect(row.config).toMatchObject({ family: 'lm', gate: 'sqs', d_model: 32 });
    expect(row.test_accuracy).toBeNull();
    const shown = await service.call('runs.show', { id: lm });
    expect(shown.result).toMatchObject({ status: 'completed', steps: 20, tokens: 2560 });
    expect(row.test_loss).toBe(shown.result!.test_loss);
    expect(rows.find((r) => r.id === clf)!.test_accuracy).toBeGreaterThan(0);
    // the workspace keeps the tokenised stories for its next language model
    expect(existsSync(join(workspace, 'cache', 'tokens'))).toBe(true);
  });

  it('returns the samples of each evaluation and generates text from the weights', async () => {
    const { samples } = await service.call('runs.samples', { id: lm });
    expect(samples.map((s) => s.step)).toEqual([10, 20]);
    const a = await service.call('runs.generate', { id: lm, prompt: 'Once upon a time', maxTokens: 10, seed: 4 });
    expect(a).toMatchObject({ prompt: 'once upon a time', seed: 4 });
    expect(await service.call('runs.generate', { id: lm, prompt: 'Once upon a time', maxTokens: 10, seed: 4 })).toEqual(a);
  });

  it('diffs and exports metrics of language models', async () => {
    const other = (await service.call('train.start', { config: { ...TINY_LM, gate: 'bilinear' } })).runId;
    expect(await log.finalStatus(other)).toMatchObject({ status: 'completed' });
    const diff = await service.call('runs.diff', { a: lm, b: other });
    expect(JSON.stringify(diff)).toContain('gate');
    const { text } = await service.call('runs.exportMetrics', { ids: [lm], format: 'csv', names: ['val_loss', 'tokens'] });
    expect(text.trim().split('\n')).toHaveLength(1 + 2 * 2);
  });

  it('sweeps a language model over gates', async () => {
    const { runIds } = await service.call('sweep.start', { base: { ...TINY_LM, steps: 10 }, axes: [{ key: 'gate', values: ['bilinear', 'swiglu'] }] });
    for (const id of runIds) expect(await log.finalStatus(id)).toMatchObject({ status: 'completed' });
    const { rows } = await service.call('runs.list', { filters: [`id>=${runIds[0]}`] });
    expect(rows.map((r) => r.config.gate).sort()).toEqual(['bilinear', 'swiglu']);
  });

  it('refuses in words what a language model does not have or take', async () => {
    expect(await failure(service.call('sweep.start', { base: TINY_LM, axes: [{ key: 'epochs', values: [1, 2] }] }))).toMatchObject({ code: 'bad_request', message: expect.stringContaining("a language model has no field 'epochs'") });
    expect(await failure(service.call('train.start', { config: { ...TINY_LM, heads: 3 } }))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('not divisible by --heads 3') });
    expect(await failure(service.call('train.start', { config: { ...TINY_LM, dataset: 'text:/no/such/file.txt' } }))).toMatchObject({ code: 'unavailable', message: expect.stringContaining('/no/such/file.txt does not exist') });
    expect(await failure(service.call('atlas.analyze', { id: lm }))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('a language model has no classifier atlas: its MLPs are read per output token') });
    const clf = (await service.call('runs.list', { filters: ['gate=bilinear'] })).rows.find((r) => !('family' in r.config))!;
    expect(await failure(service.call('runs.generate', { id: clf.id, prompt: 'hi' }))).toMatchObject({ code: 'bad_request', message: `run ${clf.id} is a classifier; only a language model generates text` });
  });
});
