// The desktop app's folder dialog as the service's chooseFolder: modal over the window when there
// is one, a folder for a workspace may be created in it, and a cancel is null.
import { describe, expect, it } from 'vitest';
import type { BrowserWindow, OpenDialogOptions } from 'electron';
import { folderChooser, folderDialogOptions, type DialogLike } from '../../../src-main/hosts/electron/folder-dialog';

function fakeDialog(answer: { canceled: boolean; filePaths: string[] }) {
  const opened: { window: unknown; options: OpenDialogOptions }[] = [];
  const dialog = {
    showOpenDialog: async (a: BrowserWindow | OpenDialogOptions, b?: OpenDialogOptions) => {
      opened.push(b ? { window: a, options: b } : { window: null, options: a as OpenDialogOptions });
      return answer;
    },
  } as DialogLike;
  return { dialog, opened };
}

describe('folder dialog', () => {
  it('asks for a folder, one that may be created for a workspace, an existing one for a dataset', () => {
    expect(folderDialogOptions('workspace').properties).toEqual(['openDirectory', 'createDirectory', 'promptToCreate']);
    expect(folderDialogOptions('dataset').properties).toEqual(['openDirectory']);
    expect(folderDialogOptions('dataset').title).toBe('Choose a folder of IDX files to import');
  });

  it('answers the chosen folder, modal over the window', async () => {
    const window = {} as BrowserWindow;
    const { dialog, opened } = fakeDialog({ canceled: false, filePaths: ['/data/mnist'] });
    expect(await folderChooser(dialog, () => window)('dataset')).toBe('/data/mnist');
    expect(opened).toEqual([{ window, options: folderDialogOptions('dataset') }]);
  });

  it('answers null when cancelled, and opens without a window when there is none', async () => {
    const { dialog, opened } = fakeDialog({ canceled: true, filePaths: [] });
    expect(await folderChooser(dialog, () => null)('workspace')).toBeNull();
    expect(opened).toEqual([{ window: null, options: folderDialogOptions('workspace') }]);
  });
});
