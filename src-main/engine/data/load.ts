// The one entry point from a dataset spec string (as given to the CLI or stored with a run) to data.
import { DatasetError, type Dataset, type DatasetShape, type Split } from './dataset';
import { DIGITS_SHAPE, loadDigits } from './digits';
import { FASHION_MNIST_CLASSES, fashionMnistShape, loadFashionMnist, loadFashionMnistTest } from './fashion';
import { idxFolderShape, loadIdxFolder, loadIdxTestSplit } from './idx-folder';
import { parseDatasetSpec, type DatasetSpec } from './spec';

function specOf(text: string): DatasetSpec {
  const r = parseDatasetSpec(text);
  if (!r.ok) throw new DatasetError(`dataset ${r.error}`);
  return r.value;
}

export function loadDataset(text: string): Dataset {
  const spec = specOf(text);
  if (spec.kind === 'digits') return loadDigits();
  if (spec.kind === 'fashion-mnist') return loadFashionMnist();
  return loadIdxFolder(spec.dir, text);
}

/** The dataset's sizes, from its headers alone (the bundled digits' are known). */
export function datasetShape(text: string): DatasetShape {
  const spec = specOf(text);
  if (spec.kind === 'digits') return DIGITS_SHAPE;
  if (spec.kind === 'fashion-mnist') return fashionMnistShape();
  return idxFolderShape(spec.dir);
}

/** The test split alone, for reading features: the same examples as loadDataset(spec).test. */
export function loadTestSplit(text: string): Split {
  const spec = specOf(text);
  if (spec.kind === 'digits') return loadDigits().test;
  if (spec.kind === 'fashion-mnist') return loadFashionMnistTest();
  return loadIdxTestSplit(spec.dir);
}

/**
 * The names of a dataset's classes from its spec alone, without reading the data (Fashion-MNIST
 * takes most of a second to load): its own names where it has them, else the index as text.
 */
export function datasetClassNames(text: string, classes: number): string[] {
  const known: readonly string[] = text === 'fashion-mnist' ? FASHION_MNIST_CLASSES : [];
  return Array.from({ length: classes }, (_, k) => known[k] ?? String(k));
}
