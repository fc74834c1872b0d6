// `sqs-workbench serve` in a child process: one line with the URL, a working API, and a clean
// exit on SIGTERM/SIGINT that leaves a run in training resumable; without a built renderer, a
// one-line refusal instead of a URL.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../src-main/store/workspace';
import { getRun } from '../../../src-main/store/runs';
import { TINY, tempWorkspace } from '../../api/service-helpers';
import { BIN, tempDir } from '../../helpers/cli';

const ROOT = resolve(import.meta.dirname, '../../..');
/** a stand-in for the built renderer: these tests are about the command, not the page */
const RENDERER = tempDir('sqs-renderer-');
writeFileSync(join(RENDERER, 'index.html'), '<!doctype html><title>SQS Workbench</title>\n');

function serve(args: string[], renderer = RENDERER) {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, env: { ...process.env, SQS_WORKBENCH_RENDERER: renderer }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const firstLine = new Promise<string>((ok, fail) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) ok(stdout.split('\n')[0]);
    });
    child.on('close', () => fail(new Error(`serve exited before printing its URL: ${stderr}`)));
  });
  firstLine.catch(() => {}); // a test that expects the command to fail never reads it
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) => child.on('close', (code) => ok({ code, stdout, stderr })));
  return { child, firstLine, exit };
}

describe('sqs-workbench serve', () => {
  it('prints one line with its URL, serves the API, and exits 0 on SIGTERM', async () => {
    const s = serve(['--port', '0', '--workspace', tempWorkspace()]);
    const line = await s.firstLine;
    const m = /^Workbench at (http:\/\/127\.0\.0\.1:(\d+)\/)\?token=([0-9a-f]{64})$/.exec(line);
    expect(m, line).not.toBeNull();
    const res = await fetch(`${m![1]}api/settings.get`, { method: 'POST', headers: { Authorization: `Bearer ${m![3]}` } });
    expect(res.status).toBe(200);
    s.child.kill('SIGTERM');
    const { code, stdout } = await s.exit;
    expect(code).toBe(0);
    expect(stdout).toBe(line + '\n');
  });

  it('on SIGINT stops training at a step boundary, leaving the run interrupted', async () => {
    const dir = tempWorkspace();
    const s = serve(['--workspace', dir]);
    const [, url, , token] = /^Workbench at (http:\/\/127\.0\.0\.1:(\d+)\/)\?token=(\w+)$/.exec(await s.firstLine)!;
    const call = async (method: string, body: unknown): Promise<any> => (await fetch(`${url}api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();
    const { runId } = await call('train.start', { config: { ...TINY, epochs: 1000 } });
    for (let run = (await call('runs.show', { id: runId })).run; run.steps_done === 0; run = (await call('runs.show', { id: runId })).run) {
      expect(['queued', 'running']).toContain(run.status);
      await new Promise((r) => setTimeout(r, 100));
    }
    s.child.kill('SIGINT');
    expect((await s.exit).code).toBe(0);
    const ws = Workspace.open(dir);
    try {
      expect(getRun(ws, runId).status).toBe('interrupted');
    } finally {
      ws.close();
    }
  });

  it('without a built renderer, says so in one line and prints no URL', async () => {
    const empty = tempDir('sqs-no-renderer-');
    const { code, stdout, stderr } = await serve(['--workspace', tempWorkspace()], empty).exit;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`serve: the renderer is not built (no ${join(empty, 'index.html')}): run npm run build first\n`);
  });

  it('serves the built renderer at its URL', async () => {
    const s = serve(['--workspace', tempWorkspace()]);
    const [, url] = /^Workbench at (\S+)$/.exec(await s.firstLine)!;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>SQS Workbench</title>');
    s.child.kill('SIGTERM');
    expect((await s.exit).code).toBe(0);
  });

  it('refuses a bad port', async () => {
    const s = serve(['--port', '70000']);
    const { code, stderr } = await s.exit;
    expect(code).not.toBe(0);
    expect(stderr).toContain('--port');
  });
});
