// Whether a language model's text is here before a run is created: the corpus a spec names and
// the tokenizer file a config gives. Reading and checking them whole is the engine's job when the
// run starts; this only spares a queued run that could never start.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tinyStoriesDir, TINYSTORIES_TRAIN_FILE, TINYSTORIES_VALID_FILE } from '../engine/text/corpus';
import { parseTextSpec } from '../engine/text/spec';
import type { LmConfig } from '../engine/train/lm-config';

/** The folder a text path lies in (the path itself when it is a folder). */
export function folderOf(path: string): string {
  const p = resolve(path);
  return existsSync(p) && statSync(p).isDirectory() ? p : dirname(p);
}

/** Why the corpus or tokenizer a config names is not here, or null when both are. */
export function missingText(c: Pick<LmConfig, 'dataset' | 'tokenizer'>): string | null {
  const parsed = parseTextSpec(c.dataset);
  if (!parsed.ok) return `dataset ${parsed.error}`;
  const spec = parsed.value;
  if (spec.kind === 'tinystories') {
    const dir = tinyStoriesDir();
    const absent = [TINYSTORIES_TRAIN_FILE, TINYSTORIES_VALID_FILE].filter((f) => !existsSync(join(dir, f)));
    if (absent.length > 0) return `dataset tinystories: ${absent.map((f) => join(dir, f)).join(' and ')} not found (download TinyStories, see docs/language-models.md)`;
  }
  if (spec.kind === 'text' && !existsSync(spec.path)) return `dataset ${c.dataset}: ${resolve(spec.path)} does not exist`;
  if (c.tokenizer !== '' && !existsSync(c.tokenizer)) return `tokenizer ${resolve(c.tokenizer)} does not exist`;
  return null;
}
