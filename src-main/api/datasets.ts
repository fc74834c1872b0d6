// The datasets the UI offers: the bundled digits, Fashion-MNIST when installed (its sizes read
// from the labels files' headers, not the data), and IDX folders the user imported (checked by
// loading the folder exactly as training will, `idx:<dir>`, and recorded in the workspace's
// database), and whether a spec's data is here at all.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DatasetError, type Dataset } from '../engine/data/dataset';
import { DIGITS_TEST_SIZE } from '../engine/data/digits';
import { findFashionMnist } from '../engine/data/fashion';
import { IDX_LABELS_MAGIC, isGzip, readIdxFile } from '../engine/data/idx';
import { findIdxFile, IDX_FILES } from '../engine/data/idx-folder';
import { loadDataset } from '../engine/data/load';
import { datasetSpecText, parseDatasetSpec } from '../engine/data/spec';
import { importedDatasets, saveImportedDataset, type ImportedDataset } from '../store/datasets';
import type { Workspace } from '../store/workspace';
import { ApiError, type DatasetInfo } from '../shared/contract';

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
    const count = (file: string) => idxLabelCount(fashion, file);
    out.push({ spec: 'fashion-mnist', name: 'Fashion-MNIST', kind: 'system', path: fashion, trainN: count(IDX_FILES.trainLabels), testN: count(IDX_FILES.testLabels), classes: 10, imageShape: [28, 28], sha256: null, source: `Fashion-MNIST IDX files in ${fashion}` });
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

/**
 * How many labels an IDX labels file holds, from its 8-byte header (magic 0x00000801, then the
 * count, big-endian); a gzipped file is inflated (labels files are small). Null when the file is
 * missing or is not an IDX labels file: training will then say what is wrong with it.
 */
export function idxLabelCount(dir: string, base: string): number | null {
  try {
    const file = findIdxFile(dir, base);
    const head = Buffer.alloc(8);
    const fd = openSync(file, 'r');
    let got: number;
    try {
      got = readSync(fd, head, 0, 8, 0);
    } finally {
      closeSync(fd);
    }
    const bytes = isGzip(head) ? readIdxFile(file) : head.subarray(0, got);
    if (bytes.length < 8) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
    return view.getUint32(0, false) === IDX_LABELS_MAGIC ? view.getUint32(4, false) : null;
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
