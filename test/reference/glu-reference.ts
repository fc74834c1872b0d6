// Independent float64 reference of one training step of the GLU classifiers (docs/science.md).
// Used by tests to check the ONNX training graphs, so it deliberately imports nothing from
// src-main/: plain loops over row-major Float64Arrays, backprop derived by hand.

export type RefGate =
  | { kind: 'bilinear' }
  | { kind: 'sqs'; c: number; lambda: number; p: number }
  | { kind: 'swiglu' }
  | { kind: 'geglu' }
  | { kind: 'reglu' }
  | { kind: 'relu-mlp' };

export interface RefLayer {
  w: Float64Array; // [h, d]
  v: Float64Array; // [h, d]; empty for relu-mlp
  out?: Float64Array; // [d, h]; only when layers > 1
}

export interface RefParams {
  embed: Float64Array; // [d, dIn]
  layers: RefLayer[];
  head: Float64Array; // [C, h] with one layer, else [C, d]
}

export interface RefDims {
  dIn: number;
  d: number;
  h: number;
  classes: number;
  layers: number;
}

export interface AdamWState {
  m: RefParams;
  v: RefParams;
  step: number; // steps already taken
}

// ---------------------------------------------------------------------------------------
// Scalar functions

/**
 * erf to ~1e-15 (checked to within 2 ulp on a grid). For |x| < 1.5 uses the all-positive series
 * erf(x) = 2/√π · e^{-x²} · Σ_n 2^n x^{2n+1} / (1·3·…·(2n+1)),
 * which has no cancellation (unlike the alternating Taylor series). For |x| ≥ 1.5 it uses
 * erf = 1 − erfc with the erfc continued fraction
 * erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated backwards.
 */
export function refErf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  let r: number;
  if (ax < 1.5) {
    const x2 = ax * ax;
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
  } else if (ax < 7) {
    let f = ax;
    for (let n = 300; n >= 1; n--) f = ax + n / 2 / f; // converged to float64 for x ≥ 1.5
    r = 1 - Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f);
  } else {
    r = 1; // erfc(7) ≈ 4e-23, below float64 resolution of 1
  }
  return x < 0 ? -r : r;
}

function sigmoid(x: number): number {
  // Two branches so that exp never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** The scalar gate σ. relu-mlp uses ReLU as its activation. */
export function refGate(g: RefGate, x: number): number {
  switch (g.kind) {
    case 'bilinear':
      return x;
    case 'sqs': {
      const s = x >= 0 ? 1 : -1; // sgn(0) = +1
      const ap = Math.pow(Math.abs(x), g.p);
      return (s * (ap - g.c)) / (1 + g.lambda * ap);
    }
    case 'swiglu':
      return x * sigmoid(x);
    case 'geglu':
      return 0.5 * x * (1 + refErf(x / Math.SQRT2));
    case 'reglu':
    case 'relu-mlp':
      return x > 0 ? x : 0;
  }
}

/** σ'(x). For SQS at x = 0 uses |x|^(p-1) := 1 if p == 1 else 0 (the one-sided limit). */
export function refGateDeriv(g: RefGate, x: number): number {
  switch (g.kind) {
    case 'bilinear':
      return 1;
    case 'sqs': {
      const ax = Math.abs(x);
      const apm1 = ax === 0 ? (g.p === 1 ? 1 : 0) : Math.pow(ax, g.p - 1);
      const den = 1 + g.lambda * Math.pow(ax, g.p);
      return (g.p * apm1 * (1 + g.lambda * g.c)) / (den * den);
    }
    case 'swiglu': {
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    }
    case 'geglu':
      // d/dx [x Φ(x)] = Φ(x) + x φ(x)
      return 0.5 * (1 + refErf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
    case 'reglu':
    case 'relu-mlp':
      return x > 0 ? 1 : 0;
  }
}

// ---------------------------------------------------------------------------------------
// Small dense helpers (row-major)

/** y[r] = Σ_c A[r, c] x[c], A is [rows, cols]. */
function matVec(a: Float64Array, rows: number, cols: number, x: Float64Array, xOff = 0): Float64Array {
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += a[r * cols + c] * x[xOff + c];
    y[r] = s;
  }
  return y;
}

/** y[c] += Σ_r A[r, c] x[r] (transpose product, accumulated). */
function addMatTVec(y: Float64Array, a: Float64Array, rows: number, cols: number, x: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const xr = x[r];
    for (let c = 0; c < cols; c++) y[c] += a[r * cols + c] * xr;
  }
}

/** G[r, c] += u[r] v[c] (outer product accumulated into a [rows, cols] gradient). */
function addOuter(g: Float64Array, u: Float64Array, v: Float64Array, vOff = 0, cols = v.length - vOff): void {
  for (let r = 0; r < u.length; r++) {
    const ur = u[r];
    if (ur === 0) continue;
    for (let c = 0; c < cols; c++) g[r * cols + c] += ur * v[vOff + c];
  }
}

