// The font every exported figure is set in: DejaVu Sans from the dejavu-fonts-ttf package, loaded
// from its files so that a PNG or PDF looks the same on every machine (and has λ, ±, −, ᵀ).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ExportError } from './errors';

export { FONT_FAMILY, FONT_STACK } from '../common/figures/figure';

export interface FontFiles {
  regular: string;
  bold: string;
}

let found: FontFiles | undefined;

/** Paths of DejaVu Sans and DejaVu Sans Bold; a clear error when the package is not installed. */
export function fontFiles(): FontFiles {
  if (found) return found;
  const require = createRequire(import.meta.url);
  const resolveFont = (file: string): string => {
    let path: string;
    try {
      path = require.resolve(`dejavu-fonts-ttf/ttf/${file}`);
    } catch {
      throw new ExportError(`font ${file} not found: the npm package dejavu-fonts-ttf is missing; run 'npm install' to export PNG or PDF`);
    }
    if (!existsSync(path)) throw new ExportError(`font ${path} is missing; reinstall the npm package dejavu-fonts-ttf`);
    return path;
  };
  found = { regular: resolveFont('DejaVuSans.ttf'), bold: resolveFont('DejaVuSans-Bold.ttf') };
  return found;
}
