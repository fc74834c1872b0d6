// `train --family lm`: the language model's flags come from its field table, with the same
// verdicts and words as the api's schema; a classifier's flag is refused for a language model and
// the other way round; heads must divide d_model into even head widths.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LM_CONFIG } from '../../../src-main/engine/train/lm-config';
import { checkTrainConfig } from '../../../src-main/common/train-config';
import { LM_TRAIN_HELP, parseTrainArgs, TRAIN_HELP, type TrainCliOptions } from '../../../src-main/hosts/cli/train-args';
import { UsageError } from '../../../src-main/hosts/cli/usage';
import { parse, usageError } from '../../helpers/train-args';


describe('train --family lm', () => {
  it('gives the language model defaults, a config the schema accepts', () => {
    const r = parse(['--family', 'lm']);
    expect(r.config).toEqual(DEFAULT_LM_CONFIG);
    expect(checkTrainConfig(r.config)).toEqual({ ok: true, value: DEFAULT_LM_CONFIG });
  });

  it('parses the flags of the issue', () => {
    const r = parse(['--family=lm', '--dataset', 'text:/data/my.txt', '--tokenizer', '/t/tokenizer.json', '--vocab', '512', '--gate', 'sqs', '--sqs-c', '0.1', '--layers', '3', '--heads', '2', '--d-model', '64', '--d-hidden', '256', '--ctx', '64', '--batch', '8', '--steps', '50', '--lr', '3e-3', '--wd', '0', '--warmup', '5', '--clip', '0.5', '--schedule', 'linear', '--eval-every', '10', '--seed', '7', '--ep', 'cpu', '--out', '/tmp/x', '--json']);
    expect(r.config).toMatchObject({ family: 'lm', dataset: 'text:/data/my.txt', tokenizer: '/t/tokenizer.json', vocab: 512, gate: 'sqs', sqs: { c: 0.1 }, layers: 3, heads: 2, d_model: 64, d_hidden: 256, ctx: 64, batch: 8, steps: 50, lr: 3e-3, wd: 0, warmup: 5, clip: 0.5, schedule: 'linear', eval_every: 10, seed: 7 });
    expect(r.out).toBe('/tmp/x');
    expect(r.json).toBe(true);
  });

  it('refuses bad values in the words of the field table', () => {
    expect(usageError(['--family', 'lm', '--clip', '0'])).toBe('--clip: 0 is out of range: must be a number > 0');
    expect(usageError(['--family', 'lm', '--vocab', '2'])).toBe('--vocab: 2 is out of range: must be an integer from 3 to 65536');
    expect(usageError(['--family', 'lm', '--dataset', 'digits'])).toMatch(/^--dataset: 'digits' is not one of stories, tinystories, text:<file\|dir>/);
    expect(usageError(['--family', 'lm', '--schedule', 'step'])).toMatch(/^--schedule: /);
  });

  it('refuses a head count that does not divide d_model, or leaves an odd head width', () => {
    expect(usageError(['--family', 'lm', '--d-model', '100', '--heads', '3'])).toBe('--d-model 100 is not divisible by --heads 3');
    expect(usageError(['--family', 'lm', '--d-model', '96', '--heads', '32'])).toBe('head width d_model/heads = 3 must be even for rotary embeddings');
  });

  it('keeps each family to its own flags', () => {
    expect(usageError(['--family', 'lm', '--epochs', '3'])).toBe("unknown flag '--epochs' for a language model (see --family lm --help)");
    expect(usageError(['--steps', '3'])).toBe("unknown flag '--steps' (see --help)");
    expect(usageError(['--family', 'gpt'])).toBe("--family: 'gpt' is not one of classifier, lm");
  });

  it('has its own help, every flag with its default and range', () => {
    expect(parseTrainArgs(['--family', 'lm', '--help'])).toEqual({ help: LM_TRAIN_HELP });
    for (const flag of ['--dataset', '--tokenizer', '--vocab', '--gate', '--sqs-c', '--layers', '--heads', '--d-model', '--d-hidden', '--ctx', '--batch', '--steps', '--lr', '--wd', '--warmup', '--clip', '--schedule', '--eval-every', '--seed', '--ep', '--out', '--json']) {
      expect(LM_TRAIN_HELP).toContain(flag);
    }
    expect(LM_TRAIN_HELP).toContain('default 4096');
    expect(LM_TRAIN_HELP).toContain('an integer from 3 to 65536');
    expect(TRAIN_HELP).toContain('--family');
  });
});
