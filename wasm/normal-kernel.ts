// The input noise's hot loop in WebAssembly (AssemblyScript): the same xoshiro128** draws and
// ziggurat fast path as Rng.addNormal in src-main/engine/util/rng.ts, the same float64
// arithmetic rounded to float32 once, so the bytes are the same; about twice as fast as V8's JIT.
// Build: npm run build:wasm:normal (compiles, then embeds the module in normal-kernel-wasm.ts).

/**
 * Adds std·N(0, 1) to the len float32s at `out` through the fast path; a draw that misses it is
 * recorded at `misses` as (index, draw) and left for the caller. `state` holds the four int32s
 * of the generator, updated; `k` the 128 int32 thresholds, `w` the 128 float64 widths.
 * Returns the number of misses.
 */
export function addNormalFast(out: usize, len: i32, std: f64, state: usize, k: usize, w: usize, misses: usize): i32 {
  let s0 = load<i32>(state), s1 = load<i32>(state, 4), s2 = load<i32>(state, 8), s3 = load<i32>(state, 12);
  let m = 0;
  for (let n = 0; n < len; n++) {
    const u = rotl<i32>(s1 * 5, 7) * 9;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<i32>(s3, 11);
    const i = u & 127;
    const j = u >> 7;
    if ((j < 0 ? -j : j) < load<i32>(k + (<usize>i << 2))) {
      const p = out + (<usize>n << 2);
      store<f32>(p, <f32>(<f64>load<f32>(p) + std * <f64>j * load<f64>(w + (<usize>i << 3))));
    } else {
      const q = misses + (<usize>m << 3);
      store<i32>(q, n);
      store<i32>(q, u, 4);
      m++;
    }
  }
  store<i32>(state, s0);
  store<i32>(state, s1, 4);
  store<i32>(state, s2, 8);
  store<i32>(state, s3, 12);
  return m;
}
