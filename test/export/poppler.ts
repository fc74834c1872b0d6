// poppler-utils (pdfinfo, pdftotext, pdffonts, pdftoppm) to read the PDFs the exporter writes.
// Where it is missing, the PDF checks skip, except under REQUIRE_BROWSER=1 (CI), where they fail.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const HAVE_POPPLER = (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, 'pdfinfo')));
export const CHECK_PDF = HAVE_POPPLER || process.env.REQUIRE_BROWSER === '1';

export function requirePoppler(): void {
  if (!HAVE_POPPLER) throw new Error('pdfinfo not found: install poppler-utils (apt-get install poppler-utils); REQUIRE_BROWSER=1 makes its absence a failure');
}

export function poppler(tool: 'pdfinfo' | 'pdftotext' | 'pdffonts' | 'pdftoppm', args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** pdfinfo's "Key: value" lines as a record, with every information entry (-custom) among them. */
export function pdfInfo(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const args of [[file], ['-custom', file]]) {
    for (const line of poppler('pdfinfo', args).split('\n')) {
      const m = /^([^:]+):\s*(.*)$/.exec(line);
      if (m) out[m[1].trim()] = m[2];
    }
  }
  return out;
}
