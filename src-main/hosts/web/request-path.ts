// Only canonical request paths are routed. A URL parser resolves `/api/runs.list/../settings.set`
// to another method and `/x/%2e%2e/` to a parent folder; rather than guess what such a path meant,
// the host refuses it (400) before looking at it: no dot segments, no encoded slash, backslash, dot
// or NUL, no empty segment (`//`), no trailing slash but the root's.

/** Why the request target's path is not canonical, or null when it is. */
export function nonCanonicalPath(target: string): string | null {
  const path = target.split(/[?#]/, 1)[0];
  if (!path.startsWith('/')) return 'the path must start with /';
  if (path === '/') return null;
  if (/%(2f|5c|2e|00)/i.test(path)) return 'the path holds an encoded slash, backslash, dot or NUL';
  if (/%(?![0-9a-f]{2})/i.test(path)) return 'the path holds a malformed %-escape';
  if (path.includes('\\')) return 'the path holds a backslash';
  if (path.endsWith('/')) return 'the path ends with a slash';
  const segments = path.slice(1).split('/');
  if (segments.includes('')) return 'the path holds an empty segment (//)';
  if (segments.some((s) => s === '.' || s === '..')) return 'the path holds a . or .. segment';
  return null;
}