/** New params of the same structure, each tensor mapped through f. */
export function refMapParams(p: RefParams, f: (a: Float64Array) => Float64Array): RefParams {
  return {
    embed: f(p.embed),
    layers: p.layers.map((l) => {
      const nl: RefLayer = { w: f(l.w), v: f(l.v) };
      if (l.out) nl.out = f(l.out);
      return nl;
    }),
    head: f(p.head),
  };
}

export function refZerosLike(p: RefParams): RefParams {
  return refMapParams(p, (a) => new Float64Array(a.length));
}

export function refCloneParams(p: RefParams): RefParams {
  return refMapParams(p, (a) => Float64Array.from(a));
}

/** Every tensor of the params in a fixed order (embed, per layer w, v, out, head). */
export function refTensors(p: RefParams): Float64Array[] {
  const out: Float64Array[] = [p.embed];
  for (const l of p.layers) {
    out.push(l.w, l.v);
    if (l.out) out.push(l.out);
  }
  out.push(p.head);
  return out;
}

/** Deterministic small random params (mulberry32 + Box-Muller), scaled like 1/√fan_in. */
export function refRandomParams(dims: RefDims, gate: RefGate, seed: number): RefParams {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const randn = (n: number, fanIn: number): Float64Array => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = Math.sqrt(-2 * Math.log(uniform()));
      a[i] = (r * Math.cos(2 * Math.PI * uniform())) / Math.sqrt(fanIn);
    }
    return a;
  };
  const { dIn, d, h, classes, layers } = dims;
  const ls: RefLayer[] = [];
  for (let i = 0; i < layers; i++) {
    const l: RefLayer = {
      w: randn(h * d, d),
      v: gate.kind === 'relu-mlp' ? new Float64Array(0) : randn(h * d, d),
    };
    if (layers > 1) l.out = randn(d * h, h);
    ls.push(l);
  }
  return { embed: randn(d * dIn, dIn), layers: ls, head: randn(classes * (layers > 1 ? d : h), layers > 1 ? d : h) };
}

// ---------------------------------------------------------------------------------------
// Forward and backward

/** Per-example activations kept for the backward pass. */
interface LayerCache {
  zIn: Float64Array; // [d] input to the layer
  a: Float64Array; // [h] W z
  b: Float64Array; // [h] V z (empty for relu-mlp)
  g: Float64Array; // [h] layer output before the down-projection
}

function forwardOne(p: RefParams, dims: RefDims, gate: RefGate, x: Float64Array, off: number) {
  const { dIn, d, h, classes } = dims;
  const mlp = gate.kind === 'relu-mlp';
  let z = matVec(p.embed, d, dIn, x, off);
  const caches: LayerCache[] = [];
  for (let i = 0; i < dims.layers; i++) {
    const L = p.layers[i];
    const a = matVec(L.w, h, d, z);
    const b = mlp ? new Float64Array(0) : matVec(L.v, h, d, z);
    const g = new Float64Array(h);
    for (let k = 0; k < h; k++) g[k] = mlp ? refGate(gate, a[k]) : refGate(gate, a[k]) * b[k];
    caches.push({ zIn: z, a, b, g });
    if (dims.layers > 1) {
      // Residual: z ← z + O g
      const next = Float64Array.from(z);
      const og = matVec(L.out!, d, h, g);
      for (let j = 0; j < d; j++) next[j] += og[j];
      z = next;
    } else {
      z = g; // single layer: the head reads g directly
    }
  }
  const logits = matVec(p.head, classes, dims.layers > 1 ? d : h, z);
  return { logits, caches, zFinal: z };
}

export function refForward(
  p: RefParams,
  dims: RefDims,
  gate: RefGate,
  x: Float64Array,
  batch: number,
): { logits: Float64Array } {
  const C = dims.classes;
  const logits = new Float64Array(batch * C);
  for (let n = 0; n < batch; n++) logits.set(forwardOne(p, dims, gate, x, n * dims.dIn).logits, n * C);
  return { logits };
}

/** Mean softmax cross-entropy of [B, C] logits (max-subtracted for stability). */
export function refCrossEntropy(logits: Float64Array, labels: ArrayLike<number>, batch: number, classes: number): number {
  let total = 0;
  for (let n = 0; n < batch; n++) {
    let mx = -Infinity;
    for (let c = 0; c < classes; c++) mx = Math.max(mx, logits[n * classes + c]);
    let se = 0;
    for (let c = 0; c < classes; c++) se += Math.exp(logits[n * classes + c] - mx);
    total += Math.log(se) + mx - logits[n * classes + labels[n]];
  }
  return total / batch;
}

