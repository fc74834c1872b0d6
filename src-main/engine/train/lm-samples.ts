// The text a language-model run sampled at each evaluation (samples.jsonl), read back for the run
// page. A file of its own so that reading it does not load the tokenizer or ONNX Runtime.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from './run-files';

/** The samples a run's evaluations wrote, oldest first (a line cut short by a crash is skipped). */
export function readSamples(dir: string): { step: number; prompt: string; text: string }[] {
  const path = join(dir, RUN_FILES.samples);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        const s = JSON.parse(l) as { step: unknown; prompt: unknown; text: unknown };
        return typeof s.step === 'number' && typeof s.prompt === 'string' && typeof s.text === 'string' ? [{ step: s.step, prompt: s.prompt, text: s.text }] : [];
      } catch {
        return [];
      }
    });
}
