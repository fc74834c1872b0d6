// WebAssembly SIMD (f64x2) kernels of the symmetric eigensolver, in AssemblyScript.
// Same contracts as the JS kernels of src-main/engine/linalg/gemm.ts and householder.ts, on
// byte addresses into this module's linear memory (row-major f64, leading dimensions in
// elements). No allocation here: the caller (linalg/wasm.ts) owns the memory layout.
// Build: npx asc wasm/eigh-kernels.ts --enable simd,threads -O3 --runtime stub --noAssert --importMemory
//        --sharedMemory --initialMemory 2 --maximumMemory 32768 -o src-main/engine/linalg/eigh-kernels.wasm

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** C = beta·C + A·Bᵀ (m×n, inner kk); beta 0 overwrites. 4×2 blocks, k two at a time. */
export function gemmNT(
  m: i32, n: i32, kk: i32,
  A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, beta: i32,
): void {
  const k2 = kk & ~1;
  const sa = <usize>lda << 3, sb = <usize>ldb << 3, sc = <usize>ldc << 3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = A + <usize>i * sa, a1 = a0 + sa, a2 = a1 + sa, a3 = a2 + sa;
    const c0 = C + <usize>i * sc, c1 = c0 + sc, c2 = c1 + sc, c3 = c2 + sc;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = B + <usize>j * sb, b1 = b0 + sb;
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
      let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s30 = f64x2.splat(0), s31 = f64x2.splat(0);
      for (let k = 0; k < k2; k += 2) {
        const o = <usize>k << 3;
        const x = v128.load(b0 + o), y = v128.load(b1 + o);
        const p = v128.load(a0 + o), q = v128.load(a1 + o), r = v128.load(a2 + o), s = v128.load(a3 + o);
        s00 = f64x2.add(s00, f64x2.mul(p, x)); s01 = f64x2.add(s01, f64x2.mul(p, y));
        s10 = f64x2.add(s10, f64x2.mul(q, x)); s11 = f64x2.add(s11, f64x2.mul(q, y));
        s20 = f64x2.add(s20, f64x2.mul(r, x)); s21 = f64x2.add(s21, f64x2.mul(r, y));
        s30 = f64x2.add(s30, f64x2.mul(s, x)); s31 = f64x2.add(s31, f64x2.mul(s, y));
      }
      let t00 = hsum(s00), t01 = hsum(s01), t10 = hsum(s10), t11 = hsum(s11);
      let t20 = hsum(s20), t21 = hsum(s21), t30 = hsum(s30), t31 = hsum(s31);
      if (k2 < kk) {
        const o = <usize>k2 << 3;
        const x = load<f64>(b0 + o), y = load<f64>(b1 + o);
        const p = load<f64>(a0 + o), q = load<f64>(a1 + o), r = load<f64>(a2 + o), s = load<f64>(a3 + o);
        t00 += p * x; t01 += p * y; t10 += q * x; t11 += q * y;
        t20 += r * x; t21 += r * y; t30 += s * x; t31 += s * y;
      }
      const oj = <usize>j << 3;
      if (beta != 0) {
        t00 += load<f64>(c0 + oj); t01 += load<f64>(c0 + oj, 8); t10 += load<f64>(c1 + oj); t11 += load<f64>(c1 + oj, 8);
        t20 += load<f64>(c2 + oj); t21 += load<f64>(c2 + oj, 8); t30 += load<f64>(c3 + oj); t31 += load<f64>(c3 + oj, 8);
      }
      store<f64>(c0 + oj, t00); store<f64>(c0 + oj, t01, 8); store<f64>(c1 + oj, t10); store<f64>(c1 + oj, t11, 8);
      store<f64>(c2 + oj, t20); store<f64>(c2 + oj, t21, 8); store<f64>(c3 + oj, t30); store<f64>(c3 + oj, t31, 8);
    }
    for (; j < n; j++) {
      const b0 = B + <usize>j * sb, oj = <usize>j << 3;
      store<f64>(c0 + oj, dot(a0, b0, kk) + (beta != 0 ? load<f64>(c0 + oj) : 0));
      store<f64>(c1 + oj, dot(a1, b0, kk) + (beta != 0 ? load<f64>(c1 + oj) : 0));
      store<f64>(c2 + oj, dot(a2, b0, kk) + (beta != 0 ? load<f64>(c2 + oj) : 0));
      store<f64>(c3 + oj, dot(a3, b0, kk) + (beta != 0 ? load<f64>(c3 + oj) : 0));
    }
  }
  for (; i < m; i++) {
    const a0 = A + <usize>i * sa, c0 = C + <usize>i * sc;
    for (let j = 0; j < n; j++) {
      const oj = <usize>j << 3;
      store<f64>(c0 + oj, dot(a0, B + <usize>j * sb, kk) + (beta != 0 ? load<f64>(c0 + oj) : 0));
    }
  }
}

