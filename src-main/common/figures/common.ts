// What several figure builders share: finding a class in an atlas, naming it, and the provenance
// a figure adds to its run's (which figure, which class).
import type { Atlas, AtlasClass } from '../../engine/analysis/atlas-types';
import { ExportError } from './errors';
import type { Provenance } from './figure';
import { formatNumber } from '../number-format';

export function findClass(atlas: Atlas, c: number): AtlasClass {
  const found = atlas.classes.find((k) => k.class === c);
  if (!found) throw new ExportError(`unknown class ${c}: ${classRange(atlas)}`);
  return found;
}

/** "this run has 10 classes (0 to 9)" */
export function classRange(atlas: Pick<Atlas, 'classes'>): string {
  return describeClasses(atlas.classes.map((k) => k.class));
}

export function describeClasses(ids: readonly number[]): string {
  const contiguous = ids.every((c, i) => c === i);
  return contiguous ? `this run has ${ids.length} classes (0 to ${ids.length - 1})` : `this atlas has classes ${ids.join(', ')}`;
}

/** "class 3" or "class 3 (Dress)" when the dataset names it. */
export function className(c: number, label?: string): string {
  return label && label !== String(c) ? `class ${c} (${label})` : `class ${c}`;
}

export function surrogateKind(exact: boolean): string {
  return exact ? 'exact' : 'first-order';
}

export function provenanceFor(base: Provenance, figure: string, extra: Record<string, unknown> = {}): Provenance {
  return { ...base, ...extra, figure };
}

/** The pixel size of one image cell so that an image is about `target` px across. */
export function cellFor(shape: [number, number], target: number): number {
  return Math.max(1, Math.round(target / Math.max(shape[0], shape[1])));
}

/** How one eigenvector is named for screen readers and hover titles. */
export const featureLabel = (cls: number, rank: number, eigenvalue: number): string => `class ${cls} eigenvector rank ${rank}, λ = ${formatNumber(eigenvalue)}`;
