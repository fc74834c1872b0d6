// The atlas as one download: the self-contained HTML page as it is, or every figure in one zip,
// inside a folder named like the zip (unpacking never spills files beside it). PNG and PDF are
// compressed already and are stored as they are; SVG text is deflated.
import { zipSync, type Zippable } from 'fflate';
import type { AtlasExportFormat } from '../common/formats';
import type { AtlasFiles } from './atlas';

export interface AtlasFile {
  filename: string;
  mime: 'text/html' | 'application/zip';
  bytes: Uint8Array;
  /** what it holds: the page's name, or the zip's entries (folder/name) */
  files: string[];
}

/** `name`: the run, as in file names (run-12); the file is run-12-atlas.html or run-12-atlas-svg.zip. */
export function atlasFile(files: AtlasFiles, format: AtlasExportFormat, name: string): AtlasFile {
  const bytes = (data: Uint8Array | string) => (typeof data === 'string' ? new TextEncoder().encode(data) : data);
  if (format === 'html') {
    const page = files.get('atlas.html');
    if (page === undefined) throw new Error('the HTML atlas has no page'); // renderAtlas always writes it
    return { filename: `${name}-atlas.html`, mime: 'text/html', bytes: bytes(page), files: [`${name}-atlas.html`] };
  }
  const folder = `${name}-atlas-${format}`;
  const entries: Zippable = {};
  for (const [file, data] of files) entries[`${folder}/${file}`] = [bytes(data), { level: format === 'svg' ? 6 : 0 }];
  return { filename: `${folder}.zip`, mime: 'application/zip', bytes: zipSync(entries, { mtime: new Date() }), files: Object.keys(entries) };
}
