// The web host over real HTTP and WebSocket: token, Origin, body checks, events of a run
// started over HTTP, and static files with the CSP and no way out of the renderer folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiEvent } from '../../../src-main/common/contract';
import { CSP } from '../../../src-main/hosts/web/respond';
import { startWebHost, type WebHost } from '../../../src-main/hosts/web/server';
import { rawRequest } from './raw-request';
import { EventLog, TINY, tempWorkspace } from '../../api/service-helpers';

const raw = (host: WebHost, path: string, opts: Parameters<typeof rawRequest>[2] = {}) => rawRequest(host.port, path, opts);

describe('web host', () => {
  let host: WebHost;
  let api: (method: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;

  beforeAll(async () => {
    // the renderer folder sits next to a file it must never serve
    const root = tempWorkspace();
    const renderer = join(root, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{"secret": true}');
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>workbench</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("hi")');
    writeFileSync(join(renderer, 'assets', 'style.css'), 'body{}');
    host = await startWebHost({ workspaceDir: join(root, 'ws'), staticDir: renderer });
    api = (method, body, headers = {}) =>
      fetch(`${host.url}api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
  });
  afterAll(() => host.close());

  it('listens on 127.0.0.1 with a 32-byte hex token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers API calls that carry the token', async () => {
    const res = await api('settings.get');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ executionProvider: 'cpu', concurrency: 1 });
    const list = await api('runs.list', { limit: 5 });
    expect(await list.json()).toEqual({ total: 0, rows: [], groups: null });
  });

  it('refuses calls without the token (401) or from another origin (403)', async () => {
    expect((await fetch(`${host.url}api/settings.get`, { method: 'POST' })).status).toBe(401);
    expect((await api('settings.get', undefined, { Authorization: 'Bearer ' + '0'.repeat(64) })).status).toBe(401);
    const foreign = await api('settings.get', undefined, { Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'forbidden' });
    expect((await api('settings.get', undefined, { Origin: host.url.slice(0, -1) })).status).toBe(200);
    // a page of another port on the same machine is another origin
    expect((await api('settings.get', undefined, { Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await raw(host, '/api/settings.get', { method: 'POST', headers: { Host: 'evil.example', Authorization: `Bearer ${host.token}` } })).status).toBe(403);
  });

  it('answers bad bodies and bad inputs with 4xx and a clear message', async () => {
    const malformed = await fetch(`${host.url}api/runs.list`, { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body: '{"limit": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'bad_request', message: expect.stringContaining('malformed JSON body') });
    const invalid = await api('runs.list', { limit: -1 });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { message: string }).message).toContain('limit: -1 is out of range');
    expect((await api('runs.show', { id: 42 })).status).toBe(404);
    expect((await api('no.such.method', {})).status).toBe(404);
    const big = await api('runs.list', { filters: ['x'.repeat(2 * 1024 * 1024)] });
    expect(big.status).toBe(413);
    const text = await fetch(`${host.url}api/runs.list`, { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
    expect((await fetch(`${host.url}api/runs.list`, { headers: { Authorization: `Bearer ${host.token}` } })).status).toBe(405);
  });

  it('pushes the events of a run started over HTTP to a WebSocket', async () => {
    const wsUrl = `ws://127.0.0.1:${host.port}/events?token=${host.token}`;
    const socket = new WebSocket(wsUrl, { origin: host.url.slice(0, -1) });
    const log = new EventLog();
    socket.on('message', (data) => log.push(JSON.parse(String(data)) as ApiEvent));
    await new Promise((ok, fail) => socket.once('open', ok).once('error', fail));

    const res = await api('train.start', { config: TINY, name: 'over http' });
    expect(res.status).toBe(200);
    const { runId } = (await res.json()) as { runId: number };
    expect(await log.finalStatus(runId)).toEqual({ type: 'status', runId, status: 'completed', error: null });
    expect(log.of(runId, 'progress').length).toBeGreaterThan(0);
    expect(log.of(runId, 'metrics')).toHaveLength(2);
    socket.close();
  });

  it('refuses WebSockets without the token or from another origin', async () => {
    const attempt = (url: string, origin?: string) =>
      new Promise<number>((resolve) => {
        const s = new WebSocket(url, origin ? { origin } : {});
        s.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
        s.on('open', () => (s.close(), resolve(101)));
        s.on('error', () => {});
      });
    const base = `ws://127.0.0.1:${host.port}/events`;
    expect(await attempt(base)).toBe(401);
    expect(await attempt(`${base}?token=nope`)).toBe(401);
    expect(await attempt(`${base}?token=${host.token}`, 'http://evil.example')).toBe(403);
    expect(await attempt(`${base}?token=${host.token}`)).toBe(101);
  });

  it('serves the renderer with the CSP and MIME types, behind the token', async () => {
    expect((await raw(host, '/')).status).toBe(401);
    const page = await raw(host, `/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CSP);
    expect(CSP).toBe("default-src 'self'; connect-src 'self' ws://127.0.0.1:*");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<title>workbench</title>');
    // the page's own assets load with the cookie the page set
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const js = await raw(host, '/assets/app.js', { headers: { Cookie: cookie } });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBe(CSP);
    expect((await raw(host, '/assets/style.css', { headers: { Cookie: cookie } })).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await raw(host, '/assets/app.js')).status).toBe(401);
    expect((await raw(host, '/assets/missing.js', { headers: { Cookie: cookie } })).status).toBe(404);
    // the API never takes the cookie: a forged cross-site form post carries it, not the header
    expect((await raw(host, '/api/settings.get', { method: 'POST', headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('never serves a file outside the renderer folder', async () => {
    const auth = { headers: { Cookie: `sqs_workbench_${host.port}=${host.token}` } };
    for (const path of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/..\\package.json', '/%00']) {
      const res = await raw(host, path, auth);
      expect([400, 403], path).toContain(res.status);
      expect(res.body).not.toContain('secret');
    }
  });
});
