// The api stays inside its workspace whatever a page sends: over real HTTP (the web host, with a
// data root) and through handleApiCall (Electron's IPC, with a fake folder dialog), every attempt
// to name a folder outside (absolute paths, ../, links inside the roots or inside exports/ leading
// out) is refused with its code and one line, and nothing outside the workspace changes (the
// surrounding temp folder is snapshotted around each case). Non-canonical request paths are
// refused before routing, every reply carries the security headers, numbers that are not finite
// are named so, and readers never echo a foreign file's bytes. The command line keeps writing
// where its person says (export atlas --out).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createService, type Service } from '../../src-main/api/service';
import { handleApiCall } from '../../src-main/hosts/electron/ipc';
import { SECURITY_HEADERS } from '../../src-main/hosts/web/respond';
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server';
import { DATA_ROOT_HINT, WORKSPACE_SWITCH_HINT, type FolderPurpose } from '../../src-main/common/contract';
import { writeIdxFolder } from '../engine/data/idx-fixtures';
import { tempDir } from '../helpers/cli';
import { EventLog, TINY } from '../api/service-helpers';
import { expectOneLine, snapshot } from './harness';
import { escapeRegExp as re, runMain as cli } from './run-main';
import { rawRequest, type RawReply } from '../hosts/web/raw-request';

const PAGE = pathToFileURL('/opt/sqs-workbench/out/renderer/index.html').href;
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';
const IDX_NAMES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/** Cases per category, for the report. */
const counted: Record<string, number> = {};
const count = (category: string, n = 1) => (counted[category] = (counted[category] ?? 0) + n);

const root = tempDir('sqs-faults-reach-');
const ws = join(root, 'ws');
const outside = join(root, 'outside');
const allowed = join(root, 'allowed');
let host: WebHost;
let ipcService: Service;
let runId = 0;
/** what the fake folder dialog answers next, and what it was asked for */
let dialogAnswer: string | null = null;
const dialogAsked: FolderPurpose[] = [];

type Reply = RawReply;
type Answer = { ok: true; value: unknown } | { ok: false; code: string; message: string };

const raw = (path: string, opts: Parameters<typeof rawRequest>[2] = {}): Promise<Reply> => rawRequest(host.port, path, opts);

const auth = () => ({ Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' });

async function overHttp(method: string, input: unknown): Promise<Answer> {
  const r = await raw(`/api/${method}`, { method: 'POST', headers: auth(), body: JSON.stringify(input) });
  const body = JSON.parse(r.body) as { code: string; message: string };
  return r.status === 200 ? { ok: true, value: body } : { ok: false, code: body.code, message: body.message };
}

async function overIpc(method: string, input: unknown): Promise<Answer> {
  const r = await handleApiCall(ipcService, PAGE, PAGE, method, input);
  return r.ok ? { ok: true, value: r.value } : { ok: false, code: r.error.code, message: r.error.message };
}

/** Everything under the temp folder but the workspace, by content; the workspace by its files and rows. */
function world(): { outside: Record<string, string>; workspace: Record<string, string> } {
  const all = snapshot(root);
  return { outside: Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('ws/') && !k.startsWith('ws-'))), workspace: snapshot(ws) };
}

