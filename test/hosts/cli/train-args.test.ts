import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli';
import { DEFAULT_CONFIG } from '../../../src-main/engine/train/config';
import { FLAG_PATHS, parseConfigFlag, TRAIN_HELP, parseTrainArgs, type TrainCliOptions } from '../../../src-main/hosts/cli/train-args';
import { UsageError } from '../../../src-main/hosts/cli/usage';
import { parse, usageError } from '../../helpers/train-args';


const ALL_FLAGS = [
  'dataset', 'gate', 'sqs-c', 'sqs-lambda', 'sqs-p', 'd', 'h', 'layers', 'epochs', 'batch',
  'lr', 'wd', 'noise', 'warmup', 'seed', 'ep', 'out', 'json', 'help',
];

describe('parseTrainArgs', () => {
  it('gives the defaults with no flags, without sharing DEFAULT_CONFIG', () => {
    const r = parse([]);
    expect(r).toEqual({ config: DEFAULT_CONFIG, out: null, json: false, workspace: null, name: null, tags: [] });
    r.config.sqs.c = 99;
    expect(DEFAULT_CONFIG.sqs.c).toBe(0.01);
  });

  it('parses every flag', () => {
    const r = parse([
      '--dataset', 'idx:/data/my set',
      '--gate', 'sqs',
      '--sqs-c', '0',
      '--sqs-lambda', '2.5',
      '--sqs-p', '2',
      '--d', '512',
      '--h=128',
      '--layers', '4',
      '--epochs', '3',
      '--batch', '64',
      '--lr', '3e-4',
      '--wd', '0',
      '--noise', '1.0',
      '--warmup', '100',
      '--seed', '2147483647',
      '--ep', 'cuda',
      '--train-percent', '2.5',
      '--subset-budget', 'epochs',
      '--out', 'runs/a',
      '--json',
    ]);
    expect(r).toEqual({
      config: {
        dataset: 'idx:/data/my set',
        gate: 'sqs',
        sqs: { c: 0, lambda: 2.5, p: 2 },
        d: 512,
        h: 128,
        layers: 4,
        epochs: 3,
        batch: 64,
        lr: 3e-4,
        wd: 0,
        noise: 1,
        warmup: 100,
        seed: 2147483647,
        ep: 'cuda',
        train_percent: 2.5,
        subset_budget: 'epochs',
      },
      out: 'runs/a',
      json: true,
      workspace: null,
      name: null,
      tags: [],
    });
  });

  it('takes the workspace, a name and repeated tags, but not together with --out', () => {
    expect(parseTrainArgs(['--workspace', '/w', '--name', 'first', '--tag', 'a', '--tag', 'b'])).toMatchObject({ workspace: '/w', name: 'first', tags: ['a', 'b'], out: null });
    expect(() => parseTrainArgs(['--out', 'x', '--tag', 'a'])).toThrow(/--out writes a standalone run folder/);
    expect(usageError(['--tag', ''])).toBe("--tag: '' is empty: must be 1 to 64 characters");
    expect(usageError(['--tag', 'x'.repeat(65)])).toMatch(/^--tag: 'x{40}'… is too long \(65 characters\)/);
    // stored unchecked before, such a tag could afterwards be neither found nor removed
    expect(usageError(['--tag', ' paper'])).toBe("--tag: ' paper' starts or ends with spaces");
    expect(usageError(['--tag', 'a\u0007b'])).toBe("--tag: 'a b' contains control characters");
    expect(usageError(['--name', ' '])).toBe("--name: ' ' is empty: must be 1 to 200 characters");
    expect(usageError(['--name', 'two\nlines'])).toBe("--name: 'two lines' contains control characters");
  });

  it('accepts every gate, dataset form and execution provider', () => {
    for (const gate of ['bilinear', 'sqs', 'swiglu', 'geglu', 'reglu', 'relu-mlp']) {
      expect(parse(['--gate', gate]).config.gate).toBe(gate);
    }
    for (const dataset of ['digits', 'fashion-mnist', 'idx:.', 'idx:C:\\data']) {
      expect(parse(['--dataset', dataset]).config.dataset).toBe(dataset);
    }
    for (const ep of ['cpu', 'cuda', 'webgpu']) expect(parse(['--ep', ep]).config.ep).toBe(ep);
  });

  it('returns the help for --help and -h', () => {
    expect(parseTrainArgs(['--help'])).toEqual({ help: TRAIN_HELP });
    expect(parseTrainArgs(['--lr', '0.1', '-h'])).toEqual({ help: TRAIN_HELP });
  });

  it('names the flag, the value and the allowed range', () => {
    expect(usageError(['--lr', '0'])).toBe('--lr: 0 is out of range: must be a number > 0');
    expect(usageError(['--gate', 'foo'])).toBe(
      "--gate: 'foo' is not one of bilinear, sqs, swiglu, geglu, reglu, relu-mlp",
    );
    expect(usageError(['--dataset', 'mnist'])).toBe(
      "--dataset: 'mnist' is not one of digits, fashion-mnist, idx:<dir>",
    );
    expect(usageError(['--dataset', 'idx:'])).toBe("--dataset: 'idx:' names no folder: write idx:<dir>");
    expect(usageError(['--dataset', 'idx:   '])).toBe("--dataset: 'idx:   ' names no folder: write idx:<dir>");
    expect(usageError(['--lr', '-0.001'])).toBe('--lr: -0.001 is out of range: must be a number > 0');
    expect(usageError(['--batch', '0'])).toBe('--batch: 0 is out of range: must be an integer from 1 to 1048576');
    expect(usageError(['--epochs', '-3'])).toBe('--epochs: -3 is out of range: must be an integer from 1 to 100000');
    expect(usageError(['--sqs-p', '0.5'])).toBe('--sqs-p: 0.5 is out of range: must be a number >= 1');
    expect(usageError(['--sqs-lambda', '0'])).toBe('--sqs-lambda: 0 is out of range: must be a number > 0');
    expect(usageError(['--sqs-c', '-0.01'])).toBe('--sqs-c: -0.01 is out of range: must be a number >= 0');
    expect(usageError(['--noise=-0.4'])).toBe('--noise: -0.4 is out of range: must be a number >= 0');
    expect(usageError(['--wd', '-1'])).toBe('--wd: -1 is out of range: must be a number >= 0');
    expect(usageError(['--d', '2.5'])).toBe('--d: 2.5 is not an integer: must be an integer from 1 to 65536');
    expect(usageError(['--h', '0'])).toBe('--h: 0 is out of range: must be an integer from 1 to 65536');
    expect(usageError(['--d', '65537'])).toBe('--d: 65537 is out of range: must be an integer from 1 to 65536');
    expect(usageError(['--d', '1000000000'])).toBe('--d: 1000000000 is out of range: must be an integer from 1 to 65536');
    expect(usageError(['--batch', '1048577'])).toBe('--batch: 1048577 is out of range: must be an integer from 1 to 1048576');
    expect(usageError(['--epochs', '100001'])).toBe('--epochs: 100001 is out of range: must be an integer from 1 to 100000');
    expect(usageError(['--layers', '5'])).toBe('--layers: 5 is out of range: must be an integer from 1 to 4');
    expect(usageError(['--layers', '0'])).toBe('--layers: 0 is out of range: must be an integer from 1 to 4');
    expect(usageError(['--warmup', '-1'])).toBe('--warmup: -1 is out of range: must be an integer >= 0');
    expect(usageError(['--seed', '2147483648'])).toBe(
      '--seed: 2147483648 is out of range: must be an integer from 0 to 2147483647',
    );
    expect(usageError(['--ep', 'tpu'])).toBe("--ep: 'tpu' is not one of cpu, cuda, webgpu");
    expect(usageError(['--out', ''])).toMatch(/^--out: '' is empty/);
  });

  it('rejects non-numeric strings, NaN and Infinity', () => {
    for (const raw of ['abc', 'NaN', 'Infinity', '-Infinity', '', ' 1', '0x10', '1,5', '1e', '--']) {
      expect(usageError([`--lr=${raw}`])).toBe(`--lr: '${raw}' is not a number: must be a number > 0`);
    }
    expect(usageError(['--lr', '1e999'])).toBe('--lr: 1e999 is not a finite number: must be a number > 0');
    expect(usageError(['--d', 'ten'])).toBe("--d: 'ten' is not a number: must be an integer from 1 to 65536");
  });

  it('rejects unknown flags, positional arguments, missing values and repeats', () => {
    expect(usageError(['--learning-rate', '1'])).toBe("unknown flag '--learning-rate' (see --help)");
    expect(usageError(['-x'])).toBe("unknown flag '-x' (see --help)");
    expect(usageError(['digits'])).toMatch(/^unexpected argument 'digits'/);
    expect(usageError(['--', '--lr'])).toMatch(/^unexpected argument '--lr'/);
    expect(usageError(['--lr'])).toBe('--lr: missing value');
    expect(usageError(['--lr', '--json'])).toBe('--lr: missing value');
    expect(usageError(['--json=yes'])).toBe('--json: takes no value');
    expect(usageError(['--lr', '1', '--lr', '2'])).toBe('--lr: given more than once');
  });
});

