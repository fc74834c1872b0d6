// The web host (`sqs-workbench serve`): the contract over HTTP + WebSocket on 127.0.0.1, and the
// built renderer as static files, so the same UI runs in any browser (docs/architecture.md). Only the
// holder of the random token gets in: `Authorization: Bearer` for the API (never a cookie, so
// other sites cannot forge calls), `?token=` for the page (which then sets a SameSite=Strict
// cookie for its own assets) and for the WebSocket. Foreign Origins are refused outright.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, type ApiErrorShape, type ApiEvent, type Method } from '../../common/contract';
import { createService, type Service } from '../../api/service';
import { nonCanonicalPath } from './request-path';
import { rawResponse, sendJson } from './respond';
import { serveStatic } from './static';

export interface WebHostOptions {
  /** 0 picks a free port */
  port?: number;
  workspaceDir: string;
  /** the built renderer's folder (the app's out/renderer) */
  staticDir: string;
  /** folders under which a page may name a folder to import (serve --data-root); none by default */
  dataRoots?: readonly string[];
}

export interface WebHost {
  /** http://127.0.0.1:<port>/ (add ?token=<token> to open the page) */
  url: string;
  port: number;
  token: string;
  service: Service;
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 1024 * 1024;
const STATUS: Record<ApiErrorShape['code'], number> = { bad_request: 400, not_found: 404, conflict: 409, unavailable: 422, internal: 500 };

type Refusal = { status: number; code: string; message: string };

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(32).toString('hex');
  const staticDir = resolve(opts.staticDir);
  // the workspace opens once the port is ours: a port in use leaves the workspace as it was; no
  // folder dialog here: a page may name folders under the data roots, and switch workspace not at all
  let opened: Service | null = null;
  let port = 0;
  const cookie = () => `sqs_workbench_${port}`; // per port: cookies are shared across ports of one host

  const tokenOk = (given: string | null | undefined): boolean => {
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  /** Host and Origin must be this server's own (DNS rebinding, cross-site requests). */
  function checkOrigin(req: IncomingMessage): Refusal | null {
    const own = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!own.includes(req.headers.host ?? '')) return { status: 403, code: 'forbidden', message: `host ${JSON.stringify(req.headers.host ?? '')} is not this server` };
    const origin = req.headers.origin;
    if (origin !== undefined && !own.some((h) => origin === `http://${h}`)) return { status: 403, code: 'forbidden', message: `origin ${JSON.stringify(origin)} is not this server` };
    return null;
  }

  /** The path exactly as sent must be canonical: nothing is routed by what a URL parser made of it. */
  function checkPath(req: IncomingMessage): Refusal | null {
    const problem = nonCanonicalPath(req.url ?? '');
    return problem ? { status: 400, code: 'bad_request', message: `${problem}; send the path in its plain form` } : null;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) sendJson(res, 500, { code: 'internal', message: e.message });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = checkOrigin(req) ?? checkPath(req);
    if (refusal) return sendJson(res, refusal.status, { code: refusal.code, message: refusal.message });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/api/')) return api(req, res, url.pathname.slice(5));
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { code: 'bad_request', message: `${req.method} is not allowed here` }, { Allow: 'GET, HEAD' });
    const viaQuery = tokenOk(url.searchParams.get('token'));
    if (!viaQuery && !tokenOk(readCookie(req, cookie()))) return sendJson(res, 401, { code: 'unauthorized', message: 'open the URL with ?token=… that `sqs-workbench serve` printed' });
    const extra: Record<string, string> = viaQuery ? { 'Set-Cookie': `${cookie()}=${token}; HttpOnly; SameSite=Strict; Path=/` } : {};
    await serveStatic(req, res, staticDir, rawPath(req.url ?? '/'), extra);
  }

  async function api(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!tokenOk(auth?.[1])) return sendJson(res, 401, { code: 'unauthorized', message: 'missing or wrong token: send Authorization: Bearer <token>' });
    if (req.method !== 'POST') return sendJson(res, 405, { code: 'bad_request', message: `use POST /api/${method}` }, { Allow: 'POST' });
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) {
      sendJson(res, 413, { code: 'bad_request', message: `request body is larger than ${MAX_BODY_BYTES} bytes` }, { Connection: 'close' });
      req.destroy();
      return;
    }
    let input: unknown = undefined;
    if (body.length > 0) {
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sendJson(res, 415, { code: 'bad_request', message: 'the body must be JSON (Content-Type: application/json)' });
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch (e) {
        return sendJson(res, 400, { code: 'bad_request', message: `malformed JSON body: ${(e as Error).message}` });
      }
    }
    try {
      if (!opened) throw new ApiError('unavailable', 'the workspace is still being opened');
      const result = await opened.call(method as Method, input as never);
      sendJson(res, 200, result ?? null);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError('internal', String(e));
      sendJson(res, STATUS[err.code], err.toJSON());
    }
  }

  // Events: one WebSocket per page; clients only listen, so tiny incoming frames are enough.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const refusal =
      checkOrigin(req) ??
      checkPath(req) ??
      (url.pathname !== '/events' ? { status: 404, code: 'not_found', message: 'no such endpoint' } : null) ??
      (tokenOk(url.searchParams.get('token')) ? null : { status: 401, code: 'unauthorized', message: 'missing or wrong token' });
    if (refusal) {
      socket.end(rawResponse(refusal.status, refusal.code, { code: refusal.code, message: refusal.message }));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
    });
  });
  const broadcast = (e: ApiEvent) => {
    const data = JSON.stringify(e);
    for (const ws of clients) {
      // a slow client misses progress ticks rather than growing our memory; status and metrics still go
      if (e.type === 'progress' && ws.bufferedAmount > MAX_BODY_BYTES) continue;
      if (ws.readyState === ws.OPEN) ws.send(data);
    }
  };

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  }).catch((e: NodeJS.ErrnoException) => {
    throw listenProblem(e, opts.port ?? 0);
  });
  port = (server.address() as AddressInfo).port;
  let service: Service;
  try {
    // a host that stays open trains what a stopped or killed process left queued
    service = opened = createService({ workspaceDir: opts.workspaceDir, resumeOrphans: true, dataRoots: opts.dataRoots ?? [] });
  } catch (e) {
    await new Promise((done) => server.close(done));
    throw e;
  }
  const unsubscribe = service.on(broadcast);

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    service,
    close: () =>
      (closing ??= (async () => {
        unsubscribe();
        for (const ws of clients) ws.close(1001, 'server closing');
        wss.close();
        await new Promise<void>((ok) => {
          server.close(() => ok());
          server.closeAllConnections();
        });
        await service.close();
      })()),
  };
}

/** Why the server could not listen, in one line: the port is taken, or not ours to take. */
function listenProblem(e: NodeJS.ErrnoException, port: number): ApiError {
  if (e.code === 'EADDRINUSE') return new ApiError('unavailable', `port ${port} on 127.0.0.1 is already in use; choose another with --port, or --port 0 for any free one`);
  if (e.code === 'EACCES') return new ApiError('unavailable', `port ${port} on 127.0.0.1 needs privileges this user does not have; choose a port above 1023, or --port 0 for any free one`);
  return new ApiError('unavailable', `cannot listen on 127.0.0.1:${port}: ${e.message}`);
}

/** The body, or null once it exceeds `limit` bytes (then nothing more is buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((ok, fail) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return ok(null);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => ok(over ? null : Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** The path as sent, before any URL normalisation (so `/../x` is seen and refused, not rewritten). */
function rawPath(url: string): string {
  return url.split(/[?#]/, 1)[0];
}
