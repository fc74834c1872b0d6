// Independent float64 reference of the language model's training step: the forward written out
// position by position on scalars, gradients from a tiny scalar reverse-mode tape (no op-level
// gradient rules shared with the graphs), global-norm clipping and textbook AdamW. Imports
// nothing from src-main/.
import { refErf, type RefGate } from './glu-reference';

export interface RefLmDims { vocab: number; dModel: number; heads: number; dHidden: number; layers: number; ctx: number }
export type RefLmParams = Map<string, Float64Array>;

/** A scalar reverse-mode tape: each value keeps up to two parents and the local derivatives. */
class Tape {
  readonly val: number[] = [];
  private readonly p1: number[] = [];
  private readonly d1: number[] = [];
  private readonly p2: number[] = [];
  private readonly d2: number[] = [];

  push(v: number, p1 = -1, d1 = 0, p2 = -1, d2 = 0): number {
    this.val.push(v);
    this.p1.push(p1);
    this.d1.push(d1);
    this.p2.push(p2);
    this.d2.push(d2);
    return this.val.length - 1;
  }
  add(a: number, b: number) { return this.push(this.val[a] + this.val[b], a, 1, b, 1); }
  sub(a: number, b: number) { return this.push(this.val[a] - this.val[b], a, 1, b, -1); }
  mul(a: number, b: number) { return this.push(this.val[a] * this.val[b], a, this.val[b], b, this.val[a]); }
  div(a: number, b: number) { const q = this.val[a] / this.val[b]; return this.push(q, a, 1 / this.val[b], b, -q / this.val[b]); }
  scale(a: number, k: number) { return this.push(this.val[a] * k, a, k); }
  shift(a: number, k: number) { return this.push(this.val[a] + k, a, 1); }
  exp(a: number) { const e = Math.exp(this.val[a]); return this.push(e, a, e); }
  log(a: number) { return this.push(Math.log(this.val[a]), a, 1 / this.val[a]); }
  sqrt(a: number) { const s = Math.sqrt(this.val[a]); return this.push(s, a, 0.5 / s); }
  abs(a: number) { return this.push(Math.abs(this.val[a]), a, this.val[a] < 0 ? -1 : 1); }
  pow(a: number, p: number) { const x = this.val[a]; return this.push(x ** p, a, p * x ** (p - 1)); }
  sigmoid(a: number) { const s = 1 / (1 + Math.exp(-this.val[a])); return this.push(s, a, s * (1 - s)); }
  erf(a: number) { const x = this.val[a]; return this.push(refErf(x), a, (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x)); }
  relu(a: number) { return this.push(Math.max(this.val[a], 0), a, this.val[a] > 0 ? 1 : 0); }
  sum(xs: number[]) { return xs.slice(1).reduce((s, x) => this.add(s, x), xs[0]); }
  dot(a: number[], b: number[]) { return this.sum(a.map((x, i) => this.mul(x, b[i]))); }

  /** d out / d every value */
  backward(out: number): Float64Array {
    const g = new Float64Array(this.val.length);
    g[out] = 1;
    for (let i = out; i >= 0; i--) {
      if (g[i] === 0) continue;
      if (this.p1[i] >= 0) g[this.p1[i]] += g[i] * this.d1[i];
      if (this.p2[i] >= 0) g[this.p2[i]] += g[i] * this.d2[i];
    }
    return g;
  }
}

function gateOn(t: Tape, gate: RefGate, x: number): number {
  switch (gate.kind) {
    case 'bilinear': return x;
    case 'sqs': {
      const ap = t.pow(t.abs(x), gate.p);
      const q = t.div(t.shift(ap, -gate.c), t.shift(t.scale(ap, gate.lambda), 1));
      return t.val[x] < 0 ? t.scale(q, -1) : q;
    }
    case 'swiglu': return t.mul(x, t.sigmoid(x));
    case 'geglu': return t.scale(t.mul(x, t.shift(t.erf(t.scale(x, Math.SQRT1_2)), 1)), 0.5);
    case 'reglu':
    case 'relu-mlp': return t.relu(x);
  }
}

