// The preload exposes the api contract and nothing else; the contract arrives with the workspace.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('workbench', Object.freeze({ version: '0.1.0' }));
