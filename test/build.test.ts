// `npm run build` builds main, preload and renderer with electron-vite, without an Electron binary.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

it('builds the main process, a CommonJS preload for the sandbox, and the renderer', () => {
  const root = resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'pipe' });
  expect(existsSync(join(root, 'out/main/index.js'))).toBe(true);
  expect(readFileSync(join(root, 'out/preload/index.cjs'), 'utf8')).toMatch(/require\("electron"\)/);
  expect(readFileSync(join(root, 'out/renderer/index.html'), 'utf8')).toMatch(/Content-Security-Policy/);
});
