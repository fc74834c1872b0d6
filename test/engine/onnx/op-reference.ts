// Plain float64 references of each op, independent of the graph code, for gradient checks.
export interface RefTensor { shape: number[]; data: Float64Array }

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function broadcastShape(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => Math.max(a[a.length - n + i] ?? 1, b[b.length - n + i] ?? 1));
}

/** Index of a broadcast operand's element for output multi-index `idx`. */
function sourceIndex(shape: number[], outShape: number[], idx: number[]): number {
  let flat = 0;
  const lead = outShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) flat = flat * shape[i] + (shape[i] === 1 ? 0 : idx[i + lead]);
  return flat;
}

function unravel(flat: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    idx[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return idx;
}

export function elementwise2(a: RefTensor, b: RefTensor, f: (x: number, y: number) => number): RefTensor {
  const shape = broadcastShape(a.shape, b.shape);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    data[i] = f(a.data[sourceIndex(a.shape, shape, idx)], b.data[sourceIndex(b.shape, shape, idx)]);
  }
  return { shape, data };
}

export function elementwise1(a: RefTensor, f: (x: number) => number): RefTensor {
  return { shape: [...a.shape], data: a.data.map(f) };
}

export function reduceSum(a: RefTensor, axes: number[], keepdims: boolean): RefTensor {
  const kept = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const data = new Float64Array(size(kept));
  for (let i = 0; i < a.data.length; i++) {
    const idx = unravel(i, a.shape).map((v, k) => (axes.includes(k) ? 0 : v));
    let flat = 0;
    for (let k = 0; k < kept.length; k++) flat = flat * kept[k] + idx[k];
    data[flat] += a.data[i];
  }
  return { shape: keepdims ? kept : a.shape.filter((_, i) => !axes.includes(i)), data };
}

export function expandTo(a: RefTensor, shape: number[]): RefTensor {
  return elementwise2(a, { shape, data: new Float64Array(size(shape)) }, (x) => x);
}

export function logSoftmaxRows(a: RefTensor): RefTensor {
  const cols = a.shape[a.shape.length - 1];
  const out = new Float64Array(a.data.length);
  for (let r = 0; r < a.data.length / cols; r++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, a.data[r * cols + c]);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(a.data[r * cols + c] - max);
    for (let c = 0; c < cols; c++) out[r * cols + c] = a.data[r * cols + c] - max - Math.log(s);
  }
  return { shape: [...a.shape], data: out };
}

export function matmul(a: RefTensor, b: RefTensor, transA: boolean, transB: boolean): RefTensor {
  const at = (i: number, k: number) => (transA ? a.data[k * a.shape[1] + i] : a.data[i * a.shape[1] + k]);
  const bt = (k: number, j: number) => (transB ? b.data[j * b.shape[1] + k] : b.data[k * b.shape[1] + j]);
  const m = transA ? a.shape[1] : a.shape[0];
  const kk = transA ? a.shape[0] : a.shape[1];
  const n = transB ? b.shape[0] : b.shape[1];
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < kk; k++) s += at(i, k) * bt(k, j);
      data[i * n + j] = s;
    }
  return { shape: [m, n], data };
}

export function erf(x: number): number {
  // Maclaurin series for |x| < 3, continued fraction for the tail: ample for float32 checks
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}
