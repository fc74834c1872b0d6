// The sign every eigenvector is stored and drawn with. A feature's share of its class logit,
// λ(vᵀz)², does not see the sign of v, so the sign is free; we choose the one that reads the same
// in every class: the class's own test examples project positively on average, mean (Eᵀv)·x > 0.
// A typical example of the class then has vᵀz > 0, and in the picture of Eᵀv red pixels are those
// where ink raises vᵀz, blue ones where it lowers it. The mean is v·z̄ with z̄ = E x̄ (x̄ the
// class's mean test input); when it is nought (|v·z̄| at most TIE·‖v‖‖z̄‖, as for a class without
// test examples) the largest-magnitude entry of Eᵀv is made positive (the first one, on ties).
import type { Split } from '../data/dataset';
import type { Spectrum } from './decompose';
import { AnalysisError } from './interaction';

/** The gauge's name, as analysis files record it. */
export const SIGN_GAUGE = 'class-mean-projection-positive';

/** A mean this small against its bound ‖v‖‖z̄‖ counts as nought: far above float32 rounding, far below any real mean. */
export const TIE = 1e-6;

/** x̄_c: the mean input of each class's test examples, [C, dIn]; a class without examples gets zeros. */
export function classMeanInputs(test: Split, C: number, dIn: number): Float64Array {
  if (test.n > 0 && test.x.length !== test.n * dIn) throw new AnalysisError(`the test set has ${test.x.length / test.n} inputs per example but the model has ${dIn}`);
  const sum = new Float64Array(C * dIn);
  const count = new Float64Array(C);
  for (let i = 0; i < test.n; i++) {
    const c = test.y[i];
    if (c < 0 || c >= C) continue;
    count[c]++;
    const row = i * dIn;
    const at = c * dIn;
    for (let j = 0; j < dIn; j++) sum[at + j] += test.x[row + j];
  }
  for (let c = 0; c < C; c++) if (count[c] > 0) for (let j = 0; j < dIn; j++) sum[c * dIn + j] /= count[c];
  return sum;
}

/** z̄_c = E x̄_c for every class, [C, d]: the mean projection of class c's examples on v is v·z̄_c. */
export function classMeanEmbeddings(means: Float64Array, embed: ArrayLike<number>, C: number, d: number, dIn: number): Float64Array {
  const out = new Float64Array(C * d);
  for (let c = 0; c < C; c++)
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < dIn; j++) s += embed[i * dIn + j] * means[c * dIn + j];
      out[c * d + i] = s;
    }
  return out;
}

/**
 * +1 or −1: the factor that puts v in the gauge for a class whose mean embedding is z̄. `input`
 * gives Eᵀv, needed only to break a tie.
 */
export function gaugeSign(v: ArrayLike<number>, zbar: ArrayLike<number>, input: () => ArrayLike<number>): 1 | -1 {
  let mean = 0;
  let vv = 0;
  let zz = 0;
  for (let i = 0; i < v.length; i++) {
    mean += v[i] * zbar[i];
    vv += v[i] * v[i];
    zz += zbar[i] * zbar[i];
  }
  if (Math.abs(mean) > TIE * Math.sqrt(vv * zz)) return mean > 0 ? 1 : -1;
  const u = input();
  let big = 0;
  for (let j = 1; j < u.length; j++) if (Math.abs(u[j]) > Math.abs(u[big])) big = j;
  return u[big] < 0 ? -1 : 1;
}

/** Puts every eigenvector of every class in the gauge, in place. `embed` is E [d, dIn]; `test` the run's test split. */
export function applyGauge(spectra: readonly Spectrum[], embed: ArrayLike<number>, test: Split, dIn: number): void {
  const C = spectra.length;
  if (C === 0) return;
  const d = spectra[0].n;
  const zbar = classMeanEmbeddings(classMeanInputs(test, C, dIn), embed, C, d, dIn);
  spectra.forEach((s, c) => {
    for (let k = 0; k < d; k++) {
      const v = s.vectors.subarray(k * d, (k + 1) * d);
      const input = () => {
        const u = new Float64Array(dIn);
        for (let i = 0; i < d; i++) for (let j = 0; j < dIn; j++) u[j] += v[i] * embed[i * dIn + j];
        return u;
      };
      if (gaugeSign(v, zbar.subarray(c * d, (c + 1) * d), input) < 0) for (let i = 0; i < d; i++) v[i] = -v[i];
    }
  });
}
