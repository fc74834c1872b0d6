// A small well-formedness check for the SVG the exporter writes: balanced tags, quoted attributes,
// no stray '<' or unescaped '&'. Returns the problems found, none for a well-formed document.
export function xmlProblems(doc: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  let i = 0;
  let roots = 0;
  while (i < doc.length) {
    const ch = doc[i];
    if (ch === '<') {
      tag.lastIndex = i;
      const m = tag.exec(doc);
      if (!m) return [...problems, `malformed tag at ${i}: ${doc.slice(i, i + 40)}`];
      const [all, close, name, , selfClose] = m;
      if (close) {
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open}> at ${i}`);
      } else if (!selfClose) {
        if (stack.length === 0) roots++;
        stack.push(name);
      } else if (stack.length === 0) roots++;
      i += all.length;
    } else if (ch === '&') {
      entity.lastIndex = i;
      const m = entity.exec(doc);
      if (!m) problems.push(`unescaped '&' at ${i}`);
      i += m ? m[0].length : 1;
    } else {
      if (stack.length === 0 && ch.trim() !== '') problems.push(`text outside the root at ${i}`);
      i++;
    }
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** The JSON inside <metadata><provenance>…</provenance></metadata>, unescaped. */
export function provenanceOf(svg: string): Record<string, unknown> {
  const m = /<metadata><provenance xmlns="urn:sqs-workbench:provenance">([^<]*)<\/provenance><\/metadata>/.exec(svg);
  if (!m) throw new Error('no provenance metadata');
  const text = m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return JSON.parse(text);
}
