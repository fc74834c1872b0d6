// One door: the command line, Electron's IPC channel and the web host all call the one api service,
// so the same request gets the same answer, and the same refusal with the same code and message.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src-main/api/service';
import { handleApiCall } from '../../src-main/hosts/electron/ipc';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import type { ApiErrorCode, Method } from '../../src-main/common/contract';
import { runCli } from '../helpers/cli';
import { seedRuns, tempWorkspace } from '../store/store-fixtures';

const PAGE = pathToFileURL('/opt/sqs-workbench/out/renderer/index.html').href;
/** How each transport says a code: the CLI's exit code, the web host's HTTP status. */
const EXIT: Record<ApiErrorCode, number> = { bad_request: 2, not_found: 1, conflict: 1, unavailable: 1, internal: 1 };
const HTTP: Record<ApiErrorCode, number> = { bad_request: 400, not_found: 404, conflict: 409, unavailable: 422, internal: 500 };

type Answer = { ok: true; value: unknown } | { ok: false; code: string; message: string };

let dir: string;
let service: Service;
let host: WebHost;

beforeAll(async () => {
  const ws = tempWorkspace();
  seedRuns(ws); // runs 1–11 completed, run 12 queued
  dir = ws.dir;
  ws.close();
  service = createService({ workspaceDir: dir });
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>workbench</title>');
  host = await startWebHost({ workspaceDir: dir, staticDir: renderer });
});
afterAll(async () => {
  await host.close();
  await service.close();
});

async function overIpc(method: Method, input: unknown): Promise<Answer> {
  const r = await handleApiCall(service, PAGE, PAGE, method, input);
  return r.ok ? { ok: true, value: r.value } : { ok: false, code: r.error.code, message: r.error.message };
}

async function overHttp(method: Method, input: unknown): Promise<Answer & { status: number }> {
  const res = await fetch(`${host.url}api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
  const body = (await res.json()) as { code: string; message: string };
  return res.ok ? { ok: true, value: body, status: res.status } : { ok: false, code: body.code, message: body.message, status: res.status };
}

async function overCli(args: string[]): Promise<{ code: number | null; stdout: string; message: string }> {
  const r = await runCli([...args, '--workspace', dir]);
  return { code: r.code, stdout: r.stdout, message: r.stderr.trim() };
}

describe('the same request through every door', () => {
  it('runs.show: the same run, field for field', async () => {
    const ipc = await overIpc('runs.show', { id: 3 });
    const http = await overHttp('runs.show', { id: 3 });
    const cli = await overCli(['runs', 'show', '3', '--json']);
    expect(cli.code).toBe(0);
    expect(ipc).toMatchObject({ ok: true });
    expect(http).toMatchObject({ ok: true, value: (ipc as { value: unknown }).value });
    expect(JSON.parse(cli.stdout)).toEqual((ipc as { value: unknown }).value);
  });

  const refusals: { what: string; method: Method; input: unknown; cli: string[]; code: ApiErrorCode }[] = [
    { what: 'a tag with a leading space', method: 'runs.tag', input: { id: 3, tag: ' paper' }, cli: ['runs', 'tag', '3', ' paper'], code: 'bad_request' },
    { what: 'a run that does not exist', method: 'runs.show', input: { id: 999 }, cli: ['runs', 'show', '999'], code: 'not_found' },
    { what: 'cancelling a finished run', method: 'runs.cancel', input: { id: 2 }, cli: ['cancel', '2'], code: 'conflict' },
    { what: 'a filter on an unknown field', method: 'runs.list', input: { filters: ['colour=red'] }, cli: ['runs', 'list', '--filter', 'colour=red'], code: 'bad_request' },
  ];
  for (const r of refusals) {
    it(`refuses ${r.what} with one code and one message`, async () => {
      const ipc = await overIpc(r.method, r.input);
      const http = await overHttp(r.method, r.input);
      const cli = await overCli(r.cli);
      expect(ipc).toMatchObject({ ok: false, code: r.code });
      const message = (ipc as { message: string }).message;
      expect(http).toMatchObject({ ok: false, code: r.code, message, status: HTTP[r.code] });
      expect(cli).toMatchObject({ code: EXIT[r.code], message });
    });
  }
});
