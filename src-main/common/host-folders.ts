// Folders are the host's to choose, never a page's: what the contract says about it, and the
// sentences the back end's refusals and the renderer's views share. Node-free: the renderer bundles it.

/**
 * What a host's folder dialog is opened for. A page never names a folder for the app to read or
 * write: the desktop app asks its person in a dialog of the main process, a browser's server reads
 * only under the roots it was started with, and the command line's person types the path.
 */
export const FOLDER_PURPOSES = ['workspace', 'dataset'] as const;
export type FolderPurpose = (typeof FOLDER_PURPOSES)[number];

/** Said where a host has no folder dialog (a browser): how its workspace is switched instead. */
export const WORKSPACE_SWITCH_HINT = 'to switch workspace, restart the server with sqs-workbench serve --workspace DIR';
/** Said where a browser may import no folder, or not that one: how the person who started the server allows one. */
export const DATA_ROOT_HINT = 'to allow a folder, start the server with sqs-workbench serve --data-root DIR';

/** What the host offers: a folder dialog (the desktop app), and the roots under which folders may be named ('any' on the command line). */
export interface HostInfo {
  folderChooser: boolean;
  dataRoots: 'any' | string[];
}
