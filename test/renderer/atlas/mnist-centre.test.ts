// A drawn digit centred and scaled as MNIST's digits are: the ink's longer side 20 px, its aspect
// ratio kept, its centre of mass within half a pixel of the image's centre (14, 14) — each
// measured here from the output's own pixels, with pixel (r, c) centred at (c + ½, r + ½).
import { describe, expect, it } from 'vitest';
import { strokeSegment } from '../../../src-renderer/src/lib/atlas/brush';
import { centreLikeMnist } from '../../../src-renderer/src/lib/atlas/mnist-centre';

const N = 28;

function rect(x0: number, y0: number, w: number, h: number): Float32Array {
  const img = new Float32Array(N * N);
  for (let r = y0; r < y0 + h; r++) for (let c = x0; c < x0 + w; c++) img[r * N + c] = 1;
  return img;
}

/** centre of mass, summed here independently of the code under test */
function com(img: ArrayLike<number>): [number, number] {
  let m = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < N * N; i++) {
    m += img[i];
    x += img[i] * ((i % N) + 0.5);
    y += img[i] * (Math.floor(i / N) + 0.5);
  }
  return [x / m, y / m];
}

/** the ink's extent along x and y: total ink over the fullest column (row) profile, exact for a solid shape */
function extent(img: ArrayLike<number>): [number, number] {
  const cols = Array.from({ length: N }, (_, c) => Array.from({ length: N }, (_, r) => img[r * N + c]).reduce((a, b) => a + b, 0));
  const rows = Array.from({ length: N }, (_, r) => Array.from({ length: N }, (_, c) => img[r * N + c]).reduce((a, b) => a + b, 0));
  const total = cols.reduce((a, b) => a + b, 0);
  return [total / Math.max(...cols), total / Math.max(...rows)];
}

/** the bounding box of the pixels above `t`: [width, height] */
function box(img: ArrayLike<number>, t = 0.01): [number, number] {
  const on = [...Array(N * N).keys()].filter((i) => img[i] > t);
  const xs = on.map((i) => i % N);
  const ys = on.map((i) => Math.floor(i / N));
  return [Math.max(...xs) - Math.min(...xs) + 1, Math.max(...ys) - Math.min(...ys) + 1];
}

const near = (a: number, b: number, tol: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThan(tol);

describe('centring a drawing like MNIST', () => {
  it('scales a tall block in a corner so its longer side is 20 px, keeps its aspect ratio and centres its mass', () => {
    const out = centreLikeMnist(rect(1, 2, 6, 12), N, N);
    const [cx, cy] = com(out);
    near(cx, 14, 0.5);
    near(cy, 14, 0.5);
    const [w, h] = extent(out);
    near(h, 20, 1e-4);
    near(w, 10, 1e-4);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
  });

  it('fits a wide shape by its width, and enlarges a small one', () => {
    for (const [img, want] of [[rect(18, 20, 8, 2), [20, 5]], [rect(3, 3, 2, 4), [10, 20]], [rect(10, 10, 1, 1), [20, 20]]] as const) {
      const out = centreLikeMnist(img, N, N);
      const [w, h] = extent(out);
      near(w, want[0], 1e-4);
      near(h, want[1], 1e-4);
      const [cx, cy] = com(out);
      near(cx, 14, 0.5);
      near(cy, 14, 0.5);
    }
  });

  it('centres a "7" drawn small in the lower right with the soft brush', () => {
    const img = new Float32Array(N * N);
    strokeSegment(img, N, N, { x: 17, y: 16 }, { x: 25, y: 16 });
    strokeSegment(img, N, N, { x: 25, y: 16 }, { x: 19, y: 26 });
    const out = centreLikeMnist(img, N, N);
    const [cx, cy] = com(out);
    near(cx, 14, 0.5);
    near(cy, 14, 0.5);
    const [w, h] = box(out);
    expect(Math.max(w, h)).toBeGreaterThanOrEqual(20);
    expect(Math.max(w, h)).toBeLessThanOrEqual(21);
    expect(w).toBeLessThan(h); // taller than wide, as drawn
  });

  it('leaves a digit that is already centred and 20 px tall nearly as it is', () => {
    const img = new Float32Array(N * N);
    strokeSegment(img, N, N, { x: 10, y: 5 }, { x: 18, y: 5 });
    strokeSegment(img, N, N, { x: 18, y: 5 }, { x: 12, y: 23 });
    const once = centreLikeMnist(img, N, N);
    const twice = centreLikeMnist(once, N, N);
    const diff = Math.max(...once.map((v, i) => Math.abs(v - twice[i])));
    expect(diff).toBeLessThan(0.15);
  });

  it('gives back an empty pad as it is', () => {
    const out = centreLikeMnist(new Float32Array(N * N), N, N);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(out.length).toBe(N * N);
  });
});