/** Loss, logits [B·T, V] and gradients of the mean next-token cross-entropy. */
export function refLmLossAndGrads(params: RefLmParams, dims: RefLmDims, gate: RefGate, ids: number[], targets: number[], batch: number) {
  const t = new Tape();
  const { dModel: d, heads: H, ctx: T } = dims;
  const dh = d / H;
  const leaves = new Map<string, number[]>();
  for (const [name, data] of params) leaves.set(name, Array.from(data, (v) => t.push(v)));
  const P = (name: string) => leaves.get(name)!;
  const rowsOf = (name: string, cols: number) => { const w = P(name); return Array.from({ length: w.length / cols }, (_, r) => w.slice(r * cols, r * cols + cols)); };
  const linear = (x: number[], name: string) => rowsOf(name, x.length).map((row) => t.dot(row, x));
  const norm = (x: number[], gain: string) => {
    const rms = t.sqrt(t.shift(t.scale(t.dot(x, x), 1 / x.length), 1e-6));
    return x.map((v, i) => t.mul(t.div(v, rms), P(gain)[i]));
  };
  const rotate = (x: number[], pos: number) => {
    const out = x.slice();
    for (let i = 0; i < dh / 2; i++) {
      const angle = pos * Math.pow(10000, (-2 * i) / dh);
      const [c, s] = [Math.cos(angle), Math.sin(angle)];
      out[i] = t.sub(t.scale(x[i], c), t.scale(x[i + dh / 2], s));
      out[i + dh / 2] = t.add(t.scale(x[i + dh / 2], c), t.scale(x[i], s));
    }
    return out;
  };

  let loss = t.push(0);
  const logits: number[] = [];
  for (let b = 0; b < batch; b++) {
    let xs = Array.from({ length: T }, (_, pos) => P('model.embed_tokens.weight').slice(ids[b * T + pos] * d, ids[b * T + pos] * d + d));
    for (let l = 0; l < dims.layers; l++) {
      const L = (rest: string) => `model.layers.${l}.${rest}`;
      const xa = xs.map((x) => norm(x, L('input_layernorm.weight')));
      const q = xa.map((x) => linear(x, L('self_attn.q_proj.weight')));
      const k = xa.map((x) => linear(x, L('self_attn.k_proj.weight')));
      const v = xa.map((x) => linear(x, L('self_attn.v_proj.weight')));
      const merged = xs.map(() => new Array<number>(d));
      for (let h = 0; h < H; h++) {
        const head = (vec: number[]) => vec.slice(h * dh, h * dh + dh);
        for (let i = 0; i < T; i++) {
          const qi = rotate(head(q[i]), i);
          const scores = Array.from({ length: i + 1 }, (_, j) => t.scale(t.dot(qi, rotate(head(k[j]), j)), 1 / Math.sqrt(dh)));
          const max = Math.max(...scores.map((s) => t.val[s]));
          const e = scores.map((s) => t.exp(t.shift(s, -max)));
          const z = t.sum(e);
          const p = e.map((x) => t.div(x, z));
          for (let c = 0; c < dh; c++) merged[i][h * dh + c] = t.sum(p.map((pj, j) => t.mul(pj, v[j][h * dh + c])));
        }
      }
      xs = xs.map((x, i) => linear(merged[i], L('self_attn.o_proj.weight')).map((o, c) => t.add(x[c], o)));
      xs = xs.map((x) => {
        const xm = norm(x, L('post_attention_layernorm.weight'));
        const a = linear(xm, L('mlp.gate_proj.weight')).map((u) => gateOn(t, gate, u));
        const hidden = gate.kind === 'relu-mlp' ? a : linear(xm, L('mlp.up_proj.weight')).map((u, j) => t.mul(a[j], u));
        return linear(hidden, L('mlp.down_proj.weight')).map((o, c) => t.add(x[c], o));
      });
    }
    xs.forEach((x, pos) => {
      const row = linear(norm(x, 'model.norm.weight'), 'lm_head.weight');
      logits.push(...row.map((r) => t.val[r]));
      const max = Math.max(...row.map((r) => t.val[r]));
      const lse = t.shift(t.log(t.sum(row.map((r) => t.exp(t.shift(r, -max))))), max);
      loss = t.add(loss, t.sub(lse, row[targets[b * T + pos]]));
    });
  }
  loss = t.scale(loss, 1 / (batch * T));
  const g = t.backward(loss);
  const grads: RefLmParams = new Map([...leaves].map(([name, ls]) => [name, Float64Array.from(ls, (i) => g[i])]));
  return { loss: t.val[loss], logits: Float64Array.from(logits), grads };
}

export interface RefLmAdamState { m: RefLmParams; v: RefLmParams; step: number }

/**
 * Global-norm clipping (g × clip/max(‖g‖, clip)), then AdamW as PyTorch writes it, with weight
 * decay on matrices only (norm gains, the 1-D parameters, are not decayed).
 */
export function refLmAdamWStep(params: RefLmParams, grads: RefLmParams, state: RefLmAdamState, hp: { lr: number; wd: number; clip: number }) {
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let sq = 0;
  for (const g of grads.values()) for (const x of g) sq += x * x;
  const gradNorm = Math.sqrt(sq);
  const factor = hp.clip === Infinity ? 1 : hp.clip / Math.max(gradNorm, hp.clip);
  const step = state.step + 1;
  const next = { params: new Map() as RefLmParams, m: new Map() as RefLmParams, v: new Map() as RefLmParams };
  for (const [name, p] of params) {
    const decayed = p.length !== 0 && !isGain(name);
    const [m, v, q] = [new Float64Array(p.length), new Float64Array(p.length), new Float64Array(p.length)];
    for (let i = 0; i < p.length; i++) {
      const g = grads.get(name)![i] * factor;
      m[i] = beta1 * state.m.get(name)![i] + (1 - beta1) * g;
      v[i] = beta2 * state.v.get(name)![i] + (1 - beta2) * g * g;
      const mHat = m[i] / (1 - beta1 ** step);
      const vHat = v[i] / (1 - beta2 ** step);
      q[i] = p[i] * (decayed ? 1 - hp.lr * hp.wd : 1) - (hp.lr * mHat) / (Math.sqrt(vHat) + eps);
    }
    next.params.set(name, q);
    next.m.set(name, m);
    next.v.set(name, v);
  }
  return { ...next, step, gradNorm };
}

const isGain = (name: string) => /layernorm\.weight$|^model\.norm\.weight$/.test(name);
