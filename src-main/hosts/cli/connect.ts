// The command line's door to the workspace: the api service, opened on the workspace that
// --workspace, $SQS_WORKBENCH_HOME or the user-data folder names, and closed when the command
// ends. Ctrl-C, SIGTERM and SIGHUP stop training at a step boundary (runs end interrupted, and
// resumable); the command then reports what was done.
import type { Service } from '../../api/service';
import { resolveWorkspaceDir } from '../../api/workspace-dir';

export interface ConnectOptions {
  /** the --workspace flag */
  workspace?: string;
  /** false: a folder without a workspace is an error, not a new workspace (commands that only read or edit) */
  create?: boolean;
  /** runs trained at once */
  concurrency?: number;
  /** the command only reads: a workspace that cannot be written opens read-only */
  readonly?: boolean;
}

export interface Connected {
  service: Service;
  /** true once a stop signal arrived */
  interrupted: () => boolean;
}

export async function withService<T>(o: ConnectOptions, use: (c: Connected) => Promise<T>): Promise<T> {
  // loaded here, not when the command's module is: --help and bad flags never open a workspace
  const { createService } = await import('../../api/service');
  // the paths a command names (runs import DIR, --dataset idx:DIR) are its person's to name
  const service = createService({ workspaceDir: resolveWorkspaceDir(o.workspace), create: o.create ?? true, concurrency: o.concurrency, readonly: o.readonly, dataRoots: 'any' });
  let stopped = false;
  const stop = () => {
    stopped = true;
    void service.stop();
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, stop);
  try {
    return await use({ service, interrupted: () => stopped });
  } finally {
    for (const s of signals) process.off(s, stop);
    await service.close();
  }
}

/** An AbortSignal that Ctrl-C, SIGTERM or SIGHUP abort, for work outside the workspace. */
export async function withStopSignal<T>(use: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, stop);
  try {
    return await use(abort.signal);
  } finally {
    for (const s of signals) process.off(s, stop);
  }
}
