// The desktop app's folder dialog: opened in the main process when the page asks to switch
// workspace (settings.chooseWorkspace) or to import a dataset (datasets.import without a path),
// so that the folder the app reads or writes is the one its person picked, never one a page named.
// Electron's dialog comes in as a parameter, so tests can drive this with a fake.
import type { BrowserWindow, OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import type { ChooseFolder } from '../../api/folder-access';
import type { FolderPurpose } from '../../common/contract';

export interface DialogLike {
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
}

export function folderDialogOptions(purpose: FolderPurpose): OpenDialogOptions {
  return purpose === 'workspace'
    ? { title: 'Choose a workspace folder', buttonLabel: 'Use as workspace', properties: ['openDirectory', 'createDirectory', 'promptToCreate'] }
    : { title: 'Choose a folder of IDX files to import', buttonLabel: 'Import', properties: ['openDirectory'] };
}

/** The service's chooseFolder: the folder picked in a dialog over `window` (modal), or null when cancelled. */
export function folderChooser(dialog: DialogLike, window: () => BrowserWindow | null): ChooseFolder {
  return async (purpose) => {
    const options = folderDialogOptions(purpose);
    const w = window();
    const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
  };
}
