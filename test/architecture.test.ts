// The layout is the architecture (DESIGN §2): who may import whom is checked here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

/** The project folder an import lands in, or null for packages. */
function target(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return relative(ROOT, resolve(dirname(file), spec));
}

describe('import boundaries', () => {
  it('engine/ imports nothing of ours outside itself, and no Electron, SQLite or HTTP', () => {
    const engine = join(ROOT, 'src-main/engine');
    for (const file of sources(engine)) {
      for (const spec of imports(file)) {
        const t = target(file, spec);
        if (t !== null) expect(t.startsWith('src-main/engine'), `${relative(ROOT, file)} imports ${spec}`).toBe(true);
        else expect(['electron', 'better-sqlite3', 'node:http', 'http', 'ws'].includes(spec), `${relative(ROOT, file)} imports ${spec}`).toBe(false);
      }
    }
  });

  it('the renderer imports only its own files and the api contract', () => {
    for (const file of sources(join(ROOT, 'src-renderer'))) {
      for (const spec of imports(file)) {
        const t = target(file, spec);
        if (t !== null) expect(t.startsWith('src-renderer') || t.startsWith('src-main/api'), `${relative(ROOT, file)} imports ${spec}`).toBe(true);
        else expect(['electron', 'onnxruntime-node', 'better-sqlite3'].some((p) => spec.startsWith(p)), `${relative(ROOT, file)} imports ${spec}`).toBe(false);
      }
    }
  });
});
