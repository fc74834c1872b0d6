// A run named on the command line: a run folder, or a run id of the workspace. A word of digits
// is an id unless a folder of that name is here (and it is always an id with --workspace).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Service } from '../../api/service';
import { ApiError } from '../../common/contract';
import { runIdArg } from './usage';

export type RunRef = { id: number } | { dir: string };

export function runRef(arg: string, workspaceFlag: string | undefined): RunRef {
  const isId = /^\d+$/.test(arg) && (workspaceFlag !== undefined || !existsSync(resolve(arg)));
  return isId ? { id: runIdArg(arg) } : { dir: resolve(arg) };
}

/** The run's folder: as given, or the workspace's folder of that run id. */
export async function runDirOf(ref: RunRef, service: Service): Promise<string> {
  return 'dir' in ref ? ref.dir : (await service.call('runs.show', { id: ref.id })).dir;
}

export interface AnalysisRequest {
  topK?: number;
  layer?: number;
  masks?: number;
  /** analyse again even when the run has an analysis */
  redo?: boolean;
}

/**
 * Analyses a workspace run through the service (in its worker thread, recorded in the workspace)
 * and resolves once the analysis is saved; true when it analysed, false when one was there already.
 */
export async function analyzeInWorkspace(service: Service, id: number, req: AnalysisRequest = {}, onStage?: (stage: string, fraction: number) => void): Promise<boolean> {
  let settle: { ok: () => void; fail: (e: Error) => void } | null = null;
  const ended = new Promise<void>((ok, fail) => (settle = { ok, fail }));
  const off = service.on((e) => {
    if (e.type !== 'analysis' || e.runId !== id) return;
    if (e.state === 'analyzing') onStage?.(e.stage, e.fraction);
    else if (e.state === 'ready') settle!.ok();
    else settle!.fail(new ApiError('conflict', `run ${id} could not be analysed: ${e.error ?? 'the analysis stopped'}`));
  });
  try {
    const status = await service.call('atlas.analyze', { id, ...req });
    if (status.state === 'ready') return false;
    await ended;
    return true;
  } finally {
    off();
  }
}
