// A folder of the four standard MNIST-layout IDX files, each raw or gzipped.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError, sha256Hex, type Dataset, type DatasetShape, type Split } from './dataset';
import { entryExists } from '../util/regular-file';
import { checkIdxPair, checkSameImageSize, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdxImages, parseIdxLabels, readIdxDims, readIdxFile, toSplit } from './idx';

export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

const CLASSES = 10;

/**
 * The raw file when present, else its `.gz`; neither is an error naming the expected path. A link
 * that leads nowhere or in a loop counts as present, so that the reader names what is wrong with it.
 */
export function findIdxFile(dir: string, base: string): string {
  const raw = join(dir, base);
  if (entryExists(raw)) return raw;
  if (entryExists(raw + '.gz')) return raw + '.gz';
  throw new DatasetError(`${raw}: missing file (expected ${raw} or ${raw}.gz)`);
}

/** A split of no examples trains nothing and measures nothing: refused, naming its images file. */
function nonEmpty<T extends { n: number }>(split: T, imagesFile: string, role: 'training' | 'test'): T {
  if (split.n === 0) {
    throw new DatasetError(`${imagesFile}: holds 0 images; a dataset needs at least one ${role} example`);
  }
  return split;
}

/**
 * The folder's sizes from the four headers alone (the checks that need no pixels: regular files,
 * magic numbers, raw sizes against the headers, counts, image sizes, no empty split).
 */
export function idxFolderShape(dir: string): DatasetShape {
  checkFolder(dir);
  const images = (base: string) => {
    const file = findIdxFile(dir, base);
    const [n, rows, cols] = readIdxDims(file, IDX_IMAGES_MAGIC);
    return { file, n, rows, cols };
  };
  const labels = (base: string) => {
    const file = findIdxFile(dir, base);
    return { file, n: readIdxDims(file, IDX_LABELS_MAGIC)[0] };
  };
  const trainImages = images(IDX_FILES.trainImages);
  const trainLabels = labels(IDX_FILES.trainLabels);
  const testImages = images(IDX_FILES.testImages);
  const testLabels = labels(IDX_FILES.testLabels);
  checkSameImageSize(trainImages, testImages);
  checkIdxPair(trainImages, trainLabels);
  checkIdxPair(testImages, testLabels);
  nonEmpty(trainImages, trainImages.file, 'training');
  nonEmpty(testImages, testImages.file, 'test');
  return { inputDim: trainImages.rows * trainImages.cols, classes: CLASSES, train: trainImages.n, test: testImages.n };
}

function checkFolder(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DatasetError(`${dir}: not a directory (expected a folder holding the IDX files ${Object.values(IDX_FILES).join(', ')})`);
  }
}

/** Only the test split: what reading features needs, at a sixth of the full load. */
export function loadIdxTestSplit(dir: string): Split {
  checkFolder(dir);
  const imagesPath = findIdxFile(dir, IDX_FILES.testImages);
  const labelsPath = findIdxFile(dir, IDX_FILES.testLabels);
  const split = toSplit(parseIdxImages(readIdxFile(imagesPath, IDX_IMAGES_MAGIC), imagesPath), parseIdxLabels(readIdxFile(labelsPath, IDX_LABELS_MAGIC), labelsPath, CLASSES));
  return nonEmpty(split, imagesPath, 'test');
}

export function loadIdxFolder(dir: string, name: string): Dataset {
  checkFolder(dir);
  const paths = {
    trainImages: findIdxFile(dir, IDX_FILES.trainImages),
    trainLabels: findIdxFile(dir, IDX_FILES.trainLabels),
    testImages: findIdxFile(dir, IDX_FILES.testImages),
    testLabels: findIdxFile(dir, IDX_FILES.testLabels),
  };
  // Hash the decompressed IDX content so that a raw and a gzipped copy of the same data agree.
  const bytes = {
    trainImages: readIdxFile(paths.trainImages, IDX_IMAGES_MAGIC),
    trainLabels: readIdxFile(paths.trainLabels, IDX_LABELS_MAGIC),
    testImages: readIdxFile(paths.testImages, IDX_IMAGES_MAGIC),
    testLabels: readIdxFile(paths.testLabels, IDX_LABELS_MAGIC),
  };
  const trainImages = parseIdxImages(bytes.trainImages, paths.trainImages);
  const trainLabels = parseIdxLabels(bytes.trainLabels, paths.trainLabels, CLASSES);
  const testImages = parseIdxImages(bytes.testImages, paths.testImages);
  const testLabels = parseIdxLabels(bytes.testLabels, paths.testLabels, CLASSES);
  checkSameImageSize(trainImages, testImages);
  const train = nonEmpty(toSplit(trainImages, trainLabels), paths.trainImages, 'training');
  const test = nonEmpty(toSplit(testImages, testLabels), paths.testImages, 'test');
  return {
    name,
    inputDim: trainImages.rows * trainImages.cols,
    imageShape: [trainImages.rows, trainImages.cols],
    classes: CLASSES,
    classNames: Array.from({ length: CLASSES }, (_, k) => String(k)),
    train,
    test,
    sha256: sha256Hex([bytes.trainImages, bytes.trainLabels, bytes.testImages, bytes.testLabels]),
    source: `IDX files in ${dir}`,
  };
}
