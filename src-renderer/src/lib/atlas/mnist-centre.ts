// A drawn digit made to look like an MNIST one before it is explained: MNIST's digits were
// cropped to their ink, scaled (keeping their aspect ratio) to fit a 20×20 box, and placed in the
// 28×28 image so that their centre of mass is at its centre. A digit drawn small in a corner would
// otherwise be a different input from the ones the model learnt on.
//
// Coordinates are continuous: pixel (r, c) covers [c, c + 1) × [r, r + 1), so its centre is at
// (c + ½, r + ½) and the centre of a 28×28 image is (14, 14). Scaling averages the source over
// each output pixel's preimage (area resampling), which keeps values in [0, 1] and anti-aliases
// the edges, as MNIST's own normalisation did.

export interface CentreOptions {
  /** the box the ink is scaled to fit, in pixels (default: 20/28 of the image's shorter side) */
  box?: number;
  /** ink above this counts for the bounding box (default 0.01) */
  threshold?: number;
}

/** (x, y) of the centre of mass, in the continuous coordinates above; null for an image without ink. */
export function centreOfMass(image: ArrayLike<number>, rows: number, cols: number): { x: number; y: number } | null {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = image[r * cols + c];
      mass += v;
      mx += v * (c + 0.5);
      my += v * (r + 0.5);
    }
  }
  return mass > 0 ? { x: mx / mass, y: my / mass } : null;
}

/** The ink's bounding box [x0, x1) × [y0, y1), or null when nothing is above the threshold. */
function inkBox(image: ArrayLike<number>, rows: number, cols: number, threshold: number): { x0: number; x1: number; y0: number; y1: number } | null {
  let x0 = cols;
  let x1 = 0;
  let y0 = rows;
  let y1 = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (image[r * cols + c] <= threshold) continue;
      x0 = Math.min(x0, c);
      x1 = Math.max(x1, c + 1);
      y0 = Math.min(y0, r);
      y1 = Math.max(y1, r + 1);
    }
  }
  return x1 > x0 ? { x0, x1, y0, y1 } : null;
}

/**
 * weights[j][i]: the share of output pixel j's preimage that source pixel i covers, where output
 * coordinate X comes from source coordinate from + (X − offset) / scale; only [from, to) is read.
 */
function areaWeights(n: number, from: number, to: number, scale: number, offset: number): Float64Array[] {
  return Array.from({ length: n }, (_, j) => {
    const lo = from + (j - offset) / scale;
    const hi = from + (j + 1 - offset) / scale;
    const w = new Float64Array(to - from);
    for (let i = Math.max(from, Math.floor(lo)); i < Math.min(to, Math.ceil(hi)); i++) {
      w[i - from] = (Math.min(hi, i + 1) - Math.max(lo, i)) * scale;
    }
    return w;
  });
}

/** The crop [box] of `image` scaled by `scale` and placed with its left and top edges at (ox, oy). */
function place(image: ArrayLike<number>, cols: number, b: { x0: number; x1: number; y0: number; y1: number }, scale: number, ox: number, oy: number, outRows: number, outCols: number): Float32Array {
  const wx = areaWeights(outCols, b.x0, b.x1, scale, ox);
  const wy = areaWeights(outRows, b.y0, b.y1, scale, oy);
  const out = new Float32Array(outRows * outCols);
  for (let R = 0; R < outRows; R++) {
    for (let C = 0; C < outCols; C++) {
      let sum = 0;
      for (let r = b.y0; r < b.y1; r++) {
        const a = wy[R][r - b.y0];
        if (a === 0) continue;
        for (let c = b.x0; c < b.x1; c++) sum += a * wx[C][c - b.x0] * image[r * cols + c];
      }
      out[R * outCols + C] = Math.min(1, sum);
    }
  }
  return out;
}

/**
 * The drawing (rows×cols, values in [0, 1], row-major) cropped to its ink, scaled so that its
 * longer side fits the box, and placed so that its centre of mass is at the image's centre. An
 * image without ink comes back as it is (a copy).
 */
export function centreLikeMnist(image: ArrayLike<number>, rows: number, cols: number, o: CentreOptions = {}): Float32Array {
  const b = inkBox(image, rows, cols, o.threshold ?? 0.01);
  if (!b) return Float32Array.from(image);
  const box = o.box ?? Math.round((Math.min(rows, cols) * 20) / 28);
  const scale = box / Math.max(b.x1 - b.x0, b.y1 - b.y0);
  // where the crop's centre of mass lands once scaled, relative to its top-left corner
  const com = centreOfMass(image, rows, cols)!;
  let ox = cols / 2 - (com.x - b.x0) * scale;
  let oy = rows / 2 - (com.y - b.y0) * scale;
  let out = place(image, cols, b, scale, ox, oy, rows, cols);
  // resampling moves the centre of mass by a fraction of a pixel: correct for it, twice at most
  for (let k = 0; k < 2; k++) {
    const now = centreOfMass(out, rows, cols);
    if (!now || (Math.abs(now.x - cols / 2) < 0.05 && Math.abs(now.y - rows / 2) < 0.05)) break;
    ox += cols / 2 - now.x;
    oy += rows / 2 - now.y;
    out = place(image, cols, b, scale, ox, oy, rows, cols);
  }
  return out;
}
