// A written file named relative to the folder it was written into, so a list of exported files
// shows the folder once and each file by its own name, whatever the server's path separator.

/** `file` relative to `dir` when it lies inside it (either separator), else `file` unchanged. */
export function relativeTo(dir: string, file: string): string {
  const base = dir.replace(/[\\/]+$/, '');
  if (base === '' || !file.startsWith(base)) return file;
  const rest = file.slice(base.length);
  return /^[\\/]/.test(rest) && rest.length > 1 ? rest.replace(/^[\\/]+/, '') : file;
}
