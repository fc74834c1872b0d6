// Fashion-MNIST's sizes in datasets.list, read from the IDX files' headers (raw or gzipped) without
// loading the data, checked against the fixtures' known counts and, where the real data is
// installed, against its published 60,000 / 10,000; a broken file gives no size.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listDatasets } from '../../src-main/api/datasets';
import { DEBIAN_FASHION_DIR, findFashionMnist } from '../../src-main/engine/data/fashion';
import { IDX_FILES } from '../../src-main/engine/data/idx-folder';
import { Workspace } from '../../src-main/store/workspace';
import { tempDir, writeIdxFolder } from '../engine/data/idx-fixtures';

const saved = process.env.SQS_DATA;
afterEach(() => {
  if (saved === undefined) delete process.env.SQS_DATA;
  else process.env.SQS_DATA = saved;
});

describe('Fashion-MNIST sizes', () => {
  it.each([false, true])('come from the labels headers (gzipped: %s)', (gzip) => {
    const data = tempDir();
    mkdirSync(join(data, 'fashion-mnist'));
    writeIdxFolder({ dir: join(data, 'fashion-mnist'), gzip, trainN: 23, testN: 7 });
    process.env.SQS_DATA = data;
    const ws = Workspace.open(tempDir());
    try {
      const fashion = listDatasets(ws).find((d) => d.spec === 'fashion-mnist');
      expect(fashion).toMatchObject({ trainN: 23, testN: 7, path: join(data, 'fashion-mnist') });
    } finally {
      ws.close();
    }
  });

  it('are unknown, not wrong, for a labels file that is not IDX labels', () => {
    const data = tempDir();
    const dir = join(data, 'fashion-mnist');
    mkdirSync(dir);
    writeIdxFolder({ dir, trainN: 23, testN: 7 });
    writeFileSync(join(dir, IDX_FILES.trainLabels), Buffer.from([0, 0, 8, 3, 0, 0, 0, 9])); // an images magic
    process.env.SQS_DATA = data;
    const ws = Workspace.open(tempDir());
    try {
      expect(listDatasets(ws).find((d) => d.spec === 'fashion-mnist')).toMatchObject({ trainN: null, testN: null });
    } finally {
      ws.close();
    }
  });

  it.skipIf(findFashionMnist() !== DEBIAN_FASHION_DIR)('are 60,000 and 10,000 for the installed data set', () => {
    delete process.env.SQS_DATA;
    const ws = Workspace.open(tempDir());
    try {
      expect(listDatasets(ws).find((d) => d.spec === 'fashion-mnist')).toMatchObject({ trainN: 60_000, testN: 10_000 });
    } finally {
      ws.close();
    }
  });
});
