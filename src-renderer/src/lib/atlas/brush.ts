// The drawing pad's maths, free of the DOM: a soft round brush stamped along each pointer
// segment into a rows×cols image of values in [0, 1] (row-major), so that a stroke drawn with a
// mouse reads like a handwritten digit: full ink at the centre, fading to nothing at the rim.

export interface Brush {
  /** where the ink fades to nothing, in pixels of the image */
  radius: number;
  /** inside this distance the ink is full */
  core: number;
  /** the ink at the centre, 0..1 */
  strength: number;
}

export const SOFT_BRUSH: Brush = { radius: 1.7, core: 0.5, strength: 1 };

export interface Point {
  x: number;
  y: number;
}

/** Ink at distance d from the brush's centre: strength inside the core, a smooth fall to 0 at the radius. */
export function inkAt(d: number, brush: Brush): number {
  if (d <= brush.core) return brush.strength;
  if (d >= brush.radius) return 0;
  const t = (d - brush.core) / (brush.radius - brush.core);
  return brush.strength * (1 - t * t * (3 - 2 * t));
}

/** One stamp centred at p (x to the right, y down; pixel (r, c) has its centre at (c + ½, r + ½)); ink never decreases. */
export function stamp(image: Float32Array, rows: number, cols: number, p: Point, brush: Brush = SOFT_BRUSH): void {
  const r0 = Math.max(0, Math.floor(p.y - brush.radius));
  const r1 = Math.min(rows - 1, Math.ceil(p.y + brush.radius));
  const c0 = Math.max(0, Math.floor(p.x - brush.radius));
  const c1 = Math.min(cols - 1, Math.ceil(p.x + brush.radius));
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const ink = inkAt(Math.hypot(c + 0.5 - p.x, r + 0.5 - p.y), brush);
      if (ink > image[r * cols + c]) image[r * cols + c] = Math.min(1, ink);
    }
  }
}

/** Stamps from a to b at most a quarter pixel apart, so a fast stroke leaves no gaps. */
export function strokeSegment(image: Float32Array, rows: number, cols: number, a: Point, b: Point, brush: Brush = SOFT_BRUSH): void {
  const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 0.25));
  for (let i = 0; i <= steps; i++) stamp(image, rows, cols, { x: a.x + ((b.x - a.x) * i) / steps, y: a.y + ((b.y - a.y) * i) / steps }, brush);
}

/** A pointer position on an element shown at `box` to image coordinates. */
export function toImagePoint(clientX: number, clientY: number, box: { left: number; top: number; width: number; height: number }, rows: number, cols: number): Point {
  return { x: ((clientX - box.left) / box.width) * cols, y: ((clientY - box.top) / box.height) * rows };
}
