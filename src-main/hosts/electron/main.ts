// Electron main process: owns the workspace (single writer) and the job queue through the one
// service, serves the contract to the window over a single checked IPC channel, and keeps the
// renderer a sandboxed web page (docs/architecture.md). Training runs on worker threads (jobs/), so this
// thread only answers calls and forwards events: the window never freezes.
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ApiEvent } from '../../common/contract';
import { createService, type Service } from '../../api/service';
import { workspaceFromArgv } from './args';
import { API_CALL, API_EVENT } from './channels';
import { folderChooser } from './folder-dialog';
import { handleApiCall, topFrameUrl } from './ipc';
import { contentSecurityPolicy, windowOptions } from './window-options';

const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const rendererFile = join(import.meta.dirname, '../renderer/index.html');
/** the only page allowed to call the api */
const allowedUrl = devUrl ?? pathToFileURL(rendererFile).href;
const csp = contentSecurityPolicy(devUrl);

let win: BrowserWindow | null = null;
let service: Service | null = null;

app.enableSandbox();

// Every web contents (the window, and anything that might ever be created) may not navigate,
// open windows or attach webviews.
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // the built page (file:) also carries the same policy in its <meta>; this covers the dev server
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

function createWindow(): void {
  win = new BrowserWindow(windowOptions({ preload: join(import.meta.dirname, '../preload/index.cjs') }));
  const w = win;
  w.once('ready-to-show', () => w.show());
  w.on('closed', () => {
    if (win === w) win = null;
  });
  if (devUrl) void w.loadURL(devUrl);
  else void w.loadFile(rendererFile);
}

const ourContents = () => (win && !win.isDestroyed() ? win.webContents : null);

function start(): void {
  const workspaceDir = workspaceFromArgv(process.argv);
  try {
    // the page switches workspace and imports datasets only through this dialog; it names no folder itself
    service = createService({ workspaceDir, resumeOrphans: true, chooseFolder: folderChooser(dialog, () => (win && !win.isDestroyed() ? win : null)) });
  } catch (e) {
    const message = `workspace ${workspaceDir}: ${(e as Error).message}`;
    process.stderr.write(`sqs-workbench: ${message}\n`);
    dialog.showErrorBox('SQS Workbench cannot start', message);
    app.exit(1);
    return;
  }
  const svc = service;
  ipcMain.handle(API_CALL, (event, method: unknown, input: unknown) => handleApiCall(svc, topFrameUrl(event, ourContents()), allowedUrl, method, input));
  svc.on((e: ApiEvent) => ourContents()?.send(API_EVENT, e));
  hardenSession();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

// One app per user: the workspace has a single writer.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
  // runs still training stop at a step boundary (interrupted, resumable) before the app exits
  let closed = false;
  app.on('will-quit', (e) => {
    if (closed || !service) return;
    e.preventDefault();
    const s = service;
    service = null;
    void s.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
}
