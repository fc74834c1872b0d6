// `sqs-workbench serve` in a child process: one line with the URL, a working API, and a clean
// exit on SIGTERM/SIGINT that leaves a run in training resumable.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../src-main/store/workspace';
import { getRun } from '../../../src-main/store/runs';
import { TINY, tempWorkspace } from '../../api/service-helpers';

const ROOT = resolve(import.meta.dirname, '../../..');
// main.ts wires `serve` separately; this runs the command itself as the bin script would
const ENTRY = resolve(import.meta.dirname, 'serve-entry.mjs');

function serve(args: string[]) {
  const child = spawn(process.execPath, [ENTRY, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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

  it('refuses a bad port', async () => {
    const s = serve(['--port', '70000']);
    const { code, stderr } = await s.exit;
    expect(code).not.toBe(0);
    expect(stderr).toContain('--port');
  });
});
