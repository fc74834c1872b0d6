// Every answer of the web host leaves through here, so that each one carries the pages' security
// headers: a page, an asset, an API result and every refusal (401, 403, 404, 405, 413, 415, the
// refused WebSocket upgrade) alike. The token travels in the page's URL, hence no Referer either.
import type { ServerResponse } from 'node:http';

export const CSP = "default-src 'self'; connect-src 'self' ws://127.0.0.1:*";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export type Headers = Record<string, string | number>;

/** The status line and headers, the security headers first (a caller may add, not remove). */
export function writeHead(res: ServerResponse, status: number, headers: Headers = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Headers = {}): void {
  const body = JSON.stringify(value);
  writeHead(res, status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Headers = {}): void {
  const body = text + '\n';
  writeHead(res, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

/** A whole HTTP response as text, for a socket refused before it became a WebSocket (no ServerResponse exists then). */
export function rawResponse(status: number, reason: string, value: unknown): string {
  const body = JSON.stringify(value);
  const headers: Headers = { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', Connection: 'close' };
  return `HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`;
}
