// The lm.* calls on real workspace runs, through the one service: a run's shape, token search,
// spectra, features, explanations and comparisons, answered from the per-run cache and read again
// when the weights change; and every refusal in one line with its code.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src-main/api/service';
import { EventLog, failure, TINY, TINY_LM, tempWorkspace } from './service-helpers';

describe('reading language-model runs through the service', () => {
  let service: Service;
  const log = new EventLog();
  let workspace: string;
  let bil: number, sqs: number, relu: number, wide: number, small: number, clf: number;

  beforeAll(async () => {
    workspace = tempWorkspace();
    service = createService({ workspaceDir: workspace, dataRoots: 'any' });
    service.on(log.push);
    const train = async (config: object) => {
      const id = (await service.call('train.start', { config } as never)).runId;
      expect(await log.finalStatus(id)).toMatchObject({ status: 'completed' });
      return id;
    };
    bil = await train({ ...TINY_LM, gate: 'bilinear' });
    sqs = await train({ ...TINY_LM, gate: 'sqs' });
    relu = await train({ ...TINY_LM, gate: 'relu-mlp', steps: 10 });
    wide = await train({ ...TINY_LM, d_model: 16, d_hidden: 32, steps: 10 });
    small = await train({ ...TINY_LM, vocab: 64, steps: 10 });
    clf = await train(TINY);
  }, 300_000);
  afterAll(() => service.close());

  it('tells a run’s shape and whether it can be read, without reading its weights', async () => {
    expect(await service.call('lm.info', { id: bil })).toMatchObject({ runId: bil, gate: 'bilinear', layers: 2, dModel: 32, vocab: 256, exact: true, unreadable: null, positions: expect.any(Number) });
    expect((await service.call('lm.info', { id: bil })).positions).toBeGreaterThan(0);
    const info = await service.call('lm.info', { id: sqs });
    expect(info).toMatchObject({ exact: false, unreadable: null });
    expect(info.positions % 32).toBe(0);
    expect(info.tokenizerSize).toBeLessThanOrEqual(256);
    expect((await service.call('lm.info', { id: relu })).unreadable).toBe('a relu-mlp model has no gate product, hence no interaction matrices to read features from');
  });

  it('finds vocabulary tokens by their text, exact matches first', async () => {
    const { matches } = await service.call('lm.tokens', { id: bil, query: 'the', limit: 5 });
    expect(matches[0]).toMatchObject({ token: '▁the', text: ' the' });
    expect(matches.length).toBeLessThanOrEqual(5);
    for (const m of matches) expect(m.text.toLowerCase()).toContain('the');
    expect((await service.call('lm.tokens', { id: bil, query: ' th' })).matches.every((m) => m.token.startsWith('▁th') || m.text.includes(' th'))).toBe(true);
  });

  it('answers a spectrum with its truncation and faithfulness, a feature, an explanation and a comparison', async () => {
    const s = await service.call('lm.spectrum', { id: bil, layer: 1, direction: 'the' });
    expect(s).toMatchObject({ runId: bil, layer: 1, exact: true, direction: { kind: 'token', label: 'the', token: { token: '▁the' } } });
    expect(s.eigenvalues).toHaveLength(32);
    expect(s.positives + s.negatives).toBe(32);
    expect(s.truncation.map((t) => t.k)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(s.faithfulness.relative_error).toBeLessThan(1e-4);
    expect(s.truncation.at(-1)!.explained).toBeGreaterThan(0.9999);

    const f = await service.call('lm.feature', { id: bil, layer: 1, direction: 'the', rank: 2, tokens: 3, contexts: 4 });
    expect(f).toMatchObject({ rank: 2, eigenvalue: s.eigenvalues[1] });
    expect(f.vector).toHaveLength(32);
    expect(f.topTokens.positive).toHaveLength(3);
    expect(f.topContexts).toHaveLength(4);
    for (const c of f.topContexts) expect(c.contribution).toBeCloseTo(f.eigenvalue * c.projection ** 2, 10);

    const e = await service.call('lm.explain', { id: bil, prompt: 'once upon a time', direction: 'he-she', count: 3 });
    expect(e.direction).toMatchObject({ kind: 'difference', label: 'he − she' });
    expect(e.tokens.map((t) => t.text).join('')).toBe(' once upon a time');
    expect(e.layers.map((l) => l.layer)).toEqual([0, 1]);
    for (const l of e.layers) for (const p of l.positions) expect(p.components.reduce((t, c) => t + c.contribution, 0) + p.remainder).toBeCloseTo(p.total, 10);

    const self = await service.call('lm.compare', { a: bil, b: bil, layer: 0, direction: 'the', count: 4 });
    self.byRank.forEach((c) => expect(c).toBeCloseTo(1, 10));
    const other = await service.call('lm.compare', { a: bil, b: sqs, layer: 0, direction: 'the' });
    expect(other.count).toBe(8);
    for (const c of other.byRank) expect(c >= 0 && c <= 1).toBe(true);
    expect(other.caveat).toMatch(/share their initialisation/);
  });

  it('reads a run again once its weights change', async () => {
    const before = await service.call('lm.spectrum', { id: sqs, layer: 0, direction: 'the' });
    const weights = join(workspace, 'runs', String(sqs), 'weights.safetensors');
    const other = readFileSync(join(workspace, 'runs', String(bil), 'weights.safetensors'));
    const original = readFileSync(weights);
    // same names and shapes: the bilinear run's weights, read as an SQS model's
    writeFileSync(weights, other);
    const after = await service.call('lm.spectrum', { id: sqs, layer: 0, direction: 'the' });
    expect(after.eigenvalues).toEqual((await service.call('lm.spectrum', { id: bil, layer: 0, direction: 'the' })).eigenvalues);
    expect(after.eigenvalues).not.toEqual(before.eigenvalues);
    writeFileSync(weights, original);
  });

  it('refuses in one line, with its code, what it cannot read', async () => {
    expect(await failure(service.call('lm.spectrum', { id: clf, layer: 0, direction: 'the' }))).toMatchObject({ code: 'bad_request', message: `run ${clf} is a classifier, not a language model; its features are in the atlas (atlas.get)` });
    expect(await failure(service.call('lm.spectrum', { id: relu, layer: 0, direction: 'the' }))).toMatchObject({ code: 'bad_request', message: `run ${relu} cannot be read: a relu-mlp model has no gate product, hence no interaction matrices to read features from` });
    expect(await failure(service.call('lm.spectrum', { id: bil, layer: 5, direction: 'the' }))).toMatchObject({ code: 'bad_request', message: 'layer 5: the model has 2 layers, 0–1' });
    expect(await failure(service.call('lm.spectrum', { id: bil, layer: 0, direction: '☃' }))).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^unknown token '☃'/) });
    expect(await failure(service.call('lm.feature', { id: bil, layer: 0, direction: 'zebrafish', rank: 1 }))).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^'zebrafish' is \d+ tokens with this run's tokenizer/) });
    const short = join(workspace, 'short.json');
    writeFileSync(short, '[1, 2]');
    expect(await failure(service.call('lm.spectrum', { id: bil, layer: 0, direction: `vector:${short}` }))).toMatchObject({ code: 'bad_request', message: `${short}: the vector has 2 entries; the model's residual stream has d_model = 32` });
    expect(await failure(service.call('lm.compare', { a: bil, b: wide, layer: 0, direction: 'the' }))).toMatchObject({ code: 'bad_request', message: `runs ${bil} and ${wide} have different widths (d_model 32 and 16); their residual streams cannot be compared` });
    expect(await failure(service.call('lm.feature', { id: bil, layer: 0, direction: 'the', rank: 33 }))).toMatchObject({ code: 'bad_request' });
    // a word that is one token of the 256-token vocabulary and several of the 64-token one
    const vocab = JSON.parse(readFileSync(join(workspace, 'runs', String(bil), 'tokenizer.json'), 'utf8')).model.vocab as Record<string, number>;
    const word = Object.entries(vocab).filter(([t]) => t.startsWith('▁') && t.length >= 6).sort((x, y) => y[1] - x[1])[0][0].slice(1);
    expect(await failure(service.call('lm.compare', { a: bil, b: small, layer: 0, direction: word }))).toMatchObject({ code: 'bad_request', message: expect.stringMatching(new RegExp(`^run ${small}: '${word}' is \\d+ tokens with this run's tokenizer`)) });
    expect(await failure(service.call('lm.info', { id: 999 }))).toMatchObject({ code: 'not_found' });
    expect(await failure(service.call('atlas.analyze', { id: bil }))).toMatchObject({ code: 'bad_request', message: expect.stringContaining('a language model has no classifier atlas') });
  });
});
