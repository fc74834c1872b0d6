// A language model's figures and atlas through the one service, on two tiny trained models: every
// lm-* figure kind as SVG, PNG and PDF with the file named for what it holds and the provenance of
// the run (its weights' sha256 among it), drawn from the same numbers lm.* answers; the atlas as a
// download and into the workspace's exports folder; a classifier's classes refused for a language
// model and a language model's tokens refused for a classifier, each with its code.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src-main/api/service';
import type { FigureSpec } from '../../src-main/common/contract';
import { EventLog, failure, TINY, TINY_LM, tempWorkspace } from './service-helpers';

describe('language-model figures and atlas through the service', () => {
  let service: Service;
  const log = new EventLog();
  let lm: number, other: number, clf: number;

  beforeAll(async () => {
    service = createService({ workspaceDir: tempWorkspace(), dataRoots: 'any' });
    service.on(log.push);
    const train = async (config: object) => {
      const id = (await service.call('train.start', { config } as never)).runId;
      expect(await log.finalStatus(id)).toMatchObject({ status: 'completed' });
      return id;
    };
    lm = await train({ ...TINY_LM, gate: 'bilinear' });
    other = await train({ ...TINY_LM, gate: 'sqs' });
    clf = await train(TINY);
  }, 300_000);
  afterAll(() => service.close());

  const svgOf = async (figure: FigureSpec) => {
    const f = await service.call('export.figure', { id: lm, figure, format: 'svg' });
    return { filename: f.filename, svg: Buffer.from(f.base64, 'base64').toString('utf8') };
  };
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&apos;/g, "'");
  const provenance = (svg: string) => JSON.parse(unescape(/<provenance[^>]*>(.*?)<\/provenance>/.exec(svg)![1]));

  it('draws every lm-* figure, named for what it holds, with the run’s provenance and the numbers lm.* answers', async () => {
    const dir = (await service.call('runs.show', { id: lm })).dir;
    const sha = createHash('sha256').update(readFileSync(join(dir, 'weights.safetensors'))).digest('hex');
    const cases: [FigureSpec, string][] = [
      [{ kind: 'lm-spectrum', layer: 1, direction: 'the' }, `run-${lm}-lm-spectrum-layer-1-the.svg`],
      [{ kind: 'lm-truncation', layer: 0, direction: 'the' }, `run-${lm}-lm-truncation-layer-0-the.svg`],
      [{ kind: 'lm-tokens', layer: 1, direction: 'the', rank: 2 }, `run-${lm}-lm-tokens-layer-1-the-rank-2.svg`],
      [{ kind: 'lm-contexts', layer: 1, direction: 'the', rank: 1 }, `run-${lm}-lm-contexts-layer-1-the-rank-1.svg`],
      [{ kind: 'lm-explanation', prompt: 'once upon a time', direction: 'the' }, `run-${lm}-lm-explanation-the.svg`],
      [{ kind: 'lm-explanation', prompt: 'once upon a time', direction: 'the', layer: 0 }, `run-${lm}-lm-explanation-layer-0-the.svg`],
      [{ kind: 'lm-compare', b: other, layer: 1, direction: 'the' }, `run-${lm}-lm-compare-vs-run-${other}-layer-1-the.svg`],
    ];
    for (const [figure, name] of cases) {
      const { filename, svg } = await svgOf(figure);
      expect(filename).toBe(name);
      expect(provenance(svg)).toMatchObject({ run_id: String(lm), gate: 'bilinear', weights_sha256: sha, figure: figure.kind, app_version: expect.any(String) });
    }
    const s = await service.call('lm.spectrum', { id: lm, layer: 1, direction: 'the' });
    const { svg } = await svgOf({ kind: 'lm-spectrum', layer: 1, direction: 'the' });
    expect([...svg.matchAll(/data-eigenvalue="([^"]+)"/g)].map((m) => Number(m[1]))).toEqual(s.eigenvalues);
    expect(svg).toContain(`<title>spectrum of Q for ‘ the’, layer 1: ${s.positives} positive, ${s.negatives} negative</title>`);
    const f = await service.call('lm.feature', { id: lm, layer: 1, direction: 'the', rank: 2 });
    const tokens = (await svgOf({ kind: 'lm-tokens', layer: 1, direction: 'the', rank: 2 })).svg;
    expect([...tokens.matchAll(/data-projection="([^"]+)"/g)].map((m) => Number(m[1]))).toEqual([...f.topTokens.positive, ...f.topTokens.negative].map((t) => t.projection));
    for (const format of ['png', 'pdf'] as const) {
      const r = await service.call('export.figure', { id: lm, figure: { kind: 'lm-contexts', layer: 0, direction: 'the', rank: 1 }, format, size: 'column' });
      expect(r.filename).toBe(`run-${lm}-lm-contexts-layer-0-the-rank-1.${format}`);
    }
  });

  it('exports the atlas for chosen tokens and layers as a download and into the workspace', async () => {
    const file = await service.call('export.atlasFile', { id: lm, format: 'svg', tokens: ['the'], layers: [0], count: 1 });
    expect(file).toMatchObject({ filename: `run-${lm}-atlas-svg.zip`, mime: 'application/zip', analyzed: false });
    expect(file.files.sort()).toEqual(['spectrum', 'truncation', 'rank-1-tokens', 'rank-1-contexts'].map((f) => `run-${lm}-atlas-svg/layer-0-the-${f}.svg`).sort());
    const saved = await service.call('export.atlas', { id: lm, format: 'html', tokens: ['the', 'he-she'], count: 1 });
    expect(saved.files.map((f) => f.slice(saved.outDir.length + 1))).toEqual(['atlas.html']);
    const html = readFileSync(saved.files[0], 'utf8');
    expect([...html.matchAll(/<section class="reading" id="([^"]+)"/g)].map((m) => m[1])).toEqual(['layer-0-the', 'layer-0-he-she', 'layer-1-the', 'layer-1-he-she']);
    expect(existsSync(saved.outDir)).toBe(true);
  });

  it('refuses classes for a language model, tokens or layers for a classifier, an unknown token or layer, with their codes', async () => {
    expect(await failure(service.call('export.atlasFile', { id: lm, format: 'html', classes: [0] }))).toEqual({ code: 'bad_request', message: `run ${lm} is a language model: its atlas is chosen by tokens and layers, not by classes` });
    expect(await failure(service.call('export.atlasFile', { id: clf, format: 'html', tokens: ['the'] }))).toEqual({ code: 'bad_request', message: `run ${clf} is a classifier: its atlas is chosen by classes, not by tokens or layers` });
    expect((await failure(service.call('export.atlasFile', { id: lm, format: 'svg', layers: [7] }))).message).toBe('unknown layer 7: this model has layers 0 to 1');
    const token = await failure(service.call('export.figure', { id: lm, figure: { kind: 'lm-spectrum', layer: 0, direction: 'zzqx' }, format: 'svg' }));
    expect(token.code).toBe('bad_request');
    expect(token.message).toMatch(/zzqx/);
    expect((await failure(service.call('export.figure', { id: clf, figure: { kind: 'lm-spectrum', layer: 0, direction: 'the' }, format: 'svg' }))).message).toMatch(/is a classifier, not a language model/);
  });
});
