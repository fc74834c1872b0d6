// Why a file is not JSON, said without its contents. V8's own messages quote the text around the
// fault ("Unexpected token 'r', "root:x:0:0"... is not valid JSON"), and a file read from a path
// someone else named may not be what its name says: the message names the place, not the bytes.

/** Where JSON.parse gave up on `text`: "at line 3, column 7", "it ends too early", or null when it did not say. */
export function jsonFaultPlace(text: string, e: unknown): string | null {
  const message = e instanceof Error ? e.message : '';
  if (/Unexpected end of JSON input/.test(message)) return 'it ends too early';
  const at = /\bat position (\d+)/.exec(message);
  if (!at) return null;
  const position = Math.min(Number(at[1]), text.length);
  const before = text.slice(0, position);
  return `at line ${before.split('\n').length}, column ${position - before.lastIndexOf('\n')}`;
}

/** `text` parsed, or "not valid JSON (at line 3, column 7)" saying where, never what. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const place = jsonFaultPlace(text, e);
    return { ok: false, problem: `not valid JSON${place ? ` (${place})` : ''}` };
  }
}
