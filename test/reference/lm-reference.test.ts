// The language-model reference's own gradients against central finite differences of its loss,
// so that the training-step test compares the graphs with something known to be right.
import { describe, expect, it } from 'vitest';
import { refLmLossAndGrads, type RefLmDims, type RefLmParams } from './lm-reference';
import type { RefGate } from './glu-reference';

const dims: RefLmDims = { vocab: 5, dModel: 4, heads: 2, dHidden: 3, layers: 1, ctx: 3 };

function randomParams(product: boolean, seed: number): RefLmParams {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const shapes: [string, number][] = [
    ['model.embed_tokens.weight', 20], ['model.layers.0.input_layernorm.weight', 4],
    ...['q', 'k', 'v', 'o'].map((p): [string, number] => [`model.layers.0.self_attn.${p}_proj.weight`, 16]),
    ['model.layers.0.post_attention_layernorm.weight', 4], ['model.layers.0.mlp.gate_proj.weight', 12],
    ...(product ? [['model.layers.0.mlp.up_proj.weight', 12] as [string, number]] : []),
    ['model.layers.0.mlp.down_proj.weight', 12], ['model.norm.weight', 4], ['lm_head.weight', 20],
  ];
  return new Map(shapes.map(([n, k]) => [n, Float64Array.from({ length: k }, () => (n.includes('norm') ? 1 + 0.3 * rand() : rand()))]));
}

describe('language-model reference', () => {
  const gates: RefGate[] = [{ kind: 'bilinear' }, { kind: 'sqs', c: 0.05, lambda: 0.8, p: 2 }, { kind: 'swiglu' }, { kind: 'geglu' }, { kind: 'reglu' }, { kind: 'relu-mlp' }];
  for (const gate of gates) {
    it(`${gate.kind}: gradients match finite differences of the loss`, () => {
      const params = randomParams(gate.kind !== 'relu-mlp', 7);
      const ids = [1, 4, 0, 2, 2, 3];
      const targets = [4, 0, 2, 2, 3, 1];
      const { grads } = refLmLossAndGrads(params, dims, gate, ids, targets, 2);
      for (const [name, p] of params) {
        for (let i = 0; i < p.length; i++) {
          const at = (delta: number) => {
            const q = new Map(params);
            const moved = p.slice();
            moved[i] += delta;
            q.set(name, moved);
            return refLmLossAndGrads(q, dims, gate, ids, targets, 2).loss;
          };
          const fd = (at(1e-6) - at(-1e-6)) / 2e-6;
          expect(Math.abs(grads.get(name)![i] - fd), `${name}[${i}]`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
        }
      }
    });
  }
});
