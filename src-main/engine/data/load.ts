// The one entry point from a dataset spec string (as given to the CLI or stored with a run) to data.
import { DatasetError, type Dataset, type Split } from './dataset';
import { loadDigits } from './digits';
import { FASHION_MNIST_CLASSES, loadFashionMnist, loadFashionMnistTest } from './fashion';
import { loadIdxFolder, loadIdxTestSplit } from './idx-folder';

export const DATASET_SPEC_FORMS = ['digits', 'fashion-mnist', 'idx:<dir>'] as const;

const allowed = `allowed: ${DATASET_SPEC_FORMS.join(', ')}`;

/** null when `spec` has a valid form (the data may still be missing), else why not. */
export function describeDatasetSpec(spec: string): string | null {
  if (spec === 'digits' || spec === 'fashion-mnist') return null;
  if (spec.startsWith('idx:')) {
    return spec.length > 4 ? null : `dataset spec "idx:" needs a folder after the colon (idx:<dir>)`;
  }
  return `unknown dataset spec "${spec}"; ${allowed}`;
}

export function loadDataset(spec: string): Dataset {
  const problem = describeDatasetSpec(spec);
  if (problem) throw new DatasetError(problem);
  if (spec === 'digits') return loadDigits();
  if (spec === 'fashion-mnist') return loadFashionMnist();
  return loadIdxFolder(spec.slice(4), spec);
}

/** The test split alone, for reading features: the same examples as loadDataset(spec).test. */
export function loadTestSplit(spec: string): Split {
  const problem = describeDatasetSpec(spec);
  if (problem) throw new DatasetError(problem);
  if (spec === 'digits') return loadDigits().test;
  if (spec === 'fashion-mnist') return loadFashionMnistTest();
  return loadIdxTestSplit(spec.slice(4));
}

/**
 * The names of a dataset's classes from its spec alone, without reading the data (Fashion-MNIST
 * takes most of a second to load): its own names where it has them, else the index as text.
 */
export function datasetClassNames(spec: string, classes: number): string[] {
  const known: readonly string[] = spec === 'fashion-mnist' ? FASHION_MNIST_CLASSES : [];
  return Array.from({ length: classes }, (_, k) => known[k] ?? String(k));
}
