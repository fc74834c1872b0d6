// The layout is the architecture (docs/architecture.md): who may import whom is checked here,
// for every file of src-main and src-renderer, type imports included.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

interface Import {
  spec: string;
  /** `import type` / `export type`: erased when compiled */
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const m of text.matchAll(/(?:^|[\s;])(import|export)(\s+type)?\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) found.push({ spec: m[3], typeOnly: m[2] !== undefined });
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ spec: m[1], typeOnly: false });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ spec: m[1], typeOnly: false });
  return found;
}

/** The project file an import lands in, or null for packages and Node built-ins. */
function target(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(file), spec);
  for (const ext of ['', '.ts', '.svelte', '/index.ts']) if (existsSync(base + ext) && statSync(base + ext).isFile()) return relative(ROOT, base + ext);
  return relative(ROOT, base);
}

/**
 * The rooms, from the top down, and the rooms each may import. A room not named in another's
 * list is out of its reach: that is the layering of docs/architecture.md.
 */
const LAYERS: [room: string, mayImport: string[]][] = [
  ['src-renderer', ['src-main/common']],
  ['src-main/hosts/cli', ['src-main/hosts/web', 'src-main/bench', 'src-main/api', 'src-main/common']],
  ['src-main/bench', ['src-main/hosts/web', 'src-main/api', 'src-main/jobs', 'src-main/export', 'src-main/store', 'src-main/common', 'src-main/engine']],
  ['src-main/hosts/electron', ['src-main/api', 'src-main/common']],
  ['src-main/hosts/web', ['src-main/api', 'src-main/common']],
  ['src-main/api', ['src-main/jobs', 'src-main/export', 'src-main/store', 'src-main/common', 'src-main/engine']],
  ['src-main/jobs', ['src-main/store', 'src-main/common', 'src-main/engine']],
  ['src-main/export', ['src-main/common', 'src-main/engine']],
  ['src-main/store', ['src-main/common', 'src-main/engine']],
  ['src-main/common', ['src-main/engine']],
  ['src-main/engine', []],
];
const roomOf = (path: string): string | undefined => LAYERS.map(([r]) => r).find((r) => path === r || path.startsWith(`${r}/`));

const FILES = [...sources(join(ROOT, 'src-main')), ...sources(join(ROOT, 'src-renderer'))];
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('layering', () => {
  it('every source file stands in a room of the layering', () => {
    const homeless = FILES.map((f) => relative(ROOT, f)).filter((f) => roomOf(f) === undefined);
    expect(homeless).toEqual([]);
  });

  for (const [room, may] of LAYERS) {
    it(`${room} imports only ${may.length ? may.join(', ') : 'itself'}`, () => {
      const wrong: string[] = [];
      for (const file of FILES.filter((f) => roomOf(relative(ROOT, f)) === room)) {
        for (const { spec } of importsOf(file)) {
          const t = target(file, spec);
          if (t === null || t === 'package.json') continue;
          const to = roomOf(t);
          if (to !== room && !may.includes(to ?? '')) wrong.push(`${relative(ROOT, file)} imports ${spec}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('engine/ uses no Electron, SQLite, HTTP or WebSocket', () => {
    const wrong = FILES.filter((f) => relative(ROOT, f).startsWith('src-main/engine/')).flatMap((file) =>
      importsOf(file)
        .filter(({ spec }) => ['electron', 'better-sqlite3', 'node:http', 'http', 'node:https', 'ws'].includes(spec))
        .map(({ spec }) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(wrong).toEqual([]);
  });

  it('no two files import each other in a loop at run time', () => {
    const graph = new Map<string, string[]>();
    for (const file of FILES) {
      const from = relative(ROOT, file);
      graph.set(from, importsOf(file).filter((i) => !i.typeOnly).map((i) => target(file, i.spec)).filter((t): t is string => t !== null && t.startsWith('src-')));
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

describe('common/ runs anywhere', () => {
  it('imports, transitively, no Node built-in and no package but zod: the renderer bundles it', () => {
    const seen = new Set<string>();
    const wrong: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const { spec, typeOnly } of importsOf(join(ROOT, file))) {
        const t = target(join(ROOT, file), spec);
        if (t === 'package.json') continue;
        if (t !== null) visit(t);
        else if (!typeOnly && spec !== 'zod') wrong.push(`${file} imports ${spec}`);
        else if (NODE_BUILTINS.has(spec)) wrong.push(`${file} imports ${spec}`);
      }
    };
    for (const file of FILES.map((f) => relative(ROOT, f)).filter((f) => f.startsWith('src-main/common/'))) visit(file);
    expect(wrong).toEqual([]);
  });
});