/** The call was refused with `code` and one line matching `message`, and nothing changed, outside the workspace or in it. */
async function refused(category: string, call: () => Promise<Answer>, code: string, message: RegExp): Promise<string> {
  const before = world();
  const r = await call();
  expect(r, JSON.stringify(r)).toMatchObject({ ok: false, code });
  const text = (r as { message: string }).message;
  expect(text).toMatch(message);
  expect(text).not.toContain('\n');
  expect(text).not.toMatch(/\s+at \S+ \(/); // no stack
  expect(world()).toEqual(before);
  count(category);
  return text;
}

const both = (method: string, input: unknown) => [() => overHttp(method, input), () => overIpc(method, input)] as const;

beforeAll(async () => {
  mkdirSync(outside);
  mkdirSync(allowed);
  writeFileSync(join(outside, 'passwd'), PASSWD);
  for (const d of [join(outside, 'idx'), join(allowed, 'idx'), join(allowed, 'mixed'), join(allowed, 'foreign')]) mkdirSync(d);
  writeIdxFolder({ dir: join(outside, 'idx') });
  // inside the data root: a good folder, a link to a folder outside, a folder with one file linked
  // outside, and a folder whose files are someone else's text
  writeIdxFolder({ dir: join(allowed, 'idx') });
  symlinkSync(join(outside, 'idx'), join(allowed, 'sneaky'));
  writeIdxFolder({ dir: join(allowed, 'mixed') });
  rmSync(join(allowed, 'mixed', IDX_NAMES[0]));
  symlinkSync(join(outside, 'idx', IDX_NAMES[0]), join(allowed, 'mixed', IDX_NAMES[0]));
  for (const name of IDX_NAMES) writeFileSync(join(allowed, 'foreign', name), PASSWD);

  const renderer = join(root, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>workbench</title>');
  host = await startWebHost({ workspaceDir: ws, staticDir: renderer, dataRoots: [allowed] });
  // the desktop app's service on the same workspace: a folder dialog, no roots
  ipcService = createService({ workspaceDir: ws, chooseFolder: async (purpose) => (dialogAsked.push(purpose), dialogAnswer) });

  // one analysed run, so that export.atlas gets as far as choosing its folder
  const log = new EventLog();
  const off = host.service.on(log.push);
  runId = (await host.service.call('train.start', { config: { ...TINY, d: 8, h: 8, epochs: 1 } })).runId;
  expect(await log.finalStatus(runId)).toMatchObject({ status: 'completed' });
  await host.service.call('atlas.analyze', { id: runId });
  await log.until((e) => e.type === 'analysis' && e.runId === runId && e.state === 'ready', 'analysis');
  off();
});

afterAll(async () => {
  await ipcService?.close();
  await host?.close();
  rmSync(root, { recursive: true, force: true });
  console.log(`api-reach fault cases: ${JSON.stringify(counted)}`);
});

describe('export.atlas writes only into the workspace exports folder', () => {
  it('refuses any outDir a caller names, absolute, relative, or another run\'s analysis folder', async () => {
    const targets = [join(outside, 'atlas'), '../atlas', 'atlas', join(ws, 'runs', String(runId), 'analysis'), join(ws, 'exports', 'mine'), '/', ''];
    for (const outDir of targets) {
      for (const call of both('export.atlas', { id: runId, format: 'html', outDir })) {
        await refused('export.atlas outDir', call, 'bad_request', /^export\.atlas: outDir: cannot be chosen by a call: .*export\.atlasFile.*export atlas --out DIR$/);
      }
    }
    expect(existsSync(join(outside, 'atlas'))).toBe(false);
  });

  it('refuses an exports folder that is a link leading out, writing nothing there', async () => {
    const elsewhere = join(outside, 'exports-elsewhere');
    mkdirSync(elsewhere);
    rmSync(join(ws, 'exports'), { recursive: true, force: true });
    symlinkSync(elsewhere, join(ws, 'exports'));
    try {
      for (const call of both('export.atlas', { id: runId, format: 'svg', count: 1 })) {
        await refused('export.atlas exports link', call, 'conflict', new RegExp(`^${re(join(ws, 'exports'))} is a link; an atlas is written only into the workspace's own exports folder`));
      }
      expect(readdirSync(elsewhere)).toEqual([]);
    } finally {
      rmSync(join(ws, 'exports'));
    }
  });

  it('never follows a link inside exports/ that bears the name it would choose', async () => {
    // links under every name the next few seconds could give the export, each leading out
    const trap = join(outside, 'trap');
    mkdirSync(trap);
    mkdirSync(join(ws, 'exports'), { recursive: true });
    const p = (n: number) => String(n).padStart(2, '0');
    const now = Date.now();
    for (let s = 0; s < 5; s++) {
      const d = new Date(now + s * 1000);
      const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
      symlinkSync(trap, join(ws, 'exports', `run-${runId}-html-${stamp}`));
    }
    const before = world().outside;
    const r = await overHttp('export.atlas', { id: runId, format: 'html', count: 1 });
    expect(r).toMatchObject({ ok: true });
    const { outDir } = (r as { value: { outDir: string } }).value;
    expect(outDir).toMatch(new RegExp(`^${re(join(ws, 'exports', `run-${runId}-html-`))}\\d{8}-\\d{6}-2$`));
    expect(readdirSync(outDir)).toEqual(['atlas.html']);
    expect(readdirSync(trap)).toEqual([]);
    expect(world().outside).toEqual(before);
    count('export.atlas exports link');
  });

  it("the command line's export atlas --out still writes where its person says, without the api choosing", async () => {
    const out = join(root, 'ws-cli-atlas');
    const r = await cli(['export', 'atlas', String(runId), '--format', 'svg', '--top-k', '1', '--classes', '0', '--out', out, '--workspace', ws]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['class-0-negative.svg', 'class-0-positive.svg', 'spectrum-0.svg', 'truncation.svg']);
    expect(r.stdout).toContain(`written to ${out}:`);
    count('CLI export atlas --out');
  });
});

describe('the workspace is the host\'s choice', () => {
  it('refuses workspaceDir in settings.set, over HTTP and IPC, creating nothing there', async () => {
    for (const workspaceDir of [join(outside, 'new-ws'), join(root, 'allowed', 'ws'), '/', ws]) {
      for (const call of both('settings.set', { workspaceDir })) {
        await refused('settings.set workspaceDir', call, 'bad_request', /^settings\.set: workspaceDir: cannot be set by a call: the desktop app switches workspace with settings\.chooseWorkspace/);
      }
    }
    expect(existsSync(join(outside, 'new-ws'))).toBe(false);
  });

  it('a browser cannot open a folder dialog: it is told to restart the server on another workspace', async () => {
    const message = await refused('settings.chooseWorkspace', () => overHttp('settings.chooseWorkspace', {}), 'unavailable', /^settings\.chooseWorkspace: this host has no folder dialog; to switch workspace, restart the server with sqs-workbench serve --workspace DIR$/);
    expect(message).toContain(WORKSPACE_SWITCH_HINT);
    expect(await overHttp('system.host', {})).toEqual({ ok: true, value: { folderChooser: false, dataRoots: [allowed] } });
  });

  it('the desktop app switches workspace to the folder chosen in its dialog, and not when cancelled', async () => {
    expect(await overIpc('system.host', {})).toEqual({ ok: true, value: { folderChooser: true, dataRoots: [] } });
    dialogAnswer = null;
    expect(await overIpc('settings.chooseWorkspace', {})).toEqual({ ok: true, value: null });
    const other = join(root, 'ws-chosen');
    dialogAnswer = other;
    expect(await overIpc('settings.chooseWorkspace', {})).toMatchObject({ ok: true, value: { workspaceDir: other } });
    expect(existsSync(join(other, 'workspace.db'))).toBe(true);
    dialogAnswer = ws;
    expect(await overIpc('settings.chooseWorkspace', {})).toMatchObject({ ok: true, value: { workspaceDir: ws } });
    expect(dialogAsked.splice(0)).toEqual(['workspace', 'workspace', 'workspace']);
    count('settings.chooseWorkspace', 3);
  });
});

describe('datasets.import reads only a folder the host allows', () => {
  const outsideRoots = new RegExp(`is outside the folders this server may read \\(only folders under ${re(allowed)}\\); ${re(DATA_ROOT_HINT)}$`);

  it('over HTTP: refuses folders outside the data root, existing or not, by path or by ../, in the same words', async () => {
    for (const path of [outside, join(outside, 'idx'), join(outside, 'nowhere'), '/etc', '/', join(allowed, '..', 'outside', 'idx'), `${allowed}-twin`]) {
      const message = await refused('datasets.import outside roots', () => overHttp('datasets.import', { path }), 'bad_request', outsideRoots);
      expect(message).not.toMatch(/not a folder|ENOENT|exist/);
    }
  });

  it('over HTTP: refuses links inside the data root that lead out, the folder itself or one of its files', async () => {
    await refused('datasets.import links', () => overHttp('datasets.import', { path: join(allowed, 'sneaky') }), 'bad_request', outsideRoots);
    await refused('datasets.import links', () => overHttp('datasets.import', { path: join(allowed, 'mixed') }), 'bad_request', new RegExp(`^datasets\\.import: path: ${re(join(allowed, 'mixed', IDX_NAMES[0]))} is a link that leads outside the folders this server may read$`));
  });

  it("never echoes a foreign file's bytes: the IDX reader says which kind of file it expected", async () => {
    const message = await refused('datasets.import foreign bytes', () => overHttp('datasets.import', { path: join(allowed, 'foreign') }), 'bad_request', /not an IDX file of images \(unsigned bytes, 3 dimensions\): it does not start with the magic number 0x00000803$/);
    expect(message).not.toMatch(/root|daemon|0x726f6f74|726f|bash/);
  });

  it('over HTTP: imports a good folder under the data root, and needs a path there', async () => {
    const r = await overHttp('datasets.import', { path: join(allowed, 'idx'), name: 'allowed idx' });
    expect(r).toMatchObject({ ok: true, value: { spec: `idx:${join(allowed, 'idx')}`, name: 'allowed idx', trainN: 12 } });
    await refused('datasets.import no path', () => overHttp('datasets.import', {}), 'bad_request', new RegExp(`^datasets\\.import: path: required: a folder of IDX files under ${re(allowed)}$`));
    count('datasets.import allowed');
  });

  it('over IPC: refuses any path a page names, imports the folder chosen in the dialog, nothing when cancelled', async () => {
    for (const path of [join(allowed, 'idx'), join(outside, 'idx'), '/etc']) {
      await refused('datasets.import over IPC', () => overIpc('datasets.import', { path }), 'bad_request', /^datasets\.import: path: .*: the app reads no folder that a page names; choose it in the folder dialog \(datasets\.import without a path\)$/);
    }
    dialogAnswer = null;
    expect(await overIpc('datasets.import', {})).toEqual({ ok: true, value: null });
    dialogAnswer = join(outside, 'idx');
    expect(await overIpc('datasets.import', { name: 'chosen' })).toMatchObject({ ok: true, value: { spec: `idx:${join(outside, 'idx')}`, name: 'chosen' } });
    expect(dialogAsked.splice(0)).toEqual(['dataset', 'dataset']);
    count('datasets.import over IPC', 2);
  });
});

describe('other calls that name a folder', () => {
  it('runs.import reads only under the data root (HTTP) and never a folder a page names (IPC)', async () => {
    for (const path of [outside, join(allowed, '..', 'outside'), join(allowed, 'sneaky')]) {
      await refused('runs.import', () => overHttp('runs.import', { path }), 'bad_request', /^runs\.import: path: .* is outside the folders this server may read/);
    }
    await refused('runs.import', () => overIpc('runs.import', { path: join(outside, 'idx') }), 'bad_request', /^runs\.import: path: .*: the app reads no folder that a page names; import a run folder with 'sqs-workbench runs import DIR'$/);
    // a link under the workspace's own runs/ is not one of its run folders: it leads out
    const link = join(ws, 'runs', '90');
    symlinkSync(join(outside, 'idx'), link);
    try {
      for (const call of both('runs.import', { path: link })) await refused('runs.import', call, 'bad_request', /^runs\.import: path: /);
    } finally {
      rmSync(link);
    }
  });

  it('train.start and sweep.start refuse an idx: folder the workspace does not know and the host does not allow, before any run exists', async () => {
    const spec = `idx:${join(outside, 'passwd-folder')}`;
    for (const call of [...both('train.start', { config: { dataset: spec } }), ...both('sweep.start', { base: { dataset: spec }, axes: [{ key: 'seed', values: [0, 1] }] })]) {
      await refused('train/sweep idx: folder', call, 'bad_request', /config\.dataset: .*(is outside the folders this server may read|the app reads no folder that a page names)/);
    }
  });
});

describe('the web host routes canonical paths only, and every reply carries the security headers', () => {
  const expectHeaders = (r: Reply, what: string) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(r.headers[k.toLowerCase()], `${what}: ${k}`).toBe(v);
  };

  it('refuses non-canonical paths with 400 before routing: nothing runs', async () => {
    const paths = [
      '/api/runs.list/../settings.set',
      '/api/runs.list/%2e%2e/settings.set',
      '/api/runs.list/%2E%2E/settings.set',
      '/api/./settings.set',
      '/api/settings.set/.',
      '/api/settings.set/',
      '/api//settings.set',
      '//api/settings.set',
      '/api%2fsettings.set',
      '/api%2Fsettings.set',
      '/api/settings%2eset',
      '/api\\settings.set',
      '/api/settings.set%00',
      '/api/settings.set%zz',
      'http://127.0.0.1/api/settings.set',
    ];
    for (const path of paths) {
      const before = world();
      const r = await raw(path, { method: 'POST', headers: auth(), body: JSON.stringify({ concurrency: 7 }) });
      expect(r.status, path).toBe(400);
      expect(JSON.parse(r.body), path).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/send the path in its plain form$/) });
      expectHeaders(r, path);
      expect(world(), path).toEqual(before);
      count('non-canonical paths');
    }
    expect(await overHttp('settings.get', {})).toMatchObject({ ok: true, value: { concurrency: 1 } });
    // the page itself and its assets take the same rule
    for (const path of ['/assets/../index.html', '/index.html/', '/.', `/?token=${host.token}#/../x`]) {
      const r = await raw(path);
      expect(r.status, path).toBe(path.startsWith('/?') ? 200 : 400);
      count('non-canonical paths');
    }
  });

  it('every answer, refusals included, carries the headers', async () => {
    const cases: [string, () => Promise<Reply>, number][] = [
      ['API 200', () => raw('/api/settings.get', { method: 'POST', headers: auth() }), 200],
      ['API 400', () => raw('/api/runs.list', { method: 'POST', headers: auth(), body: '{"limit": 0}' }), 400],
      ['API 401', () => raw('/api/settings.get', { method: 'POST' }), 401],
      ['API 403', () => raw('/api/settings.get', { method: 'POST', headers: { ...auth(), Origin: 'http://evil.example' } }), 403],
      ['API 403 host', () => raw('/api/settings.get', { method: 'POST', headers: { ...auth(), Host: 'evil.example' } }), 403],
      ['API 404', () => raw('/api/no.such', { method: 'POST', headers: auth() }), 404],
      ['API 405', () => raw('/api/settings.get', { headers: auth() }), 405],
      ['API 409', () => raw('/api/runs.cancel', { method: 'POST', headers: auth(), body: JSON.stringify({ id: runId }) }), 409],
      ['API 413', () => raw('/api/runs.list', { method: 'POST', headers: { ...auth(), 'Content-Length': String(4 * 1024 * 1024) }, body: '' }), 413],
      ['API 415', () => raw('/api/runs.list', { method: 'POST', headers: { ...auth(), 'Content-Type': 'text/plain' }, body: '{}' }), 415],
      ['API 422', () => raw('/api/settings.chooseWorkspace', { method: 'POST', headers: auth() }), 422],
      ['page 200', () => raw(`/?token=${host.token}`), 200],
      ['page 401', () => raw('/'), 401],
      ['page 404', () => raw(`/missing.js?token=${host.token}`), 404],
      ['page 405', () => raw('/', { method: 'DELETE' }), 405],
      ['path 400', () => raw('/a//b'), 400],
    ];
    for (const [what, send, status] of cases) {
      const r = await send().catch((e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? null : Promise.reject(e)));
      if (r === null) continue; // 413: the server may close before the body is sent
      expect(r.status, what).toBe(status);
      expectHeaders(r, what);
      count('security headers');
    }
  });

  it('a refused WebSocket upgrade carries them too', async () => {
    const attempt = (path: string, origin?: string) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve) => {
        const s = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, origin ? { origin } : {});
        s.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode!, headers: res.headers }));
        s.on('open', () => (s.close(), resolve({ status: 101, headers: {} })));
        s.on('error', () => {});
      });
    for (const [path, origin, status] of [
      ['/events', undefined, 401],
      [`/events?token=${host.token}`, 'http://evil.example', 403],
      [`/nothing?token=${host.token}`, undefined, 404],
    ] as const) {
      const r = await attempt(path, origin);
      expect(r.status, path).toBe(status);
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(r.headers[k.toLowerCase()], `${path}: ${k}`).toBe(v);
      count('security headers');
    }
    // a WebSocket client normalises its URL; a raw upgrade request sends the path as written
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(host.port, '127.0.0.1', () =>
        socket.write(`GET /x/../events?token=${host.token} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`),
      );
      let text = '';
      socket.on('data', (d) => (text += String(d)));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 bad_request\r\n/);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(reply).toContain(`${k}: ${v}\r\n`);
    count('security headers');
  });
});

