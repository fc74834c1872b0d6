// Where the Electron app keeps its workspace: `--workspace DIR` (or `--workspace=DIR`) on its
// command line, else $SQS_WORKBENCH_HOME, else the user-data folder: the CLI's rules, so the
// app and `sqs-workbench` share one workspace.
import { resolveWorkspaceDir } from '../../api/workspace-dir';

export function workspaceFromArgv(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  let flag: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--workspace' && i + 1 < argv.length) flag = argv[++i];
    else if (a.startsWith('--workspace=')) flag = a.slice('--workspace='.length);
  }
  return resolveWorkspaceDir(flag && flag.trim() !== '' ? flag : null, env);
}
