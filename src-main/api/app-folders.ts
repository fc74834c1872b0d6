// Where the app's own files are, for the hosts: the built renderer that the web host serves.
import { join } from 'node:path';
import { APP_ROOT } from '../engine/util/app-files';

/** The built renderer (out/renderer), or the folder $SQS_WORKBENCH_RENDERER names. */
export function rendererDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SQS_WORKBENCH_RENDERER || join(APP_ROOT, 'out/renderer');
}
