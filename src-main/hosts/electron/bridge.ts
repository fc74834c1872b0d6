// The contract's `Api` over ipcRenderer, as the preload exposes it to the page. A factory over a
// minimal ipcRenderer so tests can drive it with a fake. Type-only imports: the sandboxed preload
// bundles this file and may require nothing but 'electron'.
import type { Api, ApiEvent, ApiInput, ApiOutput, Method } from '../../common/contract';
import { API_CALL, API_EVENT, type IpcResult } from './channels';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** A failed call. contextBridge keeps only an Error's message, so `code` may not reach the page. */
export class BridgeCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function createBridgeApi(ipc: IpcRendererLike): Api {
  const listeners = new Set<(e: ApiEvent) => void>();
  // one ipcRenderer listener for all subscribers; the IpcRendererEvent (which holds
  // ipcRenderer itself) never reaches the page
  const relay = (_event: unknown, e: unknown) => {
    for (const l of listeners) {
      try {
        l(e as ApiEvent);
      } catch {
        // a throwing page listener must not starve the others
      }
    }
  };
  return Object.freeze({
    async call<M extends Method>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      const r = (await ipc.invoke(API_CALL, method, input)) as IpcResult<ApiOutput<M>>;
      if (r.ok) return r.value;
      throw new BridgeCallError(r.error.code, r.error.message);
    },
    on(listener: (e: ApiEvent) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('on(listener): listener must be a function');
      if (listeners.size === 0) ipc.on(API_EVENT, relay);
      listeners.add(listener);
      return () => {
        if (listeners.delete(listener) && listeners.size === 0) ipc.removeListener(API_EVENT, relay);
      };
    },
  });
}
