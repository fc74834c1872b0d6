// Which workspace a host opens when the user names none: one rule for the CLI, the web host and
// the desktop app.
import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';

/** --workspace DIR, else $SQS_WORKBENCH_HOME, else the platform's user-data folder. */
export function resolveWorkspaceDir(flag?: string | null, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.SQS_WORKBENCH_HOME) return resolve(env.SQS_WORKBENCH_HOME);
  const home = homedir();
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'sqs-workbench');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'sqs-workbench');
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'sqs-workbench');
  }
}
