// zod is configured once (common/zod.ts: jitless, so it never probes `new Function` under the
// renderer's Content-Security-Policy); that holds only if every schema the renderer can load is
// built through that module.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from '../../src-main/common/zod';

const ROOT = resolve(import.meta.dirname, '../..');
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });

describe('zod in the shared modules and the renderer', () => {
  it('is configured not to compile parsers with eval', () => {
    expect(z.config().jitless).toBe(true);
  });

  it("is imported as a value only through common/zod.ts", () => {
    const files = [...sources(join(ROOT, 'src-main/common')), ...sources(join(ROOT, 'src-renderer/src'))].filter((f) => !f.endsWith(join('common', 'zod.ts')));
    const direct = files.filter((f) => /(?:^|[\s;])import\s+(?!type\s)[^'"]*?from\s+['"]zod(?:\/[^'"]*)?['"]/m.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(direct).toEqual([]);
  });
});
