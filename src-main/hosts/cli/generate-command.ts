// `sqs-workbench generate <run> --prompt TEXT [--max-tokens 100] [--temperature 1] [--top-k 0]
// [--seed 0] [--workspace DIR] [--json]`: text sampled from a language-model run's latest weights.
// A run is a run id of the workspace or a run folder.
import { generateInFolder } from '../../api/run-folders';
import { GENERATE } from '../../common/contract';
import { numberFromText, type NumberRange } from '../../common/rules';
import { withService } from './connect';
import { runRef } from './run-ref';
import { folderFlag, parseFlags, UsageError } from './usage';

const FLAGS = {
  prompt: { type: 'string' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  'top-k': { type: 'string' },
  seed: { type: 'string' },
  workspace: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const d = GENERATE.defaults;
const HELP = `usage: sqs-workbench generate <run> --prompt TEXT [--max-tokens ${d.maxTokens}] [--temperature ${d.temperature}] [--top-k ${d.topK}] [--seed ${d.seed}] [--workspace DIR] [--json]

Samples text from a language-model run's latest weights with its own tokenizer: the prompt, then
tokens drawn one at a time from softmax(logits / temperature), among the top k when k > 0, until
--max-tokens or <|endoftext|>. The same seed gives the same text. A run is a run id of the
workspace or a run folder.
  --prompt TEXT       the text to continue (lower-cased by the tokenizer)
  --max-tokens N      tokens to draw, an integer from 1 to ${GENERATE.maxTokens.max} (default ${d.maxTokens})
  --temperature X     0 always takes the most likely token; a number from 0 to ${GENERATE.temperature.max} (default ${d.temperature})
  --top-k N           draw among the k most likely tokens; 0: all (default ${d.topK})
  --seed N            the sampling seed (default ${d.seed})
  --workspace DIR     where a run id is looked up (default: $SQS_WORKBENCH_HOME, else the user-data folder)
  --json              print {run, prompt, text, tokens, seed} as JSON
`;

function numberFlag(flag: string, raw: unknown, range: NumberRange, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = numberFromText(range, String(raw));
  if (!v.ok) throw new UsageError(`--${flag}: ${v.error}`);
  return v.value;
}

export async function generateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('generate', argv, { ...FLAGS });
  if (values.help === true) return void process.stdout.write(HELP), 0;
  if (positionals.length !== 1) throw new UsageError(`generate: expected one run (a run id or a run folder), got ${positionals.length} argument(s) (see --help)`);
  const prompt = values.prompt;
  if (typeof prompt !== 'string' || prompt.trim() === '') throw new UsageError('generate: --prompt TEXT is required and must not be empty');
  if (prompt.length > GENERATE.prompt.maxChars) throw new UsageError(`--prompt: at most ${GENERATE.prompt.maxChars} characters`);
  const o = {
    maxTokens: numberFlag('max-tokens', values['max-tokens'], GENERATE.maxTokens, d.maxTokens),
    temperature: numberFlag('temperature', values.temperature, GENERATE.temperature, d.temperature),
    topK: numberFlag('top-k', values['top-k'], GENERATE.topK, d.topK),
    seed: numberFlag('seed', values.seed, GENERATE.seed, d.seed),
  };
  const workspace = folderFlag('workspace', values.workspace);
  const ref = runRef(positionals[0], workspace);
  const out = 'dir' in ref
    ? await generateInFolder(ref.dir, prompt, o)
    : await withService({ workspace, create: false }, ({ service }) => service.call('runs.generate', { id: ref.id, prompt, ...o }));
  if (values.json === true) process.stdout.write(JSON.stringify({ run: positionals[0], ...out }) + '\n');
  else process.stdout.write(`${out.prompt}${out.text}\n`);
  return 0;
}
