// The window's security settings and Content-Security-Policy, as plain data so tests can read
// them without Electron. The renderer is a sandboxed web page: no Node, isolated from the
// preload, no remote code, and it talks to main only through the contract the preload exposes.
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** absolute path of the built preload (out/preload/index.cjs) */
  preload: string;
}

export function windowOptions({ preload }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false, // shown on ready-to-show, so no blank frame flashes
    title: 'SQS Workbench',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/**
 * The policy sent with every response the window loads. Scripts only from the app itself (no
 * eval, no inline script); inline styles are allowed because Svelte and d3 set style attributes.
 * With `devUrl` (electron-vite dev), the dev server's own origin and its HMR socket are added:
 * loopback only, never in a built app.
 */
export function contentSecurityPolicy(devUrl?: string): string {
  const dev = devUrl ? new URL(devUrl) : null;
  const devOrigins = dev ? ` ${dev.origin} ${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}` : '';
  return [
    `default-src 'none'`,
    `script-src 'self'`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'${devOrigins}`,
    `worker-src 'self'`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-src 'none'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}
