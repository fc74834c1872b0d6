// SVG markup as a list of tokens (each element with its attributes sorted, each run of text), so
// that two writers' output can be compared mark for mark: Svelte's hydration comments and scoped
// classes, self-closing versus empty elements, and entity spelling do not count.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|#(\d+));/g, (_, name: string, code?: string) => (code ? String.fromCharCode(Number(code)) : ENTITIES[name]));

export function svgTokens(markup: string, skipAttributes: readonly string[] = []): string[] {
  const html = markup.replace(/<!--[^]*?-->/g, '');
  const out: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*(\/?)>/g;
  let last = 0;
  for (const m of html.matchAll(tag)) {
    const between = unescape(html.slice(last, m.index)).trim();
    if (between) out.push(`text ${between}`);
    last = m.index + m[0].length;
    const [, close, name, rawAttrs, selfClose] = m;
    if (close) {
      out.push(`</${name}>`);
      continue;
    }
    const attrs = [...rawAttrs.matchAll(/([\w:-]+)(?:="([^"]*)")?/g)]
      .map(([, k, v]) => [k, unescape(v ?? '')] as const)
      .map(([k, v]) => (k === 'class' ? [k, v.split(/\s+/).filter((c) => c && !c.startsWith('svelte-')).join(' ')] : [k, v]))
      .filter(([k, v]) => !skipAttributes.includes(k) && !(k === 'class' && v === ''))
      .map(([k, v]) => `${k}="${v}"`)
      .sort();
    out.push(`<${name} ${attrs.join(' ')}>`.replace(' >', '>'));
    if (selfClose) out.push(`</${name}>`);
  }
  return out;
}

/** The tokens inside the root <svg>, its <metadata> left out (the screen carries no provenance). */
export function svgBody(markup: string, skipAttributes: readonly string[] = []): string[] {
  const tokens = svgTokens(markup, skipAttributes);
  const start = tokens.findIndex((t) => t.startsWith('<svg'));
  const end = tokens.lastIndexOf('</svg>');
  const body = tokens.slice(start + 1, end);
  const meta = body.indexOf('<metadata>');
  if (meta >= 0) body.splice(meta, body.indexOf('</metadata>') - meta + 1);
  return body;
}