describe('config flags one at a time', () => {
  it('map each flag to its config path, as the UI and stored sweeps name it', () => {
    expect(FLAG_PATHS['sqs-c']).toBe('sqs.c');
    expect(FLAG_PATHS['sqs-lambda']).toBe('sqs.lambda');
    expect(FLAG_PATHS.lr).toBe('lr');
    expect(Object.keys(FLAG_PATHS)).toEqual(['dataset', 'gate', 'sqs-c', 'sqs-lambda', 'sqs-p', 'd', 'h', 'layers', 'epochs', 'batch', 'lr', 'wd', 'noise', 'warmup', 'seed', 'ep', 'train-percent', 'subset-budget']);
    expect(FLAG_PATHS.out).toBeUndefined();
  });

  it('parse one value as train does', () => {
    expect(parseConfigFlag('sqs-c', '0.1')).toEqual({ path: 'sqs.c', value: 0.1 });
    expect(parseConfigFlag('gate', 'sqs')).toEqual({ path: 'gate', value: 'sqs' });
    expect(parseConfigFlag('dataset', 'idx:/d')).toEqual({ path: 'dataset', value: 'idx:/d' });
    expect(() => parseConfigFlag('sqs-lambda', '0')).toThrow(new UsageError('--sqs-lambda: 0 is out of range: must be a number > 0'));
    expect(() => parseConfigFlag('colour', '1')).toThrow(new UsageError("unknown flag '--colour' (see --help)"));
  });
});