@inline function dot(a: usize, b: usize, kk: i32): f64 {
  let s = f64x2.splat(0);
  const k2 = kk & ~1;
  for (let k = 0; k < k2; k += 2) {
    const o = <usize>k << 3;
    s = f64x2.add(s, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  }
  let t = hsum(s);
  if (k2 < kk) t += load<f64>(a + (<usize>k2 << 3)) * load<f64>(b + (<usize>k2 << 3));
  return t;
}

/**
 * dst = srcᵀ for n×n row-major matrices, in 16×16 tiles so that both sides stay in cache. The
 * back-transformation reads its reflectors both ways: as rows for Z·Y, as columns for the update
 * Z −= W·Yᵀ, which gemmNT then does with its accumulators in registers (measured: ~25 % faster
 * than an axpy-form C += A·B).
 */
export function transpose(src: usize, n: i32, dst: usize): void {
  const sn = <usize>n << 3;
  for (let i0 = 0; i0 < n; i0 += 16) {
    const i1 = min(i0 + 16, n);
    for (let j0 = 0; j0 < n; j0 += 16) {
      const j1 = min(j0 + 16, n);
      for (let i = i0; i < i1; i++) {
        const si = src + <usize>i * sn, di = dst + (<usize>i << 3);
        for (let j = j0; j < j1; j++) store<f64>(di + <usize>j * sn, load<f64>(si + (<usize>j << 3)));
      }
    }
  }
}

/**
 * Rows [r0, r1) (r0 ≥ s), columns ≥ s, of the lower triangle of a (n×n): A ← A − v wᵀ − w vᵀ,
 * those rows' share of p = A_new·vn, which reaches entries [s, r1) (p zeroed there first), and
 * col[i] = A_new[i][s] for those rows. With r0 = s, r1 = n it is the whole pass; a row range lets
 * two threads split it. Two rows per pass, columns two at a time.
 */
export function fusedUpdateSymv(a: usize, n: i32, s: i32, r0: i32, r1: i32, v: usize, w: usize, vn: usize, p: usize, col: usize): void {
  const os = <usize>s << 3;
  for (let j = s; j < r1; j++) store<f64>(p + (<usize>j << 3), 0);
  const sn = <usize>n << 3;
  let i = r0;
  for (; i + 1 < r1; i += 2) {
    const oi = <usize>i << 3;
    const a0 = a + <usize>i * sn, a1 = a0 + sn;
    const v0 = load<f64>(v + oi), w0 = load<f64>(w + oi), x0 = load<f64>(vn + oi);
    const v1 = load<f64>(v + oi, 8), w1 = load<f64>(w + oi, 8), x1 = load<f64>(vn + oi, 8);
    const V0 = f64x2.splat(v0), W0 = f64x2.splat(w0), X0 = f64x2.splat(x0);
    const V1 = f64x2.splat(v1), W1 = f64x2.splat(w1), X1 = f64x2.splat(x1);
    let S0 = f64x2.splat(0), S1 = f64x2.splat(0);
    let j = s;
    for (; j + 2 <= i; j += 2) {
      const o = <usize>j << 3;
      const vj = v128.load(v + o), wj = v128.load(w + o), xj = v128.load(vn + o);
      const b0 = f64x2.sub(f64x2.sub(v128.load(a0 + o), f64x2.mul(V0, wj)), f64x2.mul(W0, vj));
      const b1 = f64x2.sub(f64x2.sub(v128.load(a1 + o), f64x2.mul(V1, wj)), f64x2.mul(W1, vj));
      v128.store(a0 + o, b0);
      v128.store(a1 + o, b1);
      S0 = f64x2.add(S0, f64x2.mul(b0, xj));
      S1 = f64x2.add(S1, f64x2.mul(b1, xj));
      v128.store(p + o, f64x2.add(v128.load(p + o), f64x2.add(f64x2.mul(b0, X0), f64x2.mul(b1, X1))));
    }
    let s0 = hsum(S0), s1 = hsum(S1);
    if (j < i) {
      const o = <usize>j << 3;
      const vj = load<f64>(v + o), wj = load<f64>(w + o), xj = load<f64>(vn + o);
      const b0 = load<f64>(a0 + o) - v0 * wj - w0 * vj;
      const b1 = load<f64>(a1 + o) - v1 * wj - w1 * vj;
      store<f64>(a0 + o, b0);
      store<f64>(a1 + o, b1);
      s0 += b0 * xj;
      s1 += b1 * xj;
      store<f64>(p + o, load<f64>(p + o) + (b0 * x0 + b1 * x1));
    }
    const d0 = load<f64>(a0 + oi) - 2 * v0 * w0;
    const od = load<f64>(a1 + oi) - v1 * w0 - w1 * v0;
    const d1 = load<f64>(a1 + oi, 8) - 2 * v1 * w1;
    store<f64>(a0 + oi, d0); store<f64>(a1 + oi, od); store<f64>(a1 + oi, d1, 8);
    store<f64>(p + oi, load<f64>(p + oi) + s0 + d0 * x0 + od * x1);
    store<f64>(p + oi, load<f64>(p + oi, 8) + s1 + od * x0 + d1 * x1, 8);
    store<f64>(col + oi, load<f64>(a0 + os));
    store<f64>(col + oi, load<f64>(a1 + os), 8);
  }
  if (i < r1) {
    const oi = <usize>i << 3;
    const a0 = a + <usize>i * sn;
    const v0 = load<f64>(v + oi), w0 = load<f64>(w + oi), x0 = load<f64>(vn + oi);
    let s0: f64 = 0;
    for (let j = s; j < i; j++) {
      const o = <usize>j << 3;
      const b0 = load<f64>(a0 + o) - v0 * load<f64>(w + o) - w0 * load<f64>(v + o);
      store<f64>(a0 + o, b0);
      s0 += b0 * load<f64>(vn + o);
      store<f64>(p + o, load<f64>(p + o) + b0 * x0);
    }
    const d0 = load<f64>(a0 + oi) - 2 * v0 * w0;
    store<f64>(a0 + oi, d0);
    store<f64>(p + oi, load<f64>(p + oi) + s0 + d0 * x0);
    store<f64>(col + oi, load<f64>(a0 + os));
  }
}

/**
 * The secular equation's sums at τ = t (secular.ts): r_i = 1/(δ_i − t), q_i = w_i r_i; out[0], out[1]
 * = Σ q, Σ q r over i ≤ j (ψ, ψ'), out[2], out[3] the same over i > j (φ, φ').
 */
export function secularSums(delta: usize, wgt: usize, j: i32, K: i32, t: f64, out: usize): void {
  poleSums(delta, wgt, 0, j + 1, t, out);
  poleSums(delta, wgt, j + 1, K, t, out + 16);
}

@inline function poleSums(delta: usize, wgt: usize, from: i32, to: i32, t: f64, out: usize): void {
  const T = f64x2.splat(t), one = f64x2.splat(1);
  let S = f64x2.splat(0), D = f64x2.splat(0);
  let i = from;
  for (; i + 2 <= to; i += 2) {
    const o = <usize>i << 3;
    const r = f64x2.div(one, f64x2.sub(v128.load(delta + o), T));
    const q = f64x2.mul(v128.load(wgt + o), r);
    S = f64x2.add(S, q);
    D = f64x2.add(D, f64x2.mul(q, r));
  }
  let s = hsum(S), d = hsum(D);
  if (i < to) {
    const o = <usize>i << 3;
    const r = 1 / (load<f64>(delta + o) - t), q = load<f64>(wgt + o) * r;
    s += q; d += q * r;
  }
  store<f64>(out, s);
  store<f64>(out, d, 8);
}

/** Σ_i w_i / ((d_i − a) − b) over i < K. */
export function poleSum(d: usize, wgt: usize, K: i32, a: f64, b: f64): f64 {
  const A = f64x2.splat(a), B = f64x2.splat(b);
  let S = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= K; i += 2) {
    const o = <usize>i << 3;
    S = f64x2.add(S, f64x2.div(v128.load(wgt + o), f64x2.sub(f64x2.sub(v128.load(d + o), A), B)));
  }
  let s = hsum(S);
  if (i < K) {
    const o = <usize>i << 3;
    s += load<f64>(wgt + o) / ((load<f64>(d + o) - a) - b);
  }
  return s;
}

