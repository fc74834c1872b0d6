// The IDX folders imported into a workspace as datasets: what the loader found in them when they
// were imported (sizes, classes, image shape, hash), kept in the workspace's database.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from './workspace';

/** Where versions before the datasets table kept the list, beside the database. */
export const LEGACY_DATASET_LIST = 'imported-datasets.json';

export interface ImportedDataset {
  spec: string;
  name: string;
  path: string;
  trainN: number;
  testN: number;
  classes: number;
  imageShape: [number, number];
  sha256: string;
  source: string;
}

interface Row {
  spec: string;
  name: string;
  path: string;
  train_n: number;
  test_n: number;
  classes: number;
  image_rows: number;
  image_cols: number;
  sha256: string;
  source: string;
}

export function importedDatasets(ws: Workspace): ImportedDataset[] {
  const rows = ws.db.prepare(`SELECT * FROM datasets ORDER BY imported_at, spec`).all() as Row[];
  return rows.map((r) => ({ spec: r.spec, name: r.name, path: r.path, trainN: r.train_n, testN: r.test_n, classes: r.classes, imageShape: [r.image_rows, r.image_cols], sha256: r.sha256, source: r.source }));
}

/** Adds the dataset, or replaces what an earlier import of the same folder recorded. */
export function saveImportedDataset(ws: Workspace, d: ImportedDataset): void {
  ws.db
    .prepare(
      `INSERT OR REPLACE INTO datasets (spec, name, path, train_n, test_n, classes, image_rows, image_cols, sha256, source, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(d.spec, d.name, d.path, d.trainN, d.testN, d.classes, d.imageShape[0], d.imageShape[1], d.sha256, d.source, Date.now() / 1000);
}

/**
 * Moves a list of imported datasets kept in a file by earlier versions into the table, once; a list
 * that cannot be read is left where it is (it only remembered imports: runs keep their own specs).
 */
export function adoptLegacyDatasetList(ws: Workspace): number {
  const file = join(ws.dir, LEGACY_DATASET_LIST);
  if (!existsSync(file)) return 0;
  let list: ImportedDataset[];
  try {
    list = (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).filter(isImported);
  } catch {
    return 0;
  }
  ws.db.transaction(() => list.forEach((d) => saveImportedDataset(ws, d)))();
  rmSync(file, { force: true });
  return list.length;
}

function isImported(d: unknown): d is ImportedDataset {
  const o = d as Partial<ImportedDataset> | null;
  const nums = [o?.trainN, o?.testN, o?.classes, ...(Array.isArray(o?.imageShape) ? o.imageShape : [NaN, NaN])];
  return typeof o?.spec === 'string' && typeof o.name === 'string' && typeof o.path === 'string' && typeof o.sha256 === 'string' && typeof o.source === 'string' && nums.length === 5 && nums.every((n) => Number.isInteger(n));
}
