// The IPC surface between main and the preload: one channel for calls, one for events.
// Type-only imports, so the sandboxed preload can bundle it (a sandboxed preload may only
// require 'electron' and a few Node built-ins).
import type { ApiErrorCode } from '../../common/contract';

/** renderer → main: `invoke(API_CALL, method, input)`, answered with an IpcResult */
export const API_CALL = 'api:call';
/** main → renderer: one ApiEvent per message */
export const API_EVENT = 'api:event';

/** 'forbidden': the call came from a frame that is not the workbench page (as the web host's 403). */
export type IpcErrorCode = ApiErrorCode | 'forbidden';

/** ipcMain.handle keeps only an Error's message, so failures travel as data. */
export type IpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: IpcErrorCode; message: string } };
