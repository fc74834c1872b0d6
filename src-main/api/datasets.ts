// The datasets the UI offers: the bundled digits, Fashion-MNIST when installed, and IDX folders
// the user imported. An import is checked by loading the folder exactly as training will
// (`idx:<dir>`), and remembered in the workspace folder so it survives a restart.
// (A `datasets` table in the workspace schema would be the better home; see the report.)
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DatasetError, type Dataset } from '../engine/data/dataset';
import { DIGITS_TEST_SIZE } from '../engine/data/digits';
import { findFashionMnist } from '../engine/data/fashion';
import { loadDataset } from '../engine/data/load';
import { datasetSpecText, parseDatasetSpec } from '../engine/data/spec';
import type { Workspace } from '../store/workspace';
import { ApiError, type DatasetInfo } from '../shared/contract';

const FILE = 'imported-datasets.json';

const Stored = z.array(
  z.object({
    spec: z.string(),
    name: z.string(),
    path: z.string(),
    trainN: z.number(),
    testN: z.number(),
    classes: z.number(),
    imageShape: z.tuple([z.number(), z.number()]),
    sha256: z.string(),
    source: z.string(),
  }),
);
type StoredDataset = z.infer<typeof Stored>[number];

function readImported(ws: Workspace): StoredDataset[] {
  const file = join(ws.dir, FILE);
  if (!existsSync(file)) return [];
  try {
    return Stored.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // a damaged list only loses the remembered imports; runs keep their own dataset specs
    return [];
  }
}

function writeImported(ws: Workspace, list: StoredDataset[]): void {
  const file = join(ws.dir, FILE);
  writeFileSync(file + '.tmp', JSON.stringify(list, null, 2) + '\n');
  renameSync(file + '.tmp', file); // atomic: a crash never leaves half a list
}

const imported = (s: StoredDataset): DatasetInfo => ({ ...s, kind: 'imported' });

export function listDatasets(ws: Workspace): DatasetInfo[] {
  const out: DatasetInfo[] = [
    {
      spec: 'digits',
      name: 'MNIST digits (bundled)',
      kind: 'bundled',
      path: null,
      trainN: 10_000 - DIGITS_TEST_SIZE,
      testN: DIGITS_TEST_SIZE,
      classes: 10,
      imageShape: [28, 28],
      sha256: null,
      source: '10,000 MNIST digits shipped with the mnist package',
    },
  ];
  const fashion = findFashionMnist();
  if (fashion) {
    out.push({ spec: 'fashion-mnist', name: 'Fashion-MNIST', kind: 'system', path: fashion, trainN: null, testN: null, classes: 10, imageShape: [28, 28], sha256: null, source: `Fashion-MNIST IDX files in ${fashion}` });
  }
  const list = readImported(ws);
  out.push(...list.map(imported));
  // folders that runs were trained on but that were never imported here (e.g. from the CLI)
  const known = new Set(list.map((d) => d.spec));
  const used = ws.db.prepare(`SELECT DISTINCT dataset FROM runs WHERE dataset LIKE 'idx:%' ORDER BY dataset`).pluck().all() as string[];
  for (const spec of used.filter((s) => !known.has(s))) {
    const parsed = parseDatasetSpec(spec);
    if (!parsed.ok || parsed.value.kind !== 'idx') continue;
    const path = parsed.value.dir;
    out.push({ spec, name: path, kind: 'imported', path, trainN: null, testN: null, classes: null, imageShape: null, sha256: null, source: `IDX files in ${path} (used by runs)` });
  }
  return out;
}

/** Loads `path` as IDX files; refuses with the reader's reason, else remembers and describes it. */
export function importDataset(ws: Workspace, path: string, name?: string): DatasetInfo {
  const dir = resolve(path);
  const spec = datasetSpecText({ kind: 'idx', dir });
  let data: Dataset;
  try {
    data = loadDataset(spec);
  } catch (e) {
    if (e instanceof DatasetError) throw new ApiError('bad_request', `${dir} cannot be imported: ${e.message}`);
    throw e;
  }
  const entry: StoredDataset = {
    spec,
    name: name ?? dir.split(/[\\/]/).filter(Boolean).at(-1) ?? dir,
    path: dir,
    trainN: data.train.n,
    testN: data.test.n,
    classes: data.classes,
    imageShape: data.imageShape,
    sha256: data.sha256,
    source: data.source,
  };
  writeImported(ws, [...readImported(ws).filter((d) => d.spec !== spec), entry]);
  return imported(entry);
}
