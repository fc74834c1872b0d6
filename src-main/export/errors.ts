// The one error type of exporting, defined with the figures (which refuse an unknown class with it)
// so that everything that exports throws and catches the same class.
export { ExportError } from '../shared/figures/errors';
