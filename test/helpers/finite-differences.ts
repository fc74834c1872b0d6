// The gradient check the op tests share: every entry of each computed gradient against central
// finite differences of a float64 loss.
import { expect } from 'vitest';

/** got(i)[k] must equal ∂loss/∂inputs[i][k] by central differences, to 1e-4 relative (absolute below 1). */
export function expectFiniteDifferences(name: string, inputs: readonly Float64Array[], got: (i: number) => Float32Array, lossOf: (now: Float64Array[]) => number, h = 1e-6): void {
  inputs.forEach((x0, i) => {
    const g = got(i);
    for (let k = 0; k < x0.length; k++) {
      const plus = inputs.map((v) => v.slice());
      const minus = inputs.map((v) => v.slice());
      plus[i][k] += h;
      minus[i][k] -= h;
      const fd = (lossOf(plus) - lossOf(minus)) / (2 * h);
      expect(Math.abs(g[k] - fd), `${name}: d/dx${i}[${k}] = ${g[k]}, finite differences ${fd}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(fd)));
    }
  });
}
