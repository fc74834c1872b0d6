// Bad input to `train --family lm`: each a clear one-line error naming the file or flag, exit 2,
// and nothing written, neither a run folder nor a workspace.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenizerJson, trainBpe } from '../../src-main/engine/text/bpe-train';
import { tempDir } from '../helpers/cli';
import { expectOneLine } from './harness';
import { escapeRegExp, runMain } from './run-main';

const root = tempDir();
const SMALL: Record<string, string> = { 'd-model': '16', heads: '2', 'd-hidden': '16', ctx: '8', batch: '2', steps: '2', 'eval-every': '1', vocab: '64' };

/** `train --family lm` with the small model's flags, `extra` overriding them */
function small(extra: string[]): string[] {
  const flags = { ...SMALL };
  for (let i = 0; i < extra.length; i += 2) flags[extra[i].slice(2)] = extra[i + 1];
  return ['--family', 'lm', ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v])];
}

beforeAll(() => {
  process.env.SQS_CACHE_DIR = join(root, 'cache');
});

/** trains into a fresh --out folder and checks that it was not created */
async function refused(extra: string[], message: RegExp): Promise<void> {
  const out = join(root, `out-${Math.random().toString(36).slice(2)}`);
  const r = await runMain(['train', ...small(extra), '--out', out]);
  expectOneLine(r, 2, message);
  expect(readdirSync(root)).not.toContain(out.split('/').pop());
}

describe('train --family lm refuses bad input before anything is written', () => {
  it('a corpus that is missing, empty or not UTF-8', async () => {
    const missing = join(root, 'nope.txt');
    await refused(['--dataset', `text:${missing}`], new RegExp(escapeRegExp(missing)));
    const empty = join(root, 'empty.txt');
    writeFileSync(empty, '');
    await refused(['--dataset', `text:${empty}`], new RegExp(`${escapeRegExp(empty)}.*(empty|no documents)`));
    const latin1 = join(root, 'latin1.txt');
    writeFileSync(latin1, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await refused(['--dataset', `text:${latin1}`], new RegExp(`${escapeRegExp(latin1)}.*UTF-8`));
  });

  it('a split with fewer tokens than one context window', async () => {
    const dir = join(root, 'tiny-corpus');
    mkdirSync(dir);
    writeFileSync(join(dir, 'train.txt'), 'once upon a time there was a cat and a dog and a bird who played all day long in the sun.\n');
    writeFileSync(join(dir, 'valid.txt'), 'a cat.\n');
    await refused(['--dataset', `text:${dir}`], /the validation split of .* holds \d+ tokens, fewer than one context window of 9 \(lower --ctx or give more text\)/);
  });

  it('a tokenizer file that does not parse, or has more tokens than --vocab', async () => {
    const broken = join(root, 'broken.json');
    writeFileSync(broken, '{"model": ');
    await refused(['--tokenizer', broken], new RegExp(`${escapeRegExp(broken)}: not JSON`));
    const big = join(root, 'big.json');
    writeFileSync(big, tokenizerJson(trainBpe(['the cat sat on the mat with a hat and a bat'.repeat(3), 'a dog ran far away from the big red barn'], 200)));
    await refused(['--tokenizer', big, '--vocab', '10'], new RegExp(`tokenizer ${escapeRegExp(big)} holds \\d+ tokens, more than the model's vocabulary \\(--vocab 10\\)`));
  });

  it('heads that do not divide d_model', async () => {
    await refused(['--d-model', '18', '--heads', '4'], /^--d-model 18 is not divisible by --heads 4\n$/);
  });

  it('a vocabulary too small for the special tokens', async () => {
    await refused(['--vocab', '2'], /^--vocab: 2 is out of range: must be an integer from 3 to 65536\n$/);
  });

  it('a model too big for this machine, with what to lower', async () => {
    const out = join(root, 'huge');
    const r = await runMain(['train', ...small(['--batch', '65536', '--ctx', '8192', '--d-model', '4096', '--heads', '32']), '--out', out]);
    expectOneLine(r, 1, /^this language model needs about .* more than the .* a run may use on this machine .*; lower --batch \(65536\), --ctx \(8192\)/);
    expect(readdirSync(root)).not.toContain('huge');
  });

  it('no workspace is made for a refused run either', async () => {
    const ws = join(root, 'ws');
    const r = await runMain(['train', ...small(['--d-model', '18', '--heads', '4']), '--workspace', ws]);
    expectOneLine(r, 2, /not divisible/);
    expect(readdirSync(root)).not.toContain('ws');
  });
});
