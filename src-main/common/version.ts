// The app's version, from package.json at build time: no file is read at run time, so the
// renderer and every bundle carry the same string.
import { version } from '../../package.json';

export const APP_VERSION: string = version;
