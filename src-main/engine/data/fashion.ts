// Fashion-MNIST is too big to bundle; it comes from Debian's `dataset-fashion-mnist` package
// or from a folder the user points SQS_DATA at.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError, type Dataset, type DatasetShape, type Split } from './dataset';
import { idxFolderShape, loadIdxFolder, loadIdxTestSplit } from './idx-folder';

export const DEBIAN_FASHION_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's labels 0 … 9, as its authors name them. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/** Where to look, in order: $SQS_DATA/fashion-mnist (when set), then Debian's install path. */
export function fashionMnistCandidates(): string[] {
  const dirs: string[] = [];
  const data = process.env.SQS_DATA;
  if (data) dirs.push(join(data, 'fashion-mnist'));
  dirs.push(DEBIAN_FASHION_DIR);
  return dirs;
}

/** The first candidate folder that exists; a broken one then fails loudly in the reader rather than being skipped. */
export function findFashionMnist(): string | null {
  for (const dir of fashionMnistCandidates()) {
    if (existsSync(dir) && statSync(dir).isDirectory()) return dir;
  }
  return null;
}

function fashionDir(): string {
  const dir = findFashionMnist();
  if (!dir) {
    throw new DatasetError(
      `fashion-mnist not found: looked in ${fashionMnistCandidates().join(' and ')}; ` +
        '`apt-get install dataset-fashion-mnist` installs it, or set SQS_DATA to a folder holding fashion-mnist/',
    );
  }
  return dir;
}

export function fashionMnistShape(): DatasetShape {
  return idxFolderShape(fashionDir());
}

export function loadFashionMnistTest(): Split {
  return loadIdxTestSplit(fashionDir());
}

export function loadFashionMnist(): Dataset {
  const dir = fashionDir();
  const ds = loadIdxFolder(dir, 'fashion-mnist');
  return { ...ds, classNames: [...FASHION_MNIST_CLASSES], source: `Fashion-MNIST IDX files in ${dir}` };
}
