// Reading a language model's MLPs from its weights, on tiny models trained on the stories: the
// interaction matrix against an independent float64 reference and against the model's real MLP
// outputs (exact for bilinear, a measured first-order reading for SQS), the top contexts against
// brute force, token directions as typed, explanations that add up, and comparisons.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LM_CONFIG, type LmConfig } from '../../../src-main/engine/train/lm-config';
import { runTraining } from '../../../src-main/engine/train/run';
import { loadLmRead, loadLmValidation, directionOf, promptActivations, type LmRead, type LmValidation } from '../../../src-main/engine/analysis/lm-source';
import { lmInteractionMatrix, tokenDirection } from '../../../src-main/engine/analysis/lm-interaction';
import { comparisonOf, explanationOf, featureOf, spectrumOf, truncationRanks } from '../../../src-main/engine/analysis/lm-reading';
import { resolveToken } from '../../../src-main/engine/analysis/lm-directions';
import { LM_NORM_EPS } from '../../../src-main/engine/nn/lm';
import { tempDir } from '../../helpers/cli';

const cacheDir = tempDir();
const TINY: LmConfig = { ...DEFAULT_LM_CONFIG, vocab: 256, d_model: 32, heads: 2, d_hidden: 64, ctx: 32, batch: 4, steps: 30, eval_every: 30, warmup: 5, lr: 3e-3 };

interface Trained {
  read: LmRead;
  val: LmValidation;
}

async function trained(gate: LmConfig['gate']): Promise<Trained> {
  const dir = join(tempDir(), gate);
  const config = { ...TINY, gate };
  await runTraining(config, dir, { cacheDir });
  const read = loadLmRead(dir, config);
  return { read, val: await loadLmValidation(read, cacheDir) };
}

/** x̂ᵀQx̂ per position, Q applied as a plain d×d product. */
function quadratic(q: Float64Array, x: Float32Array, P: number, d: number): Float64Array {
  return Float64Array.from({ length: P }, (_, p) => {
    let s = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += x[p * d + i] * q[i * d + j] * x[p * d + j];
    return s;
  });
}

const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let e = 0, n = 0;
  for (let i = 0; i < b.length; i++) (e += (a[i] - b[i]) ** 2), (n += b[i] ** 2);
  return Math.sqrt(e / n);
};

