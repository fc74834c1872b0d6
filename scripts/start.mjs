#!/usr/bin/env node
// `npm start [-- --workspace DIR]`: builds the app, then opens it in Electron. Where Electron
// cannot start (no display, no binary and no way to fetch it, a crash at launch), it says so in
// one line and serves the same workbench to the browser instead (`sqs-workbench serve`), which
// prints the URL to open. Both use the CLI's workspace rules: --workspace, $SQS_WORKBENCH_HOME,
// else the user-data folder; the bundled digits need nothing downloaded.
//   --skip-build               use the existing out/ as it is
//   SQS_WORKBENCH_ELECTRON=BIN  the Electron binary to run instead of node_modules/electron's
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
/** an Electron that exits with an error within this long after launch did not start */
const LAUNCH_GRACE_MS = 4000;

const { values } = parseArgs({ options: { workspace: { type: 'string' }, 'skip-build': { type: 'boolean' } }, strict: true, allowPositionals: false });
const workspaceArgs = values.workspace ? ['--workspace', resolve(values.workspace)] : [];

if (!values['skip-build']) {
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? `${build.error.message}\n` : ''}npm start: the build failed\n`);
    process.exit(1);
  }
}

const found = findElectron();
if ('reason' in found) fallBack(found.reason);
else launch(found.binary);

/** The Electron binary, or why there is none to run. */
function findElectron() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'no display: $DISPLAY and $WAYLAND_DISPLAY are not set' };
  const override = process.env.SQS_WORKBENCH_ELECTRON;
  if (override) return existsSync(override) ? { binary: override } : { reason: `no Electron binary at ${override}` };
  const pkg = join(ROOT, 'node_modules/electron');
  if (!existsSync(join(pkg, 'package.json'))) return { reason: 'the electron package is not installed' };
  // Electron 41+ fetches its binary at first use: require('electron') gives its path, downloading it if needed
  const r = spawnSync(process.execPath, ['-e', `process.stdout.write('\\n' + require('electron'))`], { cwd: ROOT, encoding: 'utf8', timeout: 10 * 60_000 });
  const binary = r.status === 0 ? (r.stdout ?? '').split('\n').at(-1) : '';
  if (binary && existsSync(binary)) return { binary };
  const installed = existsSync(join(pkg, 'path.txt')) && existsSync(join(pkg, 'dist', readFileSync(join(pkg, 'path.txt'), 'utf8')));
  return { reason: installed ? 'its binary does not run' : "Electron's binary is not installed and could not be downloaded" };
}

function launch(binary) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // it would make the binary a plain Node
  let child;
  try {
    child = spawn(binary, [ROOT, ...workspaceArgs], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'pipe'] });
  } catch (e) {
    return fallBack(e.message);
  }
  // stderr is held back during launch, so a failed start reads as one line, then passed through
  let launching = true;
  let held = '';
  child.stderr.on('data', (chunk) => {
    if (launching) held += chunk;
    else process.stderr.write(chunk);
  });
  const timer = setTimeout(() => {
    launching = false;
    process.stderr.write(held);
    held = '';
  }, LAUNCH_GRACE_MS);
  const forward = forwardSignals(() => child);
  child.on('error', (e) => {
    clearTimeout(timer);
    forward.stop();
    if (launching) fallBack(e.message);
    else {
      process.stderr.write(`npm start: Electron failed: ${e.message}\n`);
      process.exitCode = 1;
    }
  });
  child.on('exit', (code, signal) => {
    clearTimeout(timer);
    const failed = code !== 0;
    if (launching && failed) {
      forward.stop();
      return fallBack(launchError(held) ?? (signal ? `it was killed by ${signal}` : `it exited with code ${code}`));
    }
    process.stderr.write(held);
    forward.stop();
    process.exitCode = code ?? 1;
  });
}

/** Chromium's first ERROR or FATAL log line without its prefix (Missing X server or $DISPLAY), else the last line. */
function launchError(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const logged = lines.find((l) => /^\[[^\]]*:(ERROR|FATAL):[^\]]*\]/.test(l));
  const line = logged ? logged.replace(/^\[[^\]]*\]\s*/, '') : lines.at(-1);
  return line ? line.slice(0, 300) : null;
}

function fallBack(reason) {
  process.stderr.write(`Electron cannot start here (${reason}); serving the workbench in the browser instead\n`);
  const child = spawn(process.execPath, [join(ROOT, 'bin/sqs-workbench.mjs'), 'serve', ...workspaceArgs], { cwd: ROOT, stdio: 'inherit' });
  const forward = forwardSignals(() => child);
  child.on('exit', (code, signal) => {
    forward.stop();
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

/**
 * SIGTERM and SIGHUP sent to this process go on to the child. Ctrl-C already reaches the child
 * with its process group (a second SIGINT would cut short its orderly stop), so it is only kept
 * from ending this process before the child has finished.
 */
function forwardSignals(child) {
  const pass = (signal) => () => child()?.kill(signal);
  const handlers = { SIGTERM: pass('SIGTERM'), SIGHUP: pass('SIGHUP'), SIGINT: () => {} };
  for (const [s, h] of Object.entries(handlers)) process.on(s, h);
  return { stop: () => Object.entries(handlers).forEach(([s, h]) => process.off(s, h)) };
}
