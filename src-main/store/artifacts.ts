// The files of a run folder that the workspace indexes (kind, size, sha256), so that `runs show`
// lists them and a copied workspace can be checked.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '../engine/train/run-files';
import type { Workspace } from './workspace';

const KINDS: Record<string, string> = {
  [RUN_FILES.weights]: 'weights',
  [RUN_FILES.checkpoint]: 'checkpoint',
  [RUN_FILES.model]: 'model',
  [RUN_FILES.config]: 'config',
  [RUN_FILES.metrics]: 'metrics',
  [RUN_FILES.status]: 'status',
};

export function recordArtifacts(ws: Workspace, id: number, dir: string): void {
  const upsert = ws.db.prepare(`INSERT OR REPLACE INTO artifacts (run_id, path, kind, sha256, bytes) VALUES (?, ?, ?, ?, ?)`);
  const rows = Object.keys(KINDS)
    .filter((f) => existsSync(join(dir, f)))
    .map((f) => [id, f, KINDS[f], createHash('sha256').update(readFileSync(join(dir, f))).digest('hex'), statSync(join(dir, f)).size] as const);
  ws.db.transaction(() => rows.forEach((r) => upsert.run(...r)))();
}