describe('reading a language model from its weights', () => {
  let bil: Trained;
  let sqs: Trained;
  beforeAll(async () => {
    bil = await trained('bilinear');
    sqs = await trained('sqs');
  }, 300_000);

  it('builds Q_ℓ(u) equal to a float64 reference made by looping over the hidden units, and its eigenpairs satisfy Qv = λv', async () => {
    const { read } = bil;
    const { dims, gate } = read.model;
    const { dModel: d, dHidden: h } = dims;
    const u = (await directionOf(read, 'the')).u;
    for (let layer = 0; layer < dims.layers; layer++) {
      const q = lmInteractionMatrix(read.params, gate, dims, layer, u);
      const W = read.params.get(`model.layers.${layer}.mlp.gate_proj.weight`)!;
      const V = read.params.get(`model.layers.${layer}.mlp.up_proj.weight`)!;
      const O = read.params.get(`model.layers.${layer}.mlp.down_proj.weight`)!;
      const ref = new Float64Array(d * d);
      for (let a = 0; a < h; a++) {
        let alpha = 0;
        for (let i = 0; i < d; i++) alpha += u[i] * O[i * h + a];
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) ref[i * d + j] += 0.5 * alpha * (W[a * d + i] * V[a * d + j] + V[a * d + i] * W[a * d + j]);
      }
      expect(relErr(q, ref)).toBeLessThan(1e-12);
      const s = spectrumOf(read, bil.val.acts, layer, await directionOf(read, 'the'), 1);
      const norm = Math.sqrt(ref.reduce((t, x) => t + x * x, 0));
      for (let k = 0; k < d; k++) {
        const v = s.eigen.vectors.subarray(k * d, (k + 1) * d);
        let worst = 0;
        for (let i = 0; i < d; i++) {
          let qv = 0;
          for (let j = 0; j < d; j++) qv += ref[i * d + j] * v[j];
          worst = Math.max(worst, Math.abs(qv - s.eigen.values[k] * v[i]));
        }
        expect(worst).toBeLessThan(1e-10 * norm);
      }
      const mags = s.spectrum.eigenvalues.map(Math.abs);
      expect(mags).toEqual([...mags].sort((x, y) => y - x));
      expect(s.spectrum.positives + s.spectrum.negatives).toBe(d);
    }
  });

  it('for a bilinear model, x̂ᵀQx̂ is uᵀMLP(x̂) at every validation position of every layer (1e-4 relative); for SQS a reported first-order reading', async () => {
    for (const { read, val } of [bil, sqs]) {
      const { dims, gate } = read.model;
      const { dModel: d } = dims;
      const P = val.acts.positions;
      expect(P).toBe(val.rows * TINY.ctx);
      for (const spec of ['the', 'he-she']) {
        const resolved = await directionOf(read, spec);
        for (let layer = 0; layer < dims.layers; layer++) {
          const q = lmInteractionMatrix(read.params, gate, dims, layer, resolved.u);
          const surrogate = quadratic(q, val.acts.mlpIn[layer], P, d);
          const real = Float64Array.from({ length: P }, (_, p) => resolved.u.reduce((t, ui, i) => t + ui * val.acts.mlpOut[layer][p * d + i], 0));
          const s = spectrumOf(read, val.acts, layer, resolved, 1).spectrum;
          if (gate.name === 'bilinear') {
            expect(relErr(surrogate, real)).toBeLessThan(1e-4);
            expect(s.faithfulness.relative_error).toBeLessThan(1e-4);
            expect(s.faithfulness.correlation).toBeGreaterThan(0.9999);
            expect(s.truncation.at(-1)!.explained).toBeGreaterThan(0.9999);
          } else {
            expect(s.faithfulness.relative_error).toBeCloseTo(relErr(surrogate, real), 6);
            expect(s.faithfulness.relative_error).toBeGreaterThan(1e-4);
            expect(s.faithfulness.correlation).toBeGreaterThan(0.5);
          }
          expect(s.truncation.map((t) => t.k)).toEqual(truncationRanks(d));
          expect(truncationRanks(32)).toEqual([1, 2, 4, 8, 16, 32]);
        }
      }
    }
  });

  it('puts each eigenvector in the gauge whose mean projection over validation positions is ≥ 0', async () => {
    const s = spectrumOf(bil.read, bil.val.acts, 0, await directionOf(bil.read, 'the'), 1);
    const P = bil.val.acts.positions;
    for (let k = 0; k < s.eigen.n; k++) expect(s.proj.subarray(k * P, (k + 1) * P).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(0);
  });

  it('gives the true top contexts (brute force over every validation position) and the top tokens of the direct path', async () => {
    const { read, val } = bil;
    const d = read.model.dims.dModel;
    const s = spectrumOf(read, val.acts, 1, await directionOf(read, 'was'), 1);
    for (const rank of [1, 2, d]) {
      const f = featureOf(read, val.valid, s, rank, { tokens: 5, contexts: 6, runId: 1 });
      const v = f.vector;
      const x = val.acts.mlpIn[1];
      const all = Array.from({ length: val.acts.positions }, (_, p) => {
        let t = 0;
        for (let i = 0; i < d; i++) t += v[i] * x[p * d + i];
        return { p, c: f.eigenvalue * t * t };
      }).sort((a, b) => Math.abs(b.c) - Math.abs(a.c) || a.p - b.p);
      expect(f.topContexts.map((c) => c.position)).toEqual(all.slice(0, 6).map((a) => a.p));
      f.topContexts.forEach((c, i) => expect(c.contribution).toBeCloseTo(all[i].c, 8));
      const c0 = f.topContexts[0];
      expect(c0.pieces[c0.at]).toBe(read.tokenizer.idToToken(val.valid[c0.position])!.replaceAll('▁', ' '));
      // the direct path: g ⊙ E[t]/rms(E[t]), projected on v
      const E = read.params.get('model.embed_tokens.weight')!;
      const g = read.params.get('model.layers.1.post_attention_layernorm.weight')!;
      const proj = (t: number) => {
        const ms = E.subarray(t * d, (t + 1) * d).reduce((a, e) => a + e * e, 0) / d;
        return v.reduce((a, vi, i) => a + (vi * g[i] * E[t * d + i]) / Math.sqrt(ms + LM_NORM_EPS), 0);
      };
      const byProj = Array.from({ length: read.tokenizer.vocabSize }, (_, t) => t).sort((a, b) => proj(b) - proj(a));
      expect(f.topTokens.positive.map((t) => t.id)).toEqual(byProj.slice(0, 5));
      expect(f.topTokens.negative.map((t) => t.id)).toEqual(byProj.slice(-5).reverse());
      expect(f.topTokens.positive[0].projection).toBeCloseTo(proj(byProj[0]), 10);
    }
  });

  it('reads a token typed as text as its one token, refuses several or unknown ones in words, and takes differences and saved vectors', async () => {
    const { read } = bil;
    const tok = read.tokenizer;
    expect(await resolveToken(tok, 'the')).toMatchObject({ token: '▁the', text: ' the' });
    await expect(resolveToken(tok, 'zebrafish')).rejects.toThrow(/^'zebrafish' is \d+ tokens with this run's tokenizer \(▁.*\), not one; give a single token$/);
    await expect(resolveToken(tok, '☃')).rejects.toThrow("unknown token '☃': this run's tokenizer reads it as ▁ [UNK]");
    const he = await directionOf(read, 'he');
    expect(he.direction).toMatchObject({ kind: 'token', label: 'he', token: { token: '▁he' } });
    expect(Array.from(he.u)).toEqual(Array.from(tokenDirection(read.params, read.model.dims, he.direction.kind === 'token' ? he.direction.token.id : -1)));
    const diff = await directionOf(read, 'he-she');
    const she = await directionOf(read, 'she');
    expect(diff.direction).toMatchObject({ kind: 'difference', label: 'he − she', plus: { token: '▁he' }, minus: { token: '▁she' } });
    diff.u.forEach((x, i) => expect(x).toBeCloseTo(he.u[i] - she.u[i], 12));
    const file = join(tempDir(), 'u.json');
    writeFileSync(file, JSON.stringify(Array.from(he.u)));
    const saved = await directionOf(read, `vector:${file}`);
    expect(saved.direction).toMatchObject({ kind: 'vector', path: file });
    expect(Array.from(saved.u)).toEqual(Array.from(he.u));
    writeFileSync(file, JSON.stringify([1, 2, 3]));
    await expect(directionOf(read, `vector:${file}`)).rejects.toThrow(`${file}: the vector has 3 entries; the model's residual stream has d_model = 32`);
    await expect(directionOf(read, 'zebrafish-she')).rejects.toThrow(/is \d+ tokens/);
  });

  it('splits a prompt into components that add up with the remainder to the total, and the total is uᵀMLP(x̂)/rms_final', async () => {
    const { read } = bil;
    const resolved = await directionOf(read, 'the');
    const { tokens, acts } = await promptActivations(read, 'once upon a time there was a little');
    expect(tokens.map((t) => t.text).join('')).toBe(' once upon a time there was a little');
    const eigen = [0, 1].map((l) => spectrumOf(read, bil.val.acts, l, resolved, 1).eigen);
    const layers = explanationOf(acts, tokens, resolved.u, (l) => eigen[l], 4);
    const d = read.model.dims.dModel;
    for (const { layer, positions } of layers) {
      expect(positions).toHaveLength(tokens.length);
      for (const p of positions) {
        expect(p.components).toHaveLength(4);
        expect(p.components.reduce((t, c) => t + c.contribution, 0) + p.remainder).toBeCloseTo(p.total, 12);
        const real = resolved.u.reduce((t, ui, i) => t + ui * acts.mlpOut[layer][p.position * d + i], 0);
        expect(p.total * acts.finalRms[p.position]).toBeCloseTo(real, 10);
        // bilinear: every component together is the total
        const all = explanationOf(acts, tokens, resolved.u, (l) => eigen[l], d)[layer].positions[p.position];
        expect(Math.abs(all.remainder)).toBeLessThan(1e-4 * Math.max(1e-3, Math.abs(all.total)));
      }
    }
  });

  it('compares a run with itself (every |cos| 1) and a bilinear with an SQS run of the same seed (in [0, 1])', async () => {
    const dir = await directionOf(bil.read, 'the');
    const a = spectrumOf(bil.read, bil.val.acts, 0, dir, 1).eigen;
    const self = comparisonOf(a, a, { a: 1, b: 1, layer: 0, direction: dir.direction, count: 8 });
    self.byRank.forEach((c) => expect(c).toBeCloseTo(1, 12));
    expect(self.meanAssignment).toBeCloseTo(1, 12);
    expect(self.assignment.map((m) => [m.a, m.b])).toEqual(Array.from({ length: 8 }, (_, i) => [i + 1, i + 1]));
    const b = spectrumOf(sqs.read, sqs.val.acts, 0, await directionOf(sqs.read, 'the'), 2).eigen;
    const other = comparisonOf(a, b, { a: 1, b: 2, layer: 0, direction: dir.direction, count: 8 });
    for (const c of [...other.byRank, ...other.assignment.map((m) => m.cos)]) expect(c >= 0 && c <= 1).toBe(true);
    expect(other.meanAssignment).toBeGreaterThanOrEqual(other.meanByRank - 1e-12);
    expect(other.caveat).toContain('share their initialisation');
  });
});
