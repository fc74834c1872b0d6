// Sizes with no upper bound: hard limits in the field table where a size never makes sense, and
// a memory estimate that refuses a config this machine cannot hold, with the estimate and the
// machine's memory in the one line, before any folder, run or row exists.
import { existsSync, rmSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createService } from '../../src-main/api/service';
import { DIGITS_SHAPE, loadDigits } from '../../src-main/engine/data/digits';
import { datasetShape, loadDataset } from '../../src-main/engine/data/load';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src-main/engine/train/config';
import { checkMemory, estimateMemory, memoryBudget, MemoryLimitError } from '../../src-main/engine/train/memory';
import { ApiError } from '../../src-main/common/contract';
import { writeIdxFolder } from '../engine/data/idx-fixtures';
import { tempDir } from '../helpers/cli';
import { expectOneLine, snapshot } from './harness';
import { runMain as cli } from './run-main';

const root = tempDir('sqs-faults-limits-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `out-${n++}`);

/** A workspace that exists (its database made), so that a refused command must leave it as it is. */
async function workspace(): Promise<string> {
  const dir = fresh();
  const service = createService({ workspaceDir: dir });
  await service.close();
  return dir;
}

const GiB = 2 ** 30;

describe('hard limits of the field table', () => {
  const cases: [string, string, string][] = [
    ['d', '1000000000', 'an integer from 1 to 65536'],
    ['d', '65537', 'an integer from 1 to 65536'],
    ['h', '200000', 'an integer from 1 to 65536'],
    ['batch', '1048577', 'an integer from 1 to 1048576'],
    ['epochs', '100001', 'an integer from 1 to 100000'],
    ['epochs', '1e6', 'an integer from 1 to 100000'],
  ];

  it.each(cases)('train --%s %s is refused by the schema (exit 2), nothing made', async (flag, value, range) => {
    const out = fresh();
    expectOneLine(await cli(['train', `--${flag}`, value, '--out', out]), 2, new RegExp(`^--${flag}: ${value} is out of range: must be ${range}$`, 'm'));
    expect(existsSync(out)).toBe(false);
  });

  it.each(cases)('sweep --grid %s=8,%s is refused before the workspace is opened', async (flag, value, range) => {
    const ws = await workspace();
    const before = snapshot(ws);
    expectOneLine(await cli(['sweep', '--grid', `${flag}=8,${value}`, '--workspace', ws]), 2, new RegExp(`--${flag}: ${value} is out of range: must be ${range}`));
    expect(snapshot(ws)).toEqual(before);
  });

  it('the api refuses them with the same words', async () => {
    const ws = await workspace();
    const service = createService({ workspaceDir: ws });
    try {
      const before = snapshot(ws);
      await expect(service.call('train.start', { config: { d: 70000 } })).rejects.toThrow('config.d: 70000 is out of range: must be an integer from 1 to 65536');
      await expect(service.call('train.start', { config: { batch: 2 ** 21 } })).rejects.toThrow('config.batch: 2097152 is out of range: must be an integer from 1 to 1048576');
      expect(snapshot(ws)).toEqual(before);
    } finally {
      await service.close();
    }
  });
});

describe('the memory estimate', () => {
  // counted by hand for a one-layer bilinear model: E [d, dIn], W and V [h, d], head [C, h]
  const params = (d: number, h: number, dIn = 784, C = 10) => d * dIn + 2 * h * d + C * h;

  it('counts the parameters eight times over, a batch of activations, the data and the batches prepared ahead, and the d×d spectra', () => {
    const cfg = { ...DEFAULT_CONFIG, d: 512, h: 256, batch: 1000 };
    const e = estimateMemory(cfg, DIGITS_SHAPE);
    const base = 320 * 2 ** 20;
    const data = 5 * 10_000 * 784;
    const P = params(512, 256);
    // the batch thread's copy of the 8,000 training images, and three batches in flight
    const batches = 4 * (8000 * 784 + 3 * 1000 * (784 + 10));
    expect(e.training).toBe(base + 32 * P + 4 * (1000 * (784 + 3 * 512 + 12 * 256 + 60) + 1024 * (784 + 512 + 4 * 256 + 10)) + data + batches);
    expect(e.analysis).toBe(base + 512 * 512 * (24 * 10 + 32) + 8 * P + data);
    expect(e.total).toBe(Math.max(e.training, e.analysis));
  });

  it('grows with d squared once reading features dominates', () => {
    const at = (d: number) => estimateMemory({ ...DEFAULT_CONFIG, d }, DIGITS_SHAPE).analysis;
    expect((at(8192) - at(4096)) / (at(4096) - at(2048))).toBeCloseTo(4, 1);
  });

  it('a batch larger than the training set counts the training set', () => {
    const big = estimateMemory({ ...DEFAULT_CONFIG, batch: 2 ** 20 }, DIGITS_SHAPE);
    expect(big).toEqual(estimateMemory({ ...DEFAULT_CONFIG, batch: 8000 }, DIGITS_SHAPE));
  });

  it('refuses past three quarters of the machine, naming the estimate, the budget and what to lower', () => {
    const cfg: TrainConfig = { ...DEFAULT_CONFIG, d: 8192 };
    const e = estimateMemory(cfg, DIGITS_SHAPE);
    expect(checkMemory(cfg, DIGITS_SHAPE, Math.ceil(e.total / 0.75) + 4)).toEqual(e);
    expect(() => checkMemory(cfg, DIGITS_SHAPE, Math.floor(e.total / 0.75) - 4)).toThrow(MemoryLimitError);
    expect(() => checkMemory(cfg, DIGITS_SHAPE, 16 * GiB)).toThrow(
      /^this config needs about 17\.\d GiB of memory \(training \d+ MiB, reading its features 17\.\d GiB\), more than the 12\.0 GiB a run may use on this machine \(three quarters of its 16\.0 GiB\); lower d \(8192\)/,
    );
    expect(memoryBudget(16 * GiB)).toBe(12 * GiB);
  });

  it('names batch, d and h when training is the larger part', () => {
    const cfg: TrainConfig = { ...DEFAULT_CONFIG, d: 64, h: 65536, batch: 8000 };
    expect(() => checkMemory(cfg, DIGITS_SHAPE, 4 * GiB)).toThrow(/lower batch \(8000\), d \(64\) or h \(65536\)$/);
  });

  it('the defaults and the reference configuration fit a machine of 2 GiB', () => {
    expect(estimateMemory(DEFAULT_CONFIG, DIGITS_SHAPE).total).toBeLessThan(0.75 * 2 * GiB);
  });

  it("reads a dataset's sizes from its headers alone, the same as loading it", () => {
    const digits = loadDigits();
    expect(DIGITS_SHAPE).toEqual({ inputDim: digits.inputDim, classes: digits.classes, train: digits.train.n, test: digits.test.n });
    const f = writeIdxFolder({ dir: tempDir(), gzip: true });
    const ds = loadDataset(`idx:${f.dir}`);
    expect(datasetShape(`idx:${f.dir}`)).toEqual({ inputDim: ds.inputDim, classes: ds.classes, train: ds.train.n, test: ds.test.n });
    rmSync(f.dir, { recursive: true, force: true });
  });
});

describe('a config larger than this machine', () => {
  // d = 65536 needs about a terabyte to read its features: no machine that runs these tests has it
  const huge = ['--d', '65536'];
  const message = /^this config needs about [\d.]+ TiB of memory \(training [\d.]+ GiB, reading its features [\d.]+ TiB\), more than the [\d.]+ GiB a run may use on this machine \(three quarters of its [\d.]+ GiB\); lower d \(65536\)/;

  it('train --out refuses it before the folder exists (exit 1)', async () => {
    expect(estimateMemory({ ...DEFAULT_CONFIG, d: 65536 }, DIGITS_SHAPE).total).toBeGreaterThan(totalmem());
    const out = fresh();
    expectOneLine(await cli(['train', ...huge, '--out', out]), 1, message);
    expect(existsSync(out)).toBe(false);
  });

  it('train into a workspace refuses it before a run is created', async () => {
    const ws = await workspace();
    const before = snapshot(ws);
    expectOneLine(await cli(['train', ...huge, '--workspace', ws]), 1, message);
    expect(snapshot(ws)).toEqual(before);
  });

  it('a sweep with one such combination creates none of its runs', async () => {
    const ws = await workspace();
    const before = snapshot(ws);
    expectOneLine(await cli(['sweep', '--grid', 'd=8,65536', '--workspace', ws]), 1, message);
    expect(snapshot(ws)).toEqual(before);
  });

  it('the api answers unavailable, with the same line', async () => {
    const ws = await workspace();
    const service = createService({ workspaceDir: ws });
    try {
      const before = snapshot(ws);
      for (const call of [service.call('train.start', { config: { d: 65536 } }), service.call('sweep.start', { axes: [{ key: 'd', values: [8, 65536] }] })]) {
        const e = await call.then(() => null, (err: unknown) => err);
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).code).toBe('unavailable');
        expect((e as ApiError).message).toMatch(message);
      }
      expect(snapshot(ws)).toEqual(before);
    } finally {
      await service.close();
    }
  });
});
