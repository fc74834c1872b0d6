// The seeded generator: reproducible, independent streams, and correctly distributed normals
// (the ziggurat's tables and tail are easy to get subtly wrong).
import { describe, expect, it } from 'vitest';
import { normalKernelLoaded } from '../../../src-main/engine/util/normal-kernel';
import { Rng } from '../../../src-main/engine/util/rng';
import { erf } from '../../../src-main/engine/nn/gates';

const normalCdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));

function kolmogorovSmirnov(samples: Float64Array): number {
  const s = Float64Array.from(samples).sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const c = normalCdf(s[i]);
    d = Math.max(d, Math.abs(c - i / s.length), Math.abs(c - (i + 1) / s.length));
  }
  return d;
}

describe('Rng', () => {
  it('repeats itself for the same seed and stream, and differs across seeds and streams', () => {
    const draw = (seed: number, stream: number) => Array.from({ length: 8 }, ((r) => () => r.nextU32())(new Rng(seed, stream)));
    expect(draw(1, 0)).toEqual(draw(1, 0));
    expect(draw(1, 0)).not.toEqual(draw(2, 0));
    expect(draw(1, 0)).not.toEqual(draw(1, 1));
  });

  it('draws uniforms in [0, 1) and permutations of every index', () => {
    const r = new Rng(4);
    for (let i = 0; i < 10000; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
    }
    const p = r.permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  for (const [name, sample] of [
    ['normal()', (r: Rng, n: number) => Float64Array.from({ length: n }, () => r.normal())],
    ['addNormal()', (r: Rng, n: number) => Float64Array.from(r.addNormal(new Float32Array(n), 1))],
  ] as const) {
    it(`${name} is standard normal: moments, Kolmogorov–Smirnov distance and tail mass`, () => {
      const n = 400_000;
      const x = sample(new Rng(11), n);
      let m = 0;
      let v = 0;
      let k = 0;
      for (const a of x) m += a;
      m /= n;
      for (const a of x) {
        v += (a - m) ** 2;
        k += (a - m) ** 4;
      }
      v /= n;
      k /= n * v * v;
      expect(Math.abs(m)).toBeLessThan(0.01);
      expect(Math.abs(v - 1)).toBeLessThan(0.01);
      expect(Math.abs(k - 3)).toBeLessThan(0.05);
      // the 1% critical value of the KS statistic is 1.63/√n
      expect(kolmogorovSmirnov(x)).toBeLessThan(1.63 / Math.sqrt(n));
      const tail = x.filter((a) => Math.abs(a) > 3.5).length / n;
      expect(Math.abs(tail - 2 * (1 - normalCdf(3.5)))).toBeLessThan(2e-4);
    });
  }
});

describe('input noise through the WebAssembly kernel', () => {
  it('adds the very bytes of the JS loop and leaves the generator where it leaves it', () => {
    // below the kernel's threshold, one chunk, several chunks with a ragged end; a batch's worth
    for (const [length, std] of [[1000, 1], [4096, 0.4], [65536 * 2 + 123, 1], [2048 * 784, 2.5]] as const) {
      const base = Float32Array.from({ length }, (_, i) => (i % 255) / 255);
      const kernel = new Rng(9, 2_000_003);
      const plain = new Rng(9, 2_000_003);
      const a = kernel.addNormal(base.slice(), std);
      const b = plain.addNormalJs(base.slice(), std);
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer)), `${length} × ${std}`).toBe(true);
      expect([kernel.nextU32(), kernel.nextU32()], `${length} × ${std}`).toEqual([plain.nextU32(), plain.nextU32()]);
    }
    expect(normalKernelLoaded()).toBe(true);
  });
});
