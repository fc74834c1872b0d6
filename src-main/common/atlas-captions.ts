// How a feature's picture and its example rows are read, in words: the same on screen, in the
// HTML atlas and in the exported figures. Node-free: the renderer imports it beside the contract.
import type { ExampleRanking } from '../engine/analysis/atlas-types';

/**
 * What red and blue mean for class `cls`'s features. Its eigenvectors are signed so that the
 * class's test images have mean vᵀz > 0 (z = E x), and vᵀz = (Eᵀv)·x, so ink on a red pixel
 * raises vᵀz and ink on a blue one lowers it.
 */
export const gaugeLegend = (cls: string): string => `red: ink there raises vᵀz, blue: lowers it; signs set so that class ${cls} test images have mean vᵀz > 0`;

/** The titles of a feature's two rows of test examples, for the way they are ranked. */
export function exampleRowTitles(rankedBy: ExampleRanking): { top: string; bottom: string } {
  return rankedBy === 'contribution'
    ? { top: 'test examples it contributes most to: largest |λ(vᵀz)²|', bottom: '…and least: smallest |λ(vᵀz)²|, the examples it is silent on' }
    : { top: 'test examples by signed projection: largest vᵀz = (Eᵀv)·x', bottom: '…and smallest vᵀz' };
}

/** The names of the two rankings, for a switch between them. */
export const RANKING_NAMES: Record<ExampleRanking, string> = { contribution: 'by contribution |λ(vᵀz)²|', projection: 'by signed projection vᵀz' };
