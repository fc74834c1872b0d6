// Cross-run feature similarity: |cos| between input-space eigenvectors of two runs.
// |cos| because an eigenvector's sign is arbitrary; assignment because rank order is not
// stable across seeds (near-equal eigenvalues swap places).
import { maxWeightAssignment } from '../linalg/hungarian';

function checkSets(a: Float64Array, b: Float64Array, k: number, dim: number, what: string): void {
  if (!Number.isInteger(k) || !Number.isInteger(dim) || k < 0 || dim < 0) {
    throw new Error(`${what}: k and dim must be non-negative integers, got k=${k}, dim=${dim}`);
  }
  const want = k * dim;
  if (a.length !== want) throw new Error(`${what}: a has length ${a.length}, expected k×dim = ${k}×${dim} = ${want}`);
  if (b.length !== want) throw new Error(`${what}: b has length ${b.length}, expected k×dim = ${k}×${dim} = ${want}`);
}

function rowNorms(x: Float64Array, k: number, dim: number): Float64Array {
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let t = i * dim, end = t + dim; t < end; t++) s += x[t] * x[t];
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** a, b: [k, dim] row-major sets of vectors (rows = eigenvectors in rank order). Returns |cos| matrix [k, k]: S[i][j] = |<a_i, b_j>| / (‖a_i‖‖b_j‖) (0 when a norm is 0). */
export function absCosineMatrix(a: Float64Array, b: Float64Array, k: number, dim: number): Float64Array {
  checkSets(a, b, k, dim, 'absCosineMatrix');
  const na = rowNorms(a, k, dim);
  const nb = rowNorms(b, k, dim);
  const s = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    if (na[i] === 0) continue;
    const ai = i * dim;
    for (let j = 0; j < k; j++) {
      if (nb[j] === 0) continue;
      const bj = j * dim;
      let dot = 0;
      for (let t = 0; t < dim; t++) dot += a[ai + t] * b[bj + t];
      // Clamp: rounding can push |cos| of parallel vectors a hair above 1.
      s[i * k + j] = Math.min(1, Math.abs(dot) / (na[i] * nb[j]));
    }
  }
  return s;
}

/** Per rank i: similarity matched by rank (S[i][i]) and by optimal one-to-one assignment of b's vectors to a's maximizing total |cos| (S[i][π(i)]), with π. */
export function matchFeatures(
  a: Float64Array,
  b: Float64Array,
  k: number,
  dim: number,
): { byRank: Float64Array; byAssignment: Float64Array; assignment: Int32Array } {
  const s = absCosineMatrix(a, b, k, dim);
  const assignment = maxWeightAssignment(s, k, k);
  const byRank = new Float64Array(k);
  const byAssignment = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    byRank[i] = s[i * k + i];
    byAssignment[i] = s[i * k + assignment[i]];
  }
  return { byRank, byAssignment, assignment };
}

/** Mean over classes of per-rank curves (each curve length k). */
export function meanCurve(curves: Float64Array[]): Float64Array {
  if (curves.length === 0) throw new Error('meanCurve: needs at least one curve');
  const k = curves[0].length;
  const out = new Float64Array(k);
  for (let c = 0; c < curves.length; c++) {
    const curve = curves[c];
    if (curve.length !== k) throw new Error(`meanCurve: curve ${c} has length ${curve.length}, expected ${k} like curve 0`);
    for (let i = 0; i < k; i++) out[i] += curve[i];
  }
  for (let i = 0; i < k; i++) out[i] /= curves.length;
  return out;
}
