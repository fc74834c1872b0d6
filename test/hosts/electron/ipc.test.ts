// The one IPC channel: foreign senders refused, inputs checked by the contract, real calls run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../../src-main/api/service';
import { workspaceFromArgv } from '../../../src-main/hosts/electron/args';
import { handleApiCall, isAllowedSender, topFrameUrl } from '../../../src-main/hosts/electron/ipc';

const PAGE = pathToFileURL('/opt/sqs-workbench/out/renderer/index.html').href;

describe('sender check', () => {
  it('accepts the built page whatever its route, and nothing else', () => {
    expect(isAllowedSender(PAGE, PAGE)).toBe(true);
    expect(isAllowedSender(`${PAGE}#/run/12?x=1`, PAGE)).toBe(true);
    expect(isAllowedSender(pathToFileURL('/opt/sqs-workbench/out/renderer/other.html').href, PAGE)).toBe(false);
    expect(isAllowedSender('file:///tmp/evil/index.html', PAGE)).toBe(false);
    expect(isAllowedSender('https://example.com/', PAGE)).toBe(false);
    expect(isAllowedSender('about:blank', PAGE)).toBe(false);
    expect(isAllowedSender('', PAGE)).toBe(false);
    expect(isAllowedSender(null, PAGE)).toBe(false);
    expect(isAllowedSender('not a url', PAGE)).toBe(false);
  });

  it('under electron-vite dev, accepts the dev server origin only', () => {
    expect(isAllowedSender('http://localhost:5173/#/runs', 'http://localhost:5173/')).toBe(true);
    expect(isAllowedSender('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAllowedSender('http://evil.localhost:5173/', 'http://localhost:5173/')).toBe(false);
  });

  it('reads the URL of our window top frame only', () => {
    const contents = { id: 1 };
    expect(topFrameUrl({ sender: contents, senderFrame: { url: PAGE, parent: null } }, contents)).toBe(PAGE);
    expect(topFrameUrl({ sender: contents, senderFrame: { url: PAGE, parent: {} } }, contents)).toBeNull(); // an iframe
    expect(topFrameUrl({ sender: { id: 2 }, senderFrame: { url: PAGE, parent: null } }, contents)).toBeNull(); // another window
    expect(topFrameUrl({ sender: contents, senderFrame: null }, contents)).toBeNull(); // frame gone
    expect(topFrameUrl({ sender: contents, senderFrame: { url: PAGE, parent: null } }, null)).toBeNull(); // window closed
  });
});

describe('handleApiCall', () => {
  let dir: string;
  let service: Service;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqs-ipc-'));
    service = createService({ workspaceDir: dir });
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a foreign sender without running anything', async () => {
    let called = false;
    const spy = { call: async () => ((called = true), null) } as never;
    const r = await handleApiCall(spy, 'https://example.com/', PAGE, 'runs.list', {});
    expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('https://example.com/') } });
    expect(called).toBe(false);
    expect((await handleApiCall(spy, null, PAGE, 'runs.list', {})).ok).toBe(false);
    expect(called).toBe(false);
  });

  it('answers malformed input with bad_request naming the field', async () => {
    const r = await handleApiCall(service, PAGE, PAGE, 'runs.list', { limit: 0, bogus: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad_request');
    expect(r.error.message).toMatch(/^runs\.list: /);
    expect(r.error.message).toMatch(/limit/);
    const show = await handleApiCall(service, PAGE, PAGE, 'runs.show', { id: 'seven' });
    expect(show).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/id/) } });
    const train = await handleApiCall(service, PAGE, PAGE, 'train.start', { config: { lr: -1 } });
    expect(train).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/config\.lr/) } });
  });

  it('answers unknown methods with not_found, and failures of the call with their code', async () => {
    expect(await handleApiCall(service, PAGE, PAGE, 'fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await handleApiCall(service, PAGE, PAGE, 42, {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await handleApiCall(service, PAGE, PAGE, 'runs.show', { id: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const throwing = { call: async () => Promise.reject(new Error('disk on fire')) };
    expect(await handleApiCall(throwing, PAGE, PAGE, 'runs.list', {})).toEqual({ ok: false, error: { code: 'internal', message: 'disk on fire' } });
  });

  it('runs a real call on the workspace', async () => {
    const r = await handleApiCall(service, `${PAGE}#/runs`, PAGE, 'runs.list', {});
    expect(r).toEqual({ ok: true, value: { total: 0, rows: [], groups: null } });
    const settings = await handleApiCall(service, PAGE, PAGE, 'settings.get', undefined);
    expect(settings).toMatchObject({ ok: true, value: { workspaceDir: dir } });
    // what crosses IPC is structured-cloned: the result must survive it unchanged
    expect(structuredClone(r)).toEqual(r);
  });
});

describe('workspace of the app', () => {
  it('follows the CLI rules: --workspace, then $SQS_WORKBENCH_HOME, then the user-data folder', () => {
    expect(workspaceFromArgv(['electron', '.', '--workspace', '/w/a'], { SQS_WORKBENCH_HOME: '/w/env' })).toBe('/w/a');
    expect(workspaceFromArgv(['electron', '.', '--workspace=/w/b'], {})).toBe('/w/b');
    expect(workspaceFromArgv(['electron', '.'], { SQS_WORKBENCH_HOME: '/w/env' })).toBe('/w/env');
    expect(workspaceFromArgv(['electron', '.'], { XDG_DATA_HOME: '/xdg' })).toMatch(/sqs-workbench$/);
  });
});
