// The one error type of exporting: a bad request (format, class, folder) or a file that cannot be
// written, each with a message a user can act on.
export class ExportError extends Error {
  override name = 'ExportError';
}
