// Where export.atlas writes: a new folder the server names inside the workspace's own exports/
// folder, never one a caller names. exports/ must be a real folder of the workspace: a link there,
// leading anywhere else, is refused rather than followed.
import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../common/contract';

export const EXPORTS_FOLDER = 'exports';

/** <workspace>/exports/<base>, or <base>-2, -3, … when that name is taken; exports/ created when missing. */
export function newExportFolder(workspaceDir: string, base: string): string {
  const exports = join(workspaceDir, EXPORTS_FOLDER);
  let st = lstatSync(exports, { throwIfNoEntry: false });
  if (!st) {
    mkdirSync(exports);
    st = lstatSync(exports);
  }
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new ApiError('conflict', `${exports} is ${st.isSymbolicLink() ? 'a link' : 'not a folder'}; an atlas is written only into the workspace's own exports folder: move it away and export again`);
  }
  if (realpathSync(exports) !== join(realpathSync(workspaceDir), EXPORTS_FOLDER)) {
    throw new ApiError('conflict', `${exports} lies outside the workspace's own folder; move it away and export again`);
  }
  for (let n = 1; ; n++) {
    const dir = join(exports, n === 1 ? base : `${base}-${n}`);
    if (!lstatSync(dir, { throwIfNoEntry: false })) return dir;
  }
}
