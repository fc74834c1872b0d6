// The window is a sandboxed web page with a strict policy (docs/architecture.md), checked without Electron.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, windowOptions } from '../../../src-main/hosts/electron/window-options';

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));

describe('window options', () => {
  it('isolate, sandbox and keep Node out of the renderer', () => {
    const web = windowOptions({ preload: '/app/out/preload/index.cjs' }).webPreferences!;
    expect(web.preload).toBe('/app/out/preload/index.cjs');
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
  });
});

describe('content security policy', () => {
  const csp = contentSecurityPolicy();
  const d = directives(csp);

  it('allows no eval, no inline script and no remote origin', () => {
    expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes/);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [name, sources] of d) {
      for (const s of sources) expect(["'self'", "'none'", "'unsafe-inline'", 'data:', 'blob:'], `${name} ${s}`).toContain(s);
      if (name !== 'style-src') expect(sources, name).not.toContain("'unsafe-inline'");
    }
    expect(csp).not.toMatch(/\*|https?:|wss?:/);
  });

  it('under electron-vite dev, adds only the loopback dev server and its HMR socket', () => {
    const dev = directives(contentSecurityPolicy('http://localhost:5173/'));
    expect(dev.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(dev.get('script-src')).toEqual(["'self'"]);
  });
});
