// The WebAssembly SIMD kernels of the eigensolver: the committed module is what the
// AssemblyScript source compiles to, each kernel agrees with its JS twin, the work shared with
// the helper thread gives what one thread gives, and both paths of eigh give the same
// decomposition.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eigh } from '../../../src-main/engine/linalg/eigh';
import { eighErrors, randomSymmetric } from '../../../src-main/bench/eigh';
import { gemmNT } from '../../../src-main/engine/linalg/gemm';
import { backTransform, tridiagonalize } from '../../../src-main/engine/linalg/householder';
import { divideAndConquer, secularVectors } from '../../../src-main/engine/linalg/divide';
import { solveTridiagonalAside } from '../../../src-main/engine/linalg/parallel';
import {
  Arena, wasmBackTransform, wasmDefault, wasmFusedUpdateSymv, wasmGemmNT, wasmKernels, wasmSecularVectors, wasmTridiagonalize, wasmTridiagonalWork,
} from '../../../src-main/engine/linalg/wasm';
import { Rng } from '../../../src-main/engine/util/rng';

const root = join(import.meta.dirname, '../../..');
const k = wasmKernels();
if (!k) throw new Error('WebAssembly SIMD kernels failed to load (Node 20 has SIMD: this is a bug)');

const random = (len: number, rng: Rng) => Float64Array.from({ length: len }, () => rng.normal());
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('eigh wasm kernels', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('the committed eigh-kernels.wasm is what wasm/eigh-kernels.ts compiles to', () => {
    const src = readFileSync(join(root, 'wasm/eigh-kernels.ts'), 'utf8');
    const flags = /\/\/ Build: npx asc (.*)\n\/\/\s+(.*) -o src-main\/engine\/linalg\/eigh-kernels\.wasm/.exec(src);
    expect(flags, 'the build command in the source header').not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'eigh-wasm-'));
    try {
      const out = join(dir, 'k.wasm');
      const args = `${flags![1]} ${flags![2]}`.split(/\s+/).filter(Boolean);
      execFileSync(process.execPath, [join(root, 'node_modules/assemblyscript/bin/asc.js'), ...args, '-o', out], { cwd: root, stdio: 'pipe' });
      const built = readFileSync(out), committed = readFileSync(join(root, 'src-main/engine/linalg/eigh-kernels.wasm'));
      expect(built.equals(committed), 'rebuild with the Build line of wasm/eigh-kernels.ts').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the default, and SQS_EIGH_KERNELS=js turns it off', () => {
    expect(wasmDefault()).toBe(true);
    vi.stubEnv('SQS_EIGH_KERNELS', 'js');
    expect(wasmDefault()).toBe(false);
  });

  it('gemmNT agrees with the JS kernel on odd shapes, offsets and both betas; transpose transposes', () => {
    const rng = new Rng(7, 0);
    const ar = new Arena(k);
    for (const [m, n, kk] of [[1, 1, 1], [5, 3, 7], [13, 9, 33], [64, 32, 100], [7, 66, 2]]) {
      const lda = kk + 3, ldb = kk + 1, ldc = n + 2;
      ar.reserve(3 * (m + n) * (kk + n + 8));
      const A = ar.f64(m * lda + 1), B = ar.f64(Math.max(n, kk) * Math.max(ldb, ldc) + 1), C = ar.f64(m * ldc + 1);
      A.set(random(A.length, rng)); B.set(random(B.length, rng)); C.set(random(C.length, rng));
      for (const beta of [0, 1] as const) {
        const want = C.slice();
        gemmNT(m, n, kk, A, 1, lda, B, 1, ldb, want, 1, ldc, beta);
        const got = C.slice();
        k.gemmNT(m, n, kk, A.byteOffset + 8, lda, B.byteOffset + 8, ldb, C.byteOffset + 8, ldc, beta);
        expect(maxDiff(C, want)).toBeLessThanOrEqual(1e-12 * kk);
        C.set(got);
      }
    }
    // the transpose the back-transformation reads its reflectors' columns from
    for (const n of [1, 5, 16, 37]) {
      ar.reserve(2 * n * n + 8);
      const src = ar.f64(n * n), dst = ar.f64(n * n);
      src.set(random(n * n, rng));
      k.transpose(src.byteOffset, n, dst.byteOffset);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(dst[j * n + i]).toBe(src[i * n + j]);
    }
    // the copying wrapper used by the merges writes only the m×n block
    const A = random(6 * 10, rng), B = random(5 * 10, rng), C = new Float64Array(6 * 8).fill(42), want = C.slice();
    wasmGemmNT(k)(6, 5, 10, A, 0, 10, B, 0, 10, C, 2, 8);
    gemmNT(6, 5, 10, A, 0, 10, B, 0, 10, want, 2, 8, 0);
    expect(maxDiff(C, want)).toBeLessThanOrEqual(1e-13);
  });

  it('the tridiagonalisation and back-transformation agree with the JS ones', () => {
    for (const n of [3, 4, 9, 40, 101]) {
      const a = randomSymmetric(n, n);
      const want = tridiagonalize(a.slice(), n);
      const work = wasmTridiagonalWork(k, n);
      work.a.set(a);
      const got = tridiagonalize(work.a, n, undefined, { vec: work.vec, fusedUpdateSymv: wasmFusedUpdateSymv(k) });
      expect(maxDiff(got.d, want.d)).toBeLessThanOrEqual(1e-12 * n);
      expect(maxDiff(got.e, want.e)).toBeLessThanOrEqual(1e-12 * n);
      expect(maxDiff(got.reflectors, want.reflectors)).toBeLessThanOrEqual(1e-10);
      const Z = random(n * n, new Rng(n, 2));
      const zj = Z.slice(), zw = Z.slice(), zp = Z.slice();
      backTransform(want, zj, n, 32);
      wasmBackTransform(k, want.reflectors, want.tau, n, zw, 8);
      wasmBackTransform(k, want.reflectors, want.tau, n, zp, 64, true);
      expect(maxDiff(zw, zj)).toBeLessThanOrEqual(1e-12 * n);
      expect(maxDiff(zp, zj)).toBeLessThanOrEqual(1e-12 * n);
    }
  });

  it('the tridiagonalisation split by rows with the helper thread agrees with one thread', () => {
    for (const n of [256, 301]) {
      const a = randomSymmetric(n, n);
      const want = tridiagonalize(a.slice(), n);
      const got = wasmTridiagonalize(k, n, true, (w) => w.set(a));
      expect(maxDiff(got.d, want.d)).toBeLessThanOrEqual(1e-12 * n);
      expect(maxDiff(got.e, want.e)).toBeLessThanOrEqual(1e-12 * n);
      expect(maxDiff(got.reflectors, want.reflectors)).toBeLessThanOrEqual(1e-10);
      expect(maxDiff(got.tau, want.tau)).toBeLessThanOrEqual(1e-10);
      // the same split every time: two calls give the same bytes
      const again = wasmTridiagonalize(k, n, true, (w) => w.set(a));
      expect([...again.d]).toEqual([...got.d]);
      expect([...again.reflectors]).toEqual([...got.reflectors]);
    }
  });

  it('the divide and conquer with one half on the helper thread gives the one-thread decomposition', () => {
    const n = 300, tri = tridiagonalize(randomSymmetric(n, 9), n);
    const one = divideAndConquer(tri.d, tri.e, n, undefined, false, { product: wasmGemmNT(k), secular: wasmSecularVectors(k) });
    const two = divideAndConquer(tri.d, tri.e, n, undefined, false, { product: wasmGemmNT(k, true), secular: wasmSecularVectors(k), aside: solveTridiagonalAside });
    // the helper runs the same kernels on the same numbers: identical, not merely close
    expect([...two.values]).toEqual([...one.values]);
    expect([...two.vectors]).toEqual([...one.vectors]);
  });

  it('roots shared with the helper thread are the roots one thread finds', () => {
    const rng = new Rng(12, 0), K = 401;
    const d = Float64Array.from({ length: K }, (_, i) => i + 0.5 * rng.uniform());
    const z = random(K, rng);
    let zz = 0;
    for (const x of z) zz += x * x;
    for (let i = 0; i < K; i++) z[i] /= Math.sqrt(zz);
    const one = wasmSecularVectors(k)(d, z, 0.9, K), two = wasmSecularVectors(k, true)(d, z, 0.9, K);
    expect([...two.lambda]).toEqual([...one.lambda]);
    expect([...two.U]).toEqual([...one.U]);
  });

  it('the secular equation and Löwner vectors agree with the JS ones', () => {
    const rng = new Rng(11, 0);
    for (const K of [1, 2, 3, 10, 57]) {
      const d = Float64Array.from({ length: K }, (_, i) => i + 0.5 * rng.uniform());
      const z = random(K, rng);
      let zz = 0;
      for (const x of z) zz += x * x;
      for (let i = 0; i < K; i++) z[i] /= Math.sqrt(zz);
      const want = secularVectors(d, z, 1.3, K), got = wasmSecularVectors(k)(d, z, 1.3, K);
      expect(maxDiff(got.lambda, want.lambda)).toBeLessThanOrEqual(1e-13 * K);
      expect(maxDiff(got.U, want.U)).toBeLessThanOrEqual(1e-11);
    }
  });

  it('eigh gives the same decomposition on both paths, one thread or two', () => {
    for (const n of [8, 33, 130, 400]) {
      const a = randomSymmetric(n, n + 1);
      const js = eigh(a, n, { kernels: 'js', parallel: false });
      for (const parallel of [false, true]) {
        const ws = eigh(a, n, { kernels: 'wasm', parallel });
        expect(maxDiff(ws.values, js.values)).toBeLessThanOrEqual(1e-12 * n);
        const { residual, orthogonality } = eighErrors(a, n, ws.values, ws.vectors);
        expect(residual).toBeLessThanOrEqual(1e-13);
        expect(orthogonality).toBeLessThanOrEqual(1e-12);
        // eigenvectors match up to sign (the spectrum of a random matrix is simple)
        for (let r = 0; r < n; r++) {
          let dot = 0;
          for (let c = 0; c < n; c++) dot += ws.vectors[r * n + c] * js.vectors[r * n + c];
          expect(Math.abs(Math.abs(dot) - 1)).toBeLessThanOrEqual(1e-8);
        }
      }
    }
  });
});
