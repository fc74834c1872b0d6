// The one error type of exporting, defined with the figures (which refuse an unknown class with it)
// so that everything that exports throws and catches the same class.
export { ExportError } from '../common/figures/errors';
import { ExportError } from '../common/figures/errors';

/** The output folder is there already and not empty, or is not a folder: choose another. */
export class OutputFolderError extends ExportError {
  override name = 'OutputFolderError';
}

/** The files could not be written (no space, no permission, a read-only disk); nothing was left. */
export class ExportWriteError extends ExportError {
  override name = 'ExportWriteError';
}
