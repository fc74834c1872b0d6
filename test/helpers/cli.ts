// Runs the real `sqs-workbench` command line in a child process: bin/sqs-workbench.mjs of this
// checkout (the sources, or their build when it is newer than them), or another copy's bin.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../bin/sqs-workbench.mjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, bin = BIN): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, bin = BIN): Promise<CliResult> {
  return startCli(args, env, bin).done;
}

export function tempDir(prefix = 'sqs-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Small, fast settings for runs whose numbers are not the point of a test. */
export const SMALL = ['--d', '32', '--h', '32', '--batch', '512'];
