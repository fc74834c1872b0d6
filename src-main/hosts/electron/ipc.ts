// Main's side of the one IPC channel: who may call (the workbench page in our window's top
// frame, nothing else), validation by the contract (inside service.call), and every outcome as
// an IpcResult, mapped as the web host maps its errors.
import { ApiError, type Api, type Method } from '../../common/contract';
import type { IpcResult } from './channels';

/** The parts of an IpcMainInvokeEvent the sender check reads. */
export interface InvokeEventLike {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/** The URL of the calling frame when it is the top frame of `contents` (our window), else null. */
export function topFrameUrl(event: InvokeEventLike, contents: unknown): string | null {
  if (contents === null || contents === undefined || event.sender !== contents) return null;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return null; // a destroyed frame, or an iframe
  return frame.url;
}

/**
 * Whether a page at `senderUrl` is the workbench: the built page (file:, the same file whatever
 * its #route or ?query) or, under electron-vite dev, any page of the dev server's origin.
 */
export function isAllowedSender(senderUrl: string | null | undefined, allowedUrl: string): boolean {
  if (!senderUrl) return false;
  let sender: URL;
  let allowed: URL;
  try {
    sender = new URL(senderUrl);
    allowed = new URL(allowedUrl);
  } catch {
    return false;
  }
  if (sender.protocol !== allowed.protocol) return false;
  if (allowed.protocol === 'file:') return sender.host === allowed.host && sender.pathname === allowed.pathname;
  if (allowed.protocol === 'http:' || allowed.protocol === 'https:') return sender.origin === allowed.origin;
  return false;
}

/** One `api:call`: refuses foreign senders, then runs the call; never throws. */
export async function handleApiCall(service: Pick<Api, 'call'>, senderUrl: string | null | undefined, allowedUrl: string, method: unknown, input: unknown): Promise<IpcResult> {
  if (!isAllowedSender(senderUrl, allowedUrl)) {
    return { ok: false, error: { code: 'forbidden', message: `calls from ${JSON.stringify(String(senderUrl ?? 'an unknown frame')).slice(0, 200)} are refused` } };
  }
  try {
    // service.call refuses unknown methods (not_found) and checks the input against the contract (bad_request)
    const value = await service.call(method as Method, input as never);
    return { ok: true, value: value ?? null };
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError('internal', e instanceof Error ? e.message : String(e));
    return { ok: false, error: err.toJSON() };
  }
}
