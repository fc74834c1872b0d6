// A configuration that will barely learn: fewer than FEW_STEPS optimiser steps per epoch on its
// data. A form asks about every (dataset, batch) it would start (one for a run, the grid's for a
// sweep) and warns about the one with the fewest steps; data of unknown size is not judged.
import { stepsPerEpoch } from '../../../../src-main/common/training-steps';

export const FEW_STEPS = 10;

export interface FewSteps {
  dataset: string;
  trainN: number;
  batch: number;
  steps: number;
}

/** The combination with the fewest steps per epoch, when that is fewer than FEW_STEPS; else null. */
export function fewestSteps(datasets: readonly { name: string; trainN: number | null }[], batches: readonly number[]): FewSteps | null {
  let worst: FewSteps | null = null;
  for (const d of datasets) {
    if (d.trainN === null || d.trainN < 1) continue;
    for (const batch of batches) {
      if (!Number.isInteger(batch) || batch < 1) continue;
      const steps = stepsPerEpoch(d.trainN, batch);
      if (steps < FEW_STEPS && (worst === null || steps < worst.steps)) worst = { dataset: d.name, trainN: d.trainN, batch, steps };
    }
  }
  return worst;
}

/**
 * "Only 4 optimiser steps per epoch (8,000 training examples of MNIST digits in batches of 2,048): …";
 * for one of several runs (a sweep), "Some runs of this sweep take only 2 optimiser steps …".
 */
export function describeFewSteps(f: FewSteps, someOfSeveral = false): string {
  const n = (x: number) => x.toLocaleString('en');
  const steps = `${f.steps} optimiser step${f.steps === 1 ? '' : 's'} per epoch`;
  return (
    `${someOfSeveral ? `Some runs of this sweep take only ${steps}` : `Only ${steps}`} (${n(f.trainN)} training examples of ${f.dataset} in batches of ${n(f.batch)}): ` +
    `with fewer than ${FEW_STEPS} steps an epoch the model will barely learn; a smaller batch takes more steps.`
  );
}
