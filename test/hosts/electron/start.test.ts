// `npm start` where Electron cannot start: one line says why, then the web host serves the
// workbench and prints its URL. (No Electron binary exists on these machines.)
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'sqs-start-'));
const live = new Set<ChildProcess>();
afterEach(async () => {
  for (const c of live) await stop(c);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// --skip-build serves whatever is built; a stand-in renderer keeps these tests independent of out/
const renderer = join(dir, 'renderer');
mkdirSync(renderer);
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>SQS Workbench</title>\n');

function stop(c: ChildProcess): Promise<void> {
  live.delete(c);
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    c.once('exit', () => done());
    c.kill('SIGTERM');
  });
}

/** Runs start.mjs until `until` holds for its output (or it exits). */
function start(env: Record<string, string | undefined>, until: (out: string, err: string) => boolean) {
  const ws = mkdtempSync(join(dir, 'ws-'));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, SQS_WORKBENCH_RENDERER: renderer, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs'), '--skip-build', '--workspace', ws], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  return new Promise<{ out: string; err: string; child: ChildProcess; ws: string }>((done, fail) => {
    const check = () => until(out, err) && done({ out, err, child, ws });
    child.stdout!.on('data', (d) => ((out += d), check()));
    child.stderr!.on('data', (d) => ((err += d), check()));
    child.on('exit', (code) => (until(out, err) ? done({ out, err, child, ws }) : fail(new Error(`start.mjs exited ${code}\n${out}\n${err}`))));
  });
}

const URL_LINE = /^Workbench at (http:\/\/127\.0\.0\.1:\d+\/)\?token=([0-9a-f]+)$/m;
const served = (out: string) => URL_LINE.test(out);

async function expectServed(out: string, err: string, reason: string) {
  expect(err).toBe(`Electron cannot start here (${reason}); serving the workbench in the browser instead\n`);
  const [, url, token] = URL_LINE.exec(out)!;
  const res = await fetch(`${url}api/runs.list`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ total: 0 });
}

describe('npm start without Electron', () => {
  it('says there is no display, and serves the workbench', async () => {
    const { out, err } = await start({ DISPLAY: undefined, WAYLAND_DISPLAY: undefined }, served);
    await expectServed(out, err, 'no display: $DISPLAY and $WAYLAND_DISPLAY are not set');
  });

  it('says the binary is missing, and serves the workbench', async () => {
    const { out, err } = await start({ DISPLAY: ':99', SQS_WORKBENCH_ELECTRON: '/nonexistent/electron' }, served);
    await expectServed(out, err, 'no Electron binary at /nonexistent/electron');
  });

  it("gives Electron's own reason when it exits at once, and serves the workbench", async () => {
    const fake = join(dir, 'electron-no-x');
    writeFileSync(fake, `#!/bin/sh\necho "[42:ERROR:ozone_platform_x11.cc(240)] Missing X server or \\$DISPLAY" >&2\necho "The platform failed to initialize.  Exiting." >&2\nexit 1\n`);
    chmodSync(fake, 0o755);
    const { out, err } = await start({ DISPLAY: ':99', SQS_WORKBENCH_ELECTRON: fake }, served);
    await expectServed(out, err, 'Missing X server or $DISPLAY');
  });

  it('leaves a running Electron alone: the app and its workspace, no fallback', async () => {
    const fake = join(dir, 'electron-ok');
    writeFileSync(fake, `#!/bin/sh\necho "electron $*"\nexec sleep 30\n`);
    chmodSync(fake, 0o755);
    const { out, err, child, ws } = await start({ DISPLAY: ':99', SQS_WORKBENCH_ELECTRON: fake }, (o) => o.includes('electron '));
    expect(out).toBe(`electron ${ROOT} --workspace ${ws}\n`);
    await new Promise((r) => setTimeout(r, 5000)); // past the launch grace period
    expect(err).toBe('');
    expect(child.exitCode).toBeNull();
  });
});
