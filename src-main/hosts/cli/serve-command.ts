// `sqs-workbench serve [--port 0] [--workspace DIR] [--data-root DIR]…`: the web host until SIGINT or SIGTERM.
// Prints exactly one line (the URL with its token) so scripts and tests can read it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rendererDir } from '../../api/app-folders';
import { startWebHost } from '../web/server';
import { resolveWorkspaceDir } from '../../api/workspace-dir';
import { quote } from '../../common/rules';
import { folderFlag, integerFlag, parseFlags, UsageError } from './usage';

export const SERVE_HELP = `usage: sqs-workbench serve [--port 0] [--workspace DIR] [--data-root DIR]…
Serves the workbench UI and its API on 127.0.0.1 (never other interfaces) with a random token.
  --port N         TCP port, 0 to 65535 (0: any free port); default 0
  --workspace DIR  workspace folder (default: $SQS_WORKBENCH_HOME, else the user-data folder);
                   the page cannot switch it: restart serve with another --workspace
  --data-root DIR  a folder under which the page may import IDX datasets and run folders (links
                   resolved first); repeatable; without it, the page may import no folder
Ctrl-C stops it; runs still training stop at a step boundary and can be resumed.
It serves the renderer that \`npm run build\` writes into out/renderer (a package ships it), or
the one built into $SQS_WORKBENCH_RENDERER.
`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('serve', argv, {
    port: { type: 'string' },
    workspace: { type: 'string' },
    'data-root': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`serve: unexpected argument ${quote(positionals[0])}: serve takes only flags (see --help)`);
  const port = integerFlag('port', values.port, 0, 0, 65535);
  const workspace = folderFlag('workspace', values.workspace);
  const dataRoots = ((values['data-root'] as string[] | undefined) ?? []).map((d) => resolve(folderFlag('data-root', d)!));

  // refused before any URL is printed: a page that only says it is missing helps nobody
  const staticDir = rendererDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    process.stderr.write(`serve: the renderer is not built (no ${join(staticDir, 'index.html')}): run npm run build first\n`);
    return 1;
  }

  const host = await startWebHost({ port, workspaceDir: resolveWorkspaceDir(workspace), staticDir, dataRoots });
  process.stdout.write(`Workbench at ${host.url}?token=${host.token}\n`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await host.close();
  return 0;
}
