// The drawing pad's brush: full ink in its core, a smooth fall to nothing at its rim, ink that
// never decreases, strokes without gaps however fast the pointer moves, and pointer positions
// mapped onto the image whatever size it is shown at.
import { describe, expect, it } from 'vitest';
import { inkAt, SOFT_BRUSH, stamp, strokeSegment, toImagePoint } from '../../../src-renderer/src/lib/atlas/brush';

const R = 28;
const C = 28;
const at = (img: Float32Array, r: number, c: number) => img[r * C + c];

describe('brush', () => {
  it('has full ink in its core and none beyond its radius, falling monotonically between', () => {
    expect(inkAt(0, SOFT_BRUSH)).toBe(1);
    expect(inkAt(SOFT_BRUSH.core, SOFT_BRUSH)).toBe(1);
    expect(inkAt(SOFT_BRUSH.radius, SOFT_BRUSH)).toBe(0);
    const ds = Array.from({ length: 50 }, (_, i) => (i / 49) * SOFT_BRUSH.radius);
    const inks = ds.map((d) => inkAt(d, SOFT_BRUSH));
    inks.slice(1).forEach((v, i) => expect(v).toBeLessThanOrEqual(inks[i]));
  });

  it('stamps full ink at the pixel under it, soft and symmetric around, nothing far away', () => {
    const img = new Float32Array(R * C);
    stamp(img, R, C, { x: 10.5, y: 5.5 });
    expect(at(img, 5, 10)).toBe(1);
    const ring = [at(img, 4, 10), at(img, 6, 10), at(img, 5, 9), at(img, 5, 11)];
    ring.forEach((v) => expect(v).toBeCloseTo(ring[0], 6));
    expect(ring[0]).toBeGreaterThan(0);
    expect(ring[0]).toBeLessThan(1);
    expect(at(img, 5, 14)).toBe(0);
    expect(img.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('never lowers ink already there, and clips at the image edges', () => {
    const img = new Float32Array(R * C).fill(0.9);
    stamp(img, R, C, { x: 0, y: 0 }, { radius: 2, core: 0.1, strength: 0.5 });
    expect(img.every((v) => v === Math.fround(0.9))).toBe(true);
    const corner = new Float32Array(R * C);
    stamp(corner, R, C, { x: 27.7, y: 27.7 });
    expect(at(corner, 27, 27)).toBe(1);
  });

  it('draws a fast stroke without gaps', () => {
    const img = new Float32Array(R * C);
    strokeSegment(img, R, C, { x: 2.5, y: 14.5 }, { x: 25.5, y: 14.5 });
    for (let c = 2; c <= 25; c++) expect(at(img, 14, c)).toBe(1);
    expect(at(img, 14, 0)).toBe(0);
    expect(at(img, 10, 14)).toBe(0);
  });

  it('maps a pointer position on a scaled-up element to image coordinates', () => {
    const box = { left: 100, top: 50, width: 280, height: 280 };
    expect(toImagePoint(100, 50, box, R, C)).toEqual({ x: 0, y: 0 });
    expect(toImagePoint(380, 330, box, R, C)).toEqual({ x: 28, y: 28 });
    expect(toImagePoint(105, 65, box, R, C)).toEqual({ x: 0.5, y: 1.5 });
  });
});
