// Seeded pseudo-random numbers for everything the engine draws (init, shuffles, noise, splits).
// xoshiro128** on 32-bit integers: fast in JS and identical on every platform, which makes
// runs reproducible byte for byte.

import { normalKernel } from './normal-kernel';

export class Rng {
  /** xoshiro128 state, kept as int32 so that V8 never boxes it */
  private readonly state = new Int32Array(4);

  /** `stream` separates independent sequences drawn from the same seed (init, shuffle, noise…). */
  constructor(seed: number, stream = 0) {
    let x = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      // splitmix32 to spread the seed over the whole state
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const st = this.state;
    for (let i = 0; i < 4; i++) st[i] = next();
    if ((st[0] | st[1] | st[2] | st[3]) === 0) st[0] = 1;
  }

  nextU32(): number {
    return this.nextI32() >>> 0;
  }

  /** The next 32 random bits as a signed integer. */
  nextI32(): number {
    const st = this.state;
    const s1 = st[1];
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    st[2] ^= st[0];
    st[3] ^= s1;
    st[1] = s1 ^ st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = rotl(st[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /**
   * Standard normal by Marsaglia and Tsang's ziggurat (128 layers): about one 32-bit draw per
   * sample, several times faster than polar or Box–Muller, which matters because input noise
   * needs a fresh normal for every pixel of every training example. The layer index comes from
   * the low 7 bits and the magnitude from the other 25, so the two never share bits.
   */
  normal(): number {
    const u = this.nextI32();
    const i = u & 127;
    const j = u >> 7;
    if (Math.abs(j) < ZIG.k[i]) return j * ZIG.w[i];
    return this.zigguratSlow(i, j);
  }

  /** The ziggurat's rejection steps, after draw (layer i, magnitude j) missed the fast path. */
  private zigguratSlow(i: number, j: number): number {
    for (;;) {
      const x = j * ZIG.w[i];
      if (i === 0) {
        // the tail beyond r, by Marsaglia's exponential method
        let tx: number;
        let ty: number;
        do {
          tx = -Math.log(1 - this.uniform()) / ZIG_R;
          ty = -Math.log(1 - this.uniform());
        } while (ty + ty < tx * tx);
        return j > 0 ? ZIG_R + tx : -ZIG_R - tx;
      }
      if (ZIG.f[i] + this.uniform() * (ZIG.f[i - 1] - ZIG.f[i]) < Math.exp(-0.5 * x * x)) return x;
      const u = this.nextI32();
      i = u & 127;
      j = u >> 7;
      if (Math.abs(j) < ZIG.k[i]) return j * ZIG.w[i];
    }
  }

  /** Fills `out` with N(0, std²) samples. */
  fillNormal(out: Float32Array, std = 1): Float32Array {
    out.fill(0);
    return this.addNormal(out, std);
  }

  /**
   * Adds N(0, std²) noise to every element of `out`. Input noise draws one normal per pixel per
   * example, so this is hot: the ziggurat's fast path runs over the whole array first (in
   * WebAssembly for large arrays, normal-kernel.ts; else in the JS loop of addNormalJs, about 6 ns
   * a draw), and the rare misses (about 1.2%) are finished afterwards, in order.
   */
  addNormal(out: Float32Array, std = 1): Float32Array {
    const kernel = out.length >= WASM_MIN_LENGTH ? normalKernel(ZIG.kInt, ZIG.w) : null;
    return kernel ? this.finishMisses(out, std, kernel.fastPath(this.state, out, std)) : this.addNormalJs(out, std);
  }

  /** addNormal through the JS loop alone: the bytes the WebAssembly kernel must match. */
  addNormalJs(out: Float32Array, std = 1): Float32Array {
    const { kInt: k, w } = ZIG;
    const st = this.state;
    let s0 = st[0];
    let s1 = st[1];
    let s2 = st[2];
    let s3 = st[3];
    let misses = new Int32Array(256);
    let count = 0;
    for (let n = 0; n < out.length; n++) {
      const r = Math.imul(s1, 5);
      const u = Math.imul((r << 7) | (r >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const i = u & 127;
      const j = u >> 7;
      if ((j < 0 ? -j : j) < k[i]) out[n] += std * j * w[i];
      else {
        if (count + 2 > misses.length) {
          const grown = new Int32Array(misses.length * 2);
          grown.set(misses);
          misses = grown;
        }
        misses[count++] = n;
        misses[count++] = u;
      }
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    return this.finishMisses(out, std, { misses, count });
  }

  /** The fast path's misses, (index, draw) pairs in order, finished by the ziggurat's slow path. */
  private finishMisses(out: Float32Array, std: number, { misses, count }: { misses: Int32Array; count: number }): Float32Array {
    for (let m = 0; m < count; m += 2) {
      const u = misses[m + 1];
      out[misses[m]] += std * this.zigguratSlow(u & 127, u >> 7);
    }
    return out;
  }

  /** Fills `out` with U(-bound, bound) samples. */
  fillUniform(out: Float32Array, bound: number): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = bound * (2 * this.uniform() - 1);
    return out;
  }

  /** A random permutation of 0 … n−1 (Fisher–Yates). */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const ZIG_R = 3.442619855899;

/** Below this, the WebAssembly kernel's copies in and out cost more than they save. */
const WASM_MIN_LENGTH = 4096;

/** Ziggurat tables for 128 layers of equal area v (Marsaglia & Tsang 2000), 25-bit magnitudes. */
const ZIG = (() => {
  const m = 2 ** 24;
  const v = 9.91256303526217e-3;
  const k = new Float64Array(128);
  const w = new Float64Array(128);
  const f = new Float64Array(128);
  let dn = ZIG_R;
  let tn = dn;
  const q = v / Math.exp(-0.5 * dn * dn);
  k[0] = (dn / q) * m;
  k[1] = 0;
  w[0] = q / m;
  w[127] = dn / m;
  f[0] = 1;
  f[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(v / dn + Math.exp(-0.5 * dn * dn)));
    k[i + 1] = (dn / tn) * m;
    tn = dn;
    f[i] = Math.exp(-0.5 * dn * dn);
    w[i] = dn / m;
  }
  // integer thresholds for the fast path's comparison (int32 against int32 stays in registers)
  const kInt = Int32Array.from(k, (v) => Math.min(v, 2 ** 31 - 1));
  return { k, kInt, w, f };
})();
