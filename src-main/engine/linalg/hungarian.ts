// Optimal one-to-one assignment (Hungarian method, shortest augmenting paths with dual
// potentials, O(rows² · cols)). Used to match eigenvectors across runs, whose rank order
// is not stable between seeds.

function checkShape(m: Float64Array, rows: number, cols: number, what: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new Error(`${what}: rows and cols must be non-negative integers, got ${rows}×${cols}`);
  }
  if (rows > cols) {
    throw new Error(`${what}: needs rows ≤ cols (every row gets a distinct column), got ${rows}×${cols}; transpose the matrix`);
  }
  if (m.length !== rows * cols) {
    throw new Error(`${what}: matrix length ${m.length} does not match ${rows}×${cols} = ${rows * cols}`);
  }
  for (let i = 0; i < m.length; i++) {
    if (!Number.isFinite(m[i])) {
      throw new Error(`${what}: entry [${Math.floor(i / cols)}, ${i % cols}] is ${m[i]}; all entries must be finite`);
    }
  }
}

/**
 * Minimum-cost assignment for a row-major rows×cols cost matrix with rows ≤ cols.
 * Returns, for each row, its assigned column (all distinct).
 */
export function minCostAssignment(cost: Float64Array, rows: number, cols: number): Int32Array {
  checkShape(cost, rows, cols, 'minCostAssignment');
  const n = rows;
  const m = cols;
  // 1-based arrays; index 0 is the virtual root column of each augmenting search.
  const u = new Float64Array(n + 1); // row potentials
  const v = new Float64Array(m + 1); // column potentials
  const p = new Int32Array(m + 1); // p[j] = row matched to column j (0 = free)
  const way = new Int32Array(m + 1); // previous column on the shortest path
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);

  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    // Dijkstra over reduced costs (non-negative thanks to the potentials) until a free column.
    do {
      used[j0] = 1;
      const i0 = p[j0];
      const rowOff = (i0 - 1) * m;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[rowOff + j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    // Flip the matching along the path back to the root.
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }

  const out = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (p[j] !== 0) out[p[j] - 1] = j - 1;
  return out;
}

/** Maximum-total-weight assignment (rows ≤ cols): the min-cost assignment of the negated weights. */
export function maxWeightAssignment(weight: Float64Array, rows: number, cols: number): Int32Array {
  checkShape(weight, rows, cols, 'maxWeightAssignment');
  const neg = new Float64Array(weight.length);
  for (let i = 0; i < weight.length; i++) neg[i] = -weight[i];
  return minCostAssignment(neg, rows, cols);
}

/** Total cost (or weight) of an assignment; handy for callers and tests. */
export function assignmentTotal(matrix: Float64Array, cols: number, assignment: Int32Array): number {
  let s = 0;
  for (let i = 0; i < assignment.length; i++) s += matrix[i * cols + assignment[i]];
  return s;
}
