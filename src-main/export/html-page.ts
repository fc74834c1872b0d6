// The head every self-contained HTML page we write shares: a policy that forbids any network
// request, its own CSS, and JSON data blocks (provenance first) that sit safely inside <script>.
import { escapeXml as e } from './svg';

/** JSON that can sit inside a <script> element. */
export function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** `<!doctype html>` through `</head>`, with each data block as `<script type="application/json" id=…>`. */
export function pageHead(title: string, css: string, data: Readonly<Record<string, unknown>>): string {
  const blocks = Object.entries(data).map(([id, value]) => `<script type="application/json" id="${id}">${scriptJson(value)}</script>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(title)}</title>`,
    `<style>${css}</style>`,
    ...blocks,
    '</head>',
  ].join('\n');
}
