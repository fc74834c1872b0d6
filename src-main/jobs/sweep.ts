// A sweep: one queued run per combination of a grid, created in one transaction so that a
// sweep is either wholly in the workspace or not at all.
import type { RunConfig } from '../engine/train/lm-config';
import { createRun } from '../store/runs';
import type { Workspace } from '../store/workspace';

export interface GridAxis<V = string> {
  key: string;
  values: readonly V[];
}

/** Every combination of the axes' values, first axis slowest. */
export function expandGrid<V>(axes: readonly GridAxis<V>[]): Record<string, V>[] {
  return axes.reduce<Record<string, V>[]>((combos, axis) => combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.key]: v }))), [{}]);
}

export function createSweep(ws: Workspace, s: { name: string; axes: readonly GridAxis[]; base: RunConfig; configs: readonly RunConfig[]; tags?: readonly string[]; owned?: boolean }): { sweepId: number; runIds: number[] } {
  return ws.db.transaction(() => {
    const grid = Object.fromEntries(s.axes.map((a) => [a.key, a.values]));
    const sweep = ws.db.prepare(`INSERT INTO sweeps (name, grid, base_config, created_at) VALUES (?, ?, ?, ?)`).run(s.name, JSON.stringify(grid), JSON.stringify(s.base), Date.now() / 1000);
    const sweepId = Number(sweep.lastInsertRowid);
    const runIds = s.configs.map((config) => createRun(ws, { config, sweepId, tags: s.tags, owned: s.owned }));
    return { sweepId, runIds };
  }).immediate();
}
