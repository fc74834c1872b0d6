// Plain float64 references of the sequence-model ops, written from their definitions and
// independent of the graph code, for gradient checks.
import type { RefTensor } from './op-reference';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** rows of table [V, d] at ids → [...idsShape, d] */
export function gather(table: RefTensor, ids: number[], idsShape: number[]): RefTensor {
  const d = table.shape[1];
  const data = new Float64Array(ids.length * d);
  ids.forEach((id, r) => data.set(table.data.subarray(id * d, id * d + d), r * d));
  return { shape: [...idsShape, d], data };
}

/** op(A)·op(B) for every index of the leading dims */
export function batchedMatmul(a: RefTensor, b: RefTensor, transA: boolean, transB: boolean): RefTensor {
  const r = a.shape.length;
  const lead = a.shape.slice(0, r - 2);
  const [ar, ac] = a.shape.slice(r - 2);
  const [br, bc] = b.shape.slice(r - 2);
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const n = transB ? br : bc;
  const batches = size(lead);
  const data = new Float64Array(batches * m * n);
  for (let s = 0; s < batches; s++) {
    const A = (i: number, q: number) => a.data[s * ar * ac + (transA ? q * ac + i : i * ac + q)];
    const B = (q: number, j: number) => b.data[s * br * bc + (transB ? j * bc + q : q * bc + j)];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let q = 0; q < k; q++) acc += A(i, q) * B(q, j);
        data[s * m * n + i * n + j] = acc;
      }
  }
  return { shape: [...lead, m, n], data };
}

export function transpose(a: RefTensor, perm: number[]): RefTensor {
  const shape = perm.map((p) => a.shape[p]);
  const strides = a.shape.map((_, i) => size(a.shape.slice(i + 1)));
  const data = new Float64Array(a.data.length);
  for (let o = 0; o < data.length; o++) {
    let rest = o;
    let src = 0;
    for (let i = shape.length - 1; i >= 0; i--) {
      src += (rest % shape[i]) * strides[perm[i]];
      rest = Math.floor(rest / shape[i]);
    }
    data[o] = a.data[src];
  }
  return { shape, data };
}

export function causalSoftmax(a: RefTensor): RefTensor {
  const T = a.shape[a.shape.length - 1];
  const data = new Float64Array(a.data.length);
  for (let row = 0; row < a.data.length / T; row++) {
    const i = row % T;
    const x = a.data.subarray(row * T, row * T + i + 1);
    const max = Math.max(...x);
    const z = x.reduce((s, v) => s + Math.exp(v - max), 0);
    for (let j = 0; j <= i; j++) data[row * T + j] = Math.exp(x[j] - max) / z;
  }
  return { shape: [...a.shape], data };
}

export function rmsnorm(a: RefTensor, eps: number): RefTensor {
  const d = a.shape[a.shape.length - 1];
  const data = new Float64Array(a.data.length);
  for (let row = 0; row < a.data.length / d; row++) {
    const x = a.data.subarray(row * d, row * d + d);
    const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / d + eps);
    for (let i = 0; i < d; i++) data[row * d + i] = x[i] / rms;
  }
  return { shape: [...a.shape], data };
}

/** pairs (i, i + dh/2) at position t turned by angle t·base^(−2i/dh) (backwards when inverse) */
export function rotary(a: RefTensor, base: number, inverse: boolean): RefTensor {
  const [T, dh] = a.shape.slice(-2);
  const half = dh / 2;
  const data = new Float64Array(a.data.length);
  for (let row = 0; row < a.data.length / dh; row++) {
    const t = row % T;
    for (let i = 0; i < half; i++) {
      const angle = (inverse ? -1 : 1) * t * Math.pow(base, (-2 * i) / dh);
      const [x1, x2] = [a.data[row * dh + i], a.data[row * dh + i + half]];
      data[row * dh + i] = x1 * Math.cos(angle) - x2 * Math.sin(angle);
      data[row * dh + i + half] = x2 * Math.cos(angle) + x1 * Math.sin(angle);
    }
  }
  return { shape: [...a.shape], data };
}

/** mean over rows of −log softmax(logits)[target] */
export function tokenCrossEntropy(logits: RefTensor, targets: number[]): RefTensor {
  const V = logits.shape[1];
  let total = 0;
  targets.forEach((t, r) => {
    const x = logits.data.subarray(r * V, r * V + V);
    const max = Math.max(...x);
    total += max + Math.log(x.reduce((s, v) => s + Math.exp(v - max), 0)) - x[t];
  });
  return { shape: [], data: Float64Array.of(total / targets.length) };
}