describe('train on the command line', () => {
  it("refuses a tag no later edit could match, exit 2, the rule's message, before the workspace is touched", async () => {
    const ws = tempDir();
    const r = await runCli(['train', '--workspace', ws, '--tag', ' paper']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("--tag: ' paper' starts or ends with spaces");
    expect(readdirSync(ws)).toEqual([]);
  });
});

describe('TRAIN_HELP', () => {
  it('documents every flag with its default and range', () => {
    for (const f of ALL_FLAGS) expect(TRAIN_HELP).toMatch(new RegExp(`--${f}\\b`));
    const lines = TRAIN_HELP.split('\n');
    const block = (flag: string): string => {
      const i = lines.findIndex((l) => l.includes(`--${flag} `));
      return `${lines[i]}\n${lines[i + 1]}`;
    };
    expect(block('lr')).toContain('a number > 0; default 0.001');
    expect(block('layers')).toContain('an integer from 1 to 4; default 1');
    expect(block('gate')).toContain('one of bilinear, sqs, swiglu, geglu, reglu, relu-mlp; default bilinear');
    expect(block('dataset')).toContain('one of digits, fashion-mnist, idx:<dir>; default digits');
    expect(block('sqs-lambda')).toContain('a number > 0; default 0.5');
    expect(block('seed')).toContain('an integer from 0 to 2147483647; default 0');
    expect(block('ep')).toContain('one of cpu, cuda, webgpu; default cpu');
    expect(TRAIN_HELP).toContain('-h, --help');
    // where a run goes without --out, as README says
    expect(TRAIN_HELP).toContain('Without --out the run goes into the workspace: --workspace DIR, else $SQS_WORKBENCH_HOME, else\nthe user-data folder');
  });
});