export function refLossAndGrads(
  p: RefParams,
  dims: RefDims,
  gate: RefGate,
  x: Float64Array,
  labels: Uint8Array | number[],
  batch: number,
): { loss: number; grads: RefParams } {
  const { dIn, d, h, classes: C } = dims;
  const mlp = gate.kind === 'relu-mlp';
  const deep = dims.layers > 1;
  const grads = refZerosLike(p);
  let loss = 0;
  for (let n = 0; n < batch; n++) {
    const { logits, caches, zFinal } = forwardOne(p, dims, gate, x, n * dIn);
    // Softmax and loss for this example.
    let mx = -Infinity;
    for (let c = 0; c < C; c++) mx = Math.max(mx, logits[c]);
    let se = 0;
    for (let c = 0; c < C; c++) se += Math.exp(logits[c] - mx);
    const y = labels[n];
    loss += Math.log(se) + mx - logits[y];
    // dL/dlogits = (softmax − onehot) / B, since the loss is a batch mean.
    const dLogits = new Float64Array(C);
    for (let c = 0; c < C; c++) dLogits[c] = (Math.exp(logits[c] - mx) / se - (c === y ? 1 : 0)) / batch;

    // Head: logits = U zFinal.
    addOuter(grads.head, dLogits, zFinal);
    let dz = new Float64Array(deep ? d : h);
    addMatTVec(dz, p.head, C, deep ? d : h, dLogits);

    for (let i = dims.layers - 1; i >= 0; i--) {
      const L = p.layers[i];
      const G = grads.layers[i];
      const { zIn, a, b, g } = caches[i];
      let dg: Float64Array;
      if (deep) {
        // z_out = z_in + O g  ⇒  dO += dz gᵀ, dg = Oᵀ dz, and dz passes through the residual.
        addOuter(G.out!, dz, g);
        dg = new Float64Array(h);
        addMatTVec(dg, L.out!, d, h, dz);
      } else {
        dg = dz;
      }
      // g = σ(a) ⊙ b  ⇒  da = dg ⊙ b ⊙ σ'(a), db = dg ⊙ σ(a). relu-mlp: g = σ(a).
      const da = new Float64Array(h);
      const db = new Float64Array(mlp ? 0 : h);
      for (let k = 0; k < h; k++) {
        const sd = refGateDeriv(gate, a[k]);
        if (mlp) {
          da[k] = dg[k] * sd;
        } else {
          da[k] = dg[k] * b[k] * sd;
          db[k] = dg[k] * refGate(gate, a[k]);
        }
      }
      addOuter(G.w, da, zIn);
      if (!mlp) addOuter(G.v, db, zIn);
      // dz_in = (residual ? dz_out : 0) + Wᵀ da + Vᵀ db
      const dzIn = deep ? Float64Array.from(dz) : new Float64Array(d);
      addMatTVec(dzIn, L.w, h, d, da);
      if (!mlp) addMatTVec(dzIn, L.v, h, d, db);
      dz = dzIn;
    }
    // z = E x  ⇒  dE += dz xᵀ
    addOuter(grads.embed, dz, x, n * dIn, dIn);
  }
  return { loss: loss / batch, grads };
}

// ---------------------------------------------------------------------------------------
// Optimiser

/** One AdamW step with PyTorch semantics (decoupled weight decay on every parameter). */
export function refAdamWStep(
  p: RefParams,
  grads: RefParams,
  st: AdamWState,
  hp: { lr: number; wd: number; beta1: number; beta2: number; eps: number },
): { params: RefParams; state: AdamWState } {
  const t = st.step + 1;
  const bc1 = 1 - Math.pow(hp.beta1, t);
  const bc2 = 1 - Math.pow(hp.beta2, t);
  const params = refCloneParams(p);
  const m = refCloneParams(st.m);
  const v = refCloneParams(st.v);
  const P = refTensors(params);
  const Gs = refTensors(grads);
  const M = refTensors(m);
  const V = refTensors(v);
  for (let k = 0; k < P.length; k++) {
    for (let i = 0; i < P[k].length; i++) {
      const gi = Gs[k][i];
      M[k][i] = hp.beta1 * M[k][i] + (1 - hp.beta1) * gi;
      V[k][i] = hp.beta2 * V[k][i] + (1 - hp.beta2) * gi * gi;
      const mHat = M[k][i] / bc1;
      const vHat = V[k][i] / bc2;
      P[k][i] = P[k][i] * (1 - hp.lr * hp.wd) - (hp.lr * mHat) / (Math.sqrt(vHat) + hp.eps);
    }
  }
  return { params, state: { m, v, step: t } };
}
