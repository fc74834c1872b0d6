// The datasets the UI offers: the bundled digits, Fashion-MNIST when installed (its sizes read
// from the labels files' headers, not the data), and IDX folders the user imported (checked by
// loading the folder exactly as training will, `idx:<dir>`, and recorded in the workspace's
// database), and whether a spec's data is here at all.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DatasetError, type Dataset, type DatasetShape } from '../engine/data/dataset';
import { DIGITS_SHAPE } from '../engine/data/digits';
import { findFashionMnist } from '../engine/data/fashion';
import { datasetShape, loadDataset } from '../engine/data/load';
import { datasetSpecText, parseDatasetSpec } from '../engine/data/spec';
import { importedDatasets, saveImportedDataset, type ImportedDataset } from '../store/datasets';
import type { Workspace } from '../store/workspace';
import { ApiError, type DatasetInfo } from '../common/contract';

const imported = (s: ImportedDataset): DatasetInfo => ({ ...s, kind: 'imported' });

/** Why the data a spec names is not here (not installed, no such folder), or null when it is. */
export function missingData(spec: string): string | null {
  const parsed = parseDatasetSpec(spec);
  if (!parsed.ok) return `dataset ${parsed.error}`;
  const d = parsed.value;
  if (d.kind === 'fashion-mnist' && !findFashionMnist()) return 'dataset fashion-mnist is not installed here (see datasets.list)';
  if (d.kind === 'idx' && !(existsSync(d.dir) && statSync(d.dir).isDirectory())) return `dataset ${spec}: ${d.dir} is not a folder here`;
  return null;
}

export function listDatasets(ws: Workspace): DatasetInfo[] {
  const out: DatasetInfo[] = [
    {
      spec: 'digits',
      name: 'MNIST digits (bundled)',
      kind: 'bundled',
      path: null,
      trainN: DIGITS_SHAPE.train,
      testN: DIGITS_SHAPE.test,
      classes: 10,
      imageShape: [28, 28],
      sha256: null,
      source: '10,000 MNIST digits shipped with the mnist package',
    },
  ];
  const fashion = findFashionMnist();
  if (fashion) {
    const shape = shapeOf('fashion-mnist');
    out.push({ spec: 'fashion-mnist', name: 'Fashion-MNIST', kind: 'system', path: fashion, trainN: shape?.train ?? null, testN: shape?.test ?? null, classes: 10, imageShape: [28, 28], sha256: null, source: `Fashion-MNIST IDX files in ${fashion}` });
  }
  const list = importedDatasets(ws);
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

/** The idx: specs this workspace knows: imported, or trained on by one of its runs (a folder once chosen by a host). */
export function knownDatasets(ws: Workspace): Set<string> {
  const used = ws.db.prepare(`SELECT DISTINCT dataset FROM runs WHERE dataset LIKE 'idx:%'`).pluck().all() as string[];
  return new Set([...importedDatasets(ws).map((d) => d.spec), ...used]);
}

/** A dataset's sizes from its files' headers alone, or null when they cannot be read (training then says why). */
function shapeOf(spec: string): DatasetShape | null {
  try {
    return datasetShape(spec);
  } catch {
    return null;
  }
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
  const entry: ImportedDataset = {
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
  saveImportedDataset(ws, entry);
  return imported(entry);
}