/**
 * divide.ts's secularVectors after the roots: U[j,i] = (d_i − d_origin(j)) − τ_j, Löwner's ẑ into
 * w, then rows U[j,i] = ẑ_i/(d_i − λ_j) normalised; lambda[j] = d_origin(j) + τ_j.
 */
export function secularVectors(dl: usize, zl: usize, origin: usize, tau: usize, K: i32, U: usize, w: usize, lambda: usize): void {
  const sk = <usize>K << 3;
  for (let j = 0; j < K; j++) {
    const o = load<f64>(dl + (<usize>load<i32>(origin + (<usize>j << 2)) << 3)), t = load<f64>(tau + (<usize>j << 3));
    const uj = U + <usize>j * sk;
    store<f64>(lambda + (<usize>j << 3), o + t);
    const O = f64x2.splat(o), Tt = f64x2.splat(t);
    let i = 0;
    for (; i + 2 <= K; i += 2) {
      const oi = <usize>i << 3;
      v128.store(uj + oi, f64x2.sub(f64x2.sub(v128.load(dl + oi), O), Tt));
    }
    if (i < K) store<f64>(uj + (<usize>i << 3), (load<f64>(dl + (<usize>i << 3)) - o) - t);
  }
  for (let i = 0; i < K; i++) store<f64>(w + (<usize>i << 3), load<f64>(U + <usize>i * sk + (<usize>i << 3)));
  for (let j = 0; j < K; j++) {
    const uj = U + <usize>j * sk, dj = load<f64>(dl + (<usize>j << 3));
    lownerRange(w, uj, dl, dj, 0, j);
    lownerRange(w, uj, dl, dj, j + 1, K);
  }
  for (let i = 0; i < K; i++) {
    const oi = <usize>i << 3;
    const x = sqrt<f64>(-load<f64>(w + oi));
    store<f64>(w + oi, load<f64>(zl + oi) >= 0 ? x : -x);
  }
  for (let j = 0; j < K; j++) {
    const uj = U + <usize>j * sk;
    let SS = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= K; i += 2) {
      const oi = <usize>i << 3;
      const x = f64x2.div(v128.load(w + oi), v128.load(uj + oi));
      v128.store(uj + oi, x);
      SS = f64x2.add(SS, f64x2.mul(x, x));
    }
    let ss = hsum(SS);
    if (i < K) {
      const oi = <usize>i << 3;
      const x = load<f64>(w + oi) / load<f64>(uj + oi);
      store<f64>(uj + oi, x);
      ss += x * x;
    }
    const inv = 1 / sqrt<f64>(ss);
    const INV = f64x2.splat(inv);
    i = 0;
    for (; i + 2 <= K; i += 2) {
      const oi = <usize>i << 3;
      v128.store(uj + oi, f64x2.mul(v128.load(uj + oi), INV));
    }
    if (i < K) store<f64>(uj + (<usize>i << 3), load<f64>(uj + (<usize>i << 3)) * inv);
  }
}

@inline function lownerRange(w: usize, uj: usize, dl: usize, dj: f64, from: i32, to: i32): void {
  const DJ = f64x2.splat(dj);
  let i = from;
  for (; i + 2 <= to; i += 2) {
    const oi = <usize>i << 3;
    v128.store(w + oi, f64x2.mul(v128.load(w + oi), f64x2.div(v128.load(uj + oi), f64x2.sub(v128.load(dl + oi), DJ))));
  }
  if (i < to) {
    const oi = <usize>i << 3;
    store<f64>(w + oi, load<f64>(w + oi) * (load<f64>(uj + oi) / (load<f64>(dl + oi) - dj)));
  }
}
