// The preload: exposes the api contract as `window.workbench` and nothing else (docs/architecture.md).
// Built as CommonJS for the sandbox; it bundles bridge.ts and requires only 'electron'.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridgeApi } from './bridge';

contextBridge.exposeInMainWorld('workbench', createBridgeApi(ipcRenderer));
