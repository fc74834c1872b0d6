// Static files of the built renderer: a path resolves inside the folder or is refused (`..`
// segments, encoded or not, NUL bytes, symlinks leading out), with the right MIME type and
// the strict CSP on every answer (respond.ts).
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { sendText, writeHead } from './respond';

export const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file `rawPath` names inside `root`, or why not (status and message). */
export function resolveStatic(root: string, rawPath: string): { file: string } | { status: number; message: string } {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, message: 'malformed path' };
  }
  if (path.includes('\0')) return { status: 400, message: 'malformed path' };
  const segments = path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { status: 403, message: 'path leaves the renderer folder' };
  if (!existsSync(root)) return { status: 404, message: 'not found' };
  const realRoot = realpathSync(root);
  let file = join(realRoot, ...segments);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) return { status: 404, message: 'not found' };
  const real = realpathSync(file);
  if (!real.startsWith(realRoot + sep)) return { status: 403, message: 'path leaves the renderer folder' };
  if (!statSync(real).isFile()) return { status: 404, message: 'not found' };
  return { file: real };
}

export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, rawPath: string, extra: Record<string, string> = {}): Promise<void> {
  const found = resolveStatic(root, rawPath);
  if ('status' in found) return sendText(res, found.status, found.message, extra);
  const size = statSync(found.file).size;
  const type = MIME[extname(found.file).toLowerCase()] ?? 'application/octet-stream';
  // hashed assets may be cached; the page itself is always revalidated
  const cache = type.startsWith('text/html') ? 'no-cache' : 'private, max-age=3600';
  writeHead(res, 200, { 'Content-Type': type, 'Content-Length': size, 'Cache-Control': cache, ...extra });
  if (req.method === 'HEAD') return void res.end();
  await new Promise<void>((ok) => {
    const stream = createReadStream(found.file);
    stream.on('error', () => {
      res.destroy();
      ok();
    });
    stream.on('end', () => ok());
    stream.pipe(res);
  });
}
