// What the screen passes the shared figure builders: the provenance an exported figure would carry
// (the screen shows none of it) and the options of a figure drawn at the width it is shown at.
import type { Atlas } from '../../../../src-main/common/contract';
import type { Provenance } from '../../../../src-main/common/figures/figure';
import type { FigureOptions } from '../../../../src-main/common/figures/style';
import { APP_VERSION } from '../../../../src-main/common/version';

export function atlasProvenance(atlas: Pick<Atlas, 'runId' | 'gate'>): Provenance {
  return { run_id: String(atlas.runId), run_dir: '', gate: atlas.gate, config: null, app_version: APP_VERSION };
}

export const onScreen = (width: number): FigureOptions => ({ size: 'screen', width });