describe('numbers and messages', () => {
  it('1e400 in a JSON body is named as not finite, not as null', async () => {
    for (const [method, body, message] of [
      ['runs.list', '{"limit": 1e400}', /^runs\.list: limit: Infinity is not a finite number: must be an integer from 1 to 10000$/],
      ['runs.show', '{"id": -1e400}', /^runs\.show: id: -Infinity is not a finite number: must be an integer >= 1$/],
      ['train.start', '{"config": {"lr": 1e400}}', /^train\.start: config\.lr: Infinity is not a finite number: must be a number > 0$/],
      ['runs.list', '{"limit": [1e400]}', /^runs\.list: limit: \[Infinity\] is not a number/],
    ] as const) {
      const r = await raw(`/api/${method}`, { method: 'POST', headers: auth(), body });
      expect(r.status).toBe(400);
      expect((JSON.parse(r.body) as { message: string }).message).toMatch(message);
      count('non-finite numbers');
    }
  });

  it("the command line names a foreign file as not IDX, never quoting it", async () => {
    const r = await cli(['train', '--dataset', `idx:${join(allowed, 'foreign')}`, '--workspace', join(root, 'ws-cli'), '--d', '2', '--h', '2']);
    expectOneLine(r, 1, /not an IDX file of images \(unsigned bytes, 3 dimensions\): it does not start with the magic number 0x00000803/);
    expect(r.stderr).not.toMatch(/root|0x726f6f74/);
    count('foreign bytes (CLI)');
  });

  it("a run folder of someone else's text: config.json and the weights refused by where they fail, never by what they hold", async () => {
    const run = join(allowed, 'foreign-run');
    mkdirSync(run);
    writeFileSync(join(run, 'config.json'), PASSWD);
    // the text itself, and its first 8 bytes read as the header's length
    const bytesOf = new RegExp(`root|daemon|bash|nologin|${Buffer.from(PASSWD).readBigUInt64LE(0)}`);
    const imported = await refused('foreign bytes (run folder)', () => overHttp('runs.import', { path: run }), 'bad_request', /config\.json: not valid JSON/);
    expect(imported).not.toMatch(bytesOf);
    const analysed = await cli(['analyze', run]);
    expectOneLine(analysed, 1, new RegExp(`^${re(join(run, 'config.json'))}: not valid JSON$`, 'm'));
    // a real config, and weights that are text: the header length is the text's first 8 bytes
    writeFileSync(join(run, 'config.json'), readFileSync(join(ws, 'runs', String(runId), 'config.json')));
    writeFileSync(join(run, 'weights.safetensors'), PASSWD);
    const weights = await cli(['analyze', run]);
    expectOneLine(weights, 1, /weights\.safetensors: header length runs beyond the end of the file \(\d+ bytes after the length\)$/m);
    expect(analysed.stderr + weights.stderr).not.toMatch(bytesOf);
    count('foreign bytes (CLI)', 2);
  });

  it('serve refuses a --data-root that is not a folder, in one line, before serving', async () => {
    const saved = process.env.SQS_WORKBENCH_RENDERER;
    process.env.SQS_WORKBENCH_RENDERER = join(root, 'renderer');
    try {
      const missing = join(outside, 'no-such-root');
      const r = await cli(['serve', '--workspace', join(root, 'ws-serve'), '--data-root', missing]);
      expectOneLine(r, 2, new RegExp(`^--data-root ${re(missing)}: no such folder$`, 'm'));
      expect(existsSync(join(root, 'ws-serve'))).toBe(false);
      expect(r.stdout).toBe('');
      count('serve --data-root');
    } finally {
      if (saved === undefined) delete process.env.SQS_WORKBENCH_RENDERER;
      else process.env.SQS_WORKBENCH_RENDERER = saved;
    }
  });
});

it('leaves the files outside the workspace as they were made', () => {
  expect(readFileSync(join(outside, 'passwd'), 'utf8')).toBe(PASSWD);
});
