// The preload exposes the contract as window.workbench and nothing else: its factory over a fake
// ipcRenderer, and the built CommonJS bundle run against a fake 'electron'.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { createBridgeApi, type IpcRendererLike } from '../../../src-main/hosts/electron/bridge';
import { API_CALL, API_EVENT } from '../../../src-main/hosts/electron/channels';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(answer: (method: unknown, input: unknown) => unknown) {
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => (invoked.push([channel, ...args]), answer(args[0], args[1])),
    on: (channel, l) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
  };
  const emit = (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((l) => l({ sender: 'ipcRenderer itself' }, ...args));
  return { ipc, invoked, listeners, emit };
}

describe('bridge api', () => {
  it('calls over the one channel and unwraps results', async () => {
    const f = fakeIpc(() => ({ ok: true, value: { total: 0, rows: [], groups: null } }));
    const api = createBridgeApi(f.ipc);
    expect(Object.keys(api).sort()).toEqual(['call', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
    await expect(api.call('runs.list', { sort: '-id' })).resolves.toEqual({ total: 0, rows: [], groups: null });
    expect(f.invoked).toEqual([[API_CALL, 'runs.list', { sort: '-id' }]]);
  });

  it('rejects failed calls with their message and code', async () => {
    const api = createBridgeApi(fakeIpc(() => ({ ok: false, error: { code: 'bad_request', message: 'runs.show: id: must be an integer' } })).ipc);
    await expect(api.call('runs.show', { id: 1 })).rejects.toMatchObject({ message: 'runs.show: id: must be an integer', code: 'bad_request' });
  });

  it('passes events without the IPC event, and unsubscribes', () => {
    const f = fakeIpc(() => null);
    const api = createBridgeApi(f.ipc);
    const seen: unknown[][] = [];
    const off1 = api.on((...args) => seen.push(args));
    const off2 = api.on(() => {
      throw new Error('a broken listener');
    });
    expect(f.listeners.get(API_EVENT)?.size).toBe(1); // one ipcRenderer listener for all
    const e = { type: 'status', runId: 1, status: 'queued', error: null };
    f.emit(API_EVENT, e);
    expect(seen).toEqual([[e]]);
    off1();
    off2();
    expect(f.listeners.get(API_EVENT)?.size).toBe(0);
    f.emit(API_EVENT, e);
    expect(seen).toHaveLength(1);
  });
});

describe('built preload', () => {
  const root = resolve(import.meta.dirname, '../../..');
  // a private output folder inside the checkout (so the bundle's packages resolve), not out/
  const outDir = mkdtempSync(join(root, 'node_modules/.cache-sqs-preload-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('requires only electron and exposes only window.workbench = { call, on }', () => {
    execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'error'], { cwd: root, stdio: 'pipe' });
    const code = readFileSync(join(outDir, 'preload/index.cjs'), 'utf8');
    const required: string[] = [];
    const exposed: [string, unknown][] = [];
    const f = fakeIpc(() => ({ ok: true, value: 1 }));
    const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) }, ipcRenderer: f.ipc };
    const require = (id: string) => (required.push(id), id === 'electron' ? electron : undefined);
    runInNewContext(code, { require, module: { exports: {} }, exports: {} });
    expect(required).toEqual(['electron']);
    expect(exposed.map(([k]) => k)).toEqual(['workbench']);
    expect(Object.keys(exposed[0][1] as object).sort()).toEqual(['call', 'on']);
  });
});
