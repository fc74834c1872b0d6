// Bringing a run folder into the workspace. A folder trained elsewhere (`train --out`, another
// machine) is checked as a run folder and copied (the original stays where it is) into
// runs/<id>/. A folder already under runs/ that the database does not know (a restored or lost
// workspace.db) is registered where it lies: runs/12 as run 12 when that id is free, any other
// name moved to runs/<id>. Either way its config, final status, metrics and files are recorded as
// if it had trained here.
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readRunConfig } from '../engine/train/run';
import { readMetrics, readSummary, RUN_FILES } from '../engine/train/run-files';
import type { RunConfig } from '../engine/train/lm-config';
import { checkTrainConfig } from '../common/train-config';
import { recordArtifacts } from './artifacts';
import { createRun, recordMetrics, type RunStatus } from './runs';
import { folderRunId, runsRoot } from './runs-folder';
import type { Workspace } from './workspace';

/** A folder that cannot be imported, and why; nothing was changed. */
export class RunImportError extends Error {
  override name = 'RunImportError';
}

export interface ImportOptions {
  name?: string;
  tags?: readonly string[];
}

/** Where the folder lies: elsewhere (copied in) or directly under runs/ (registered in place). */
function placeOf(ws: Workspace, src: string): { inPlace: false } | { inPlace: true; id: number | null } {
  const inside = relative(runsRoot(ws), src);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return { inPlace: false };
  if (inside === '' || inside.includes(sep)) throw new RunImportError(`${src} is not a run folder of ${runsRoot(ws)} (import one of the folders in it)`);
  if (inside.startsWith('.')) throw new RunImportError(`${src} is a folder the workspace keeps while it deletes or imports a run; it cannot be imported`);
  const id = folderRunId(inside);
  if (id !== null && ws.db.prepare(`SELECT 1 FROM runs WHERE id = ?`).get(id) !== undefined) throw new RunImportError(`${src} is already run ${id} of this workspace`);
  return { inPlace: true, id };
}

export function importRun(ws: Workspace, folder: string, o: ImportOptions = {}): number {
  const src = resolve(folder);
  if (!existsSync(src) || !statSync(src).isDirectory()) throw new RunImportError(`${src} is not a folder`);
  const place = placeOf(ws, src);
  let config: RunConfig;
  try {
    config = readRunConfig(src, checkTrainConfig);
  } catch (e) {
    throw new RunImportError(`${(e as Error).message} (a run folder holds the config.json, weights and run.json that 'train --out' writes)`);
  }
  if (!existsSync(join(src, RUN_FILES.weights))) throw new RunImportError(`${src} has no ${RUN_FILES.weights}: it never finished an epoch, so there is nothing to import`);
  const summary = readSummary(src);
  // a folder whose training is not running here was interrupted, whatever its run.json last said
  const status: RunStatus = summary && summary.status !== 'running' ? summary.status : 'interrupted';
  const recorded = JSON.parse(readFileSync(join(src, RUN_FILES.config), 'utf8')) as { dataset_sha256?: unknown };

  // a copy is made aside first: the run appears in runs/ whole or not at all
  const staging = place.inPlace ? null : join(runsRoot(ws), `.importing-${process.pid}-${Date.now()}`);
  if (staging) cpSync(src, staging, { recursive: true });
  try {
    const id = ws.db.transaction(() => {
      const runId = createRun(ws, { config, name: o.name, tags: o.tags, ...(place.inPlace && place.id !== null ? { id: place.id } : {}) });
      const target = ws.runDir(runId);
      if (target !== src && existsSync(target) && readdirSync(target).length > 0) throw new RunImportError(`${target} already holds files that the workspace does not know; import refused, nothing changed`);
      ws.db
        .prepare(`UPDATE runs SET status = ?, started_at = created_at, ended_at = created_at, dataset_sha256 = ?, execution_provider = ?, pid = NULL WHERE id = ?`)
        .run(status, typeof recorded.dataset_sha256 === 'string' ? recorded.dataset_sha256 : null, summary?.execution_provider ?? config.ep, runId);
      recordMetrics(ws, runId, readMetrics(src, Number.POSITIVE_INFINITY));
      if (target !== src) {
        rmSync(target, { recursive: true, force: true });
        renameSync(staging ?? src, target);
      }
      return runId;
    }).immediate();
    recordArtifacts(ws, id, ws.runDir(id));
    return id;
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}
