// Lists typed into one field: tags ("paper, seeds") and a sweep axis's values ("0, 1 2"). Spaces
// next to a separator are layout; anything else is the item as typed, which then gets the shared
// rule's verdict (common/rules.ts, common/train-fields.ts) in its words, as on the command line:
// " paper" is refused here as by `train --tag " paper"`. Blank items are not given.
import { SweepAxisInput } from '../../../../src-main/common/contract';
import { accept, refuse, Tags, verdict, type Checked } from '../../../../src-main/common/rules';
import { gridField, type GridKey } from '../../../../src-main/common/train-config';
import { fieldFromText } from '../../../../src-main/common/train-fields';

const items = (text: string, separator: RegExp): string[] => text.split(separator).filter((t) => t.trim() !== '');

/** "paper, seed-study" → ['paper', 'seed-study'] (each once); a bad tag's message is the error. */
export function tagsFromText(text: string): Checked<string[]> {
  return verdict(Tags, [...new Set(items(text, /\s*,\s*/))]);
}

/**
 * "0, 1, 2" or "0 1 2" → the values of one grid axis of a family's config (dataset, corpus and
 * file values split on commas only), each once; a value's own message, else the contract's
 * verdict on the axis (none given, too many).
 */
export function gridValuesFromText(key: GridKey, text: string, family: 'classifier' | 'lm' = 'classifier'): Checked<(string | number)[]> {
  const field = gridField(key, family);
  if (!field) return refuse(`a ${family === 'lm' ? 'language model' : 'classifier'} has no field '${key}'`);
  const values: (string | number)[] = [];
  for (const item of items(text, field.kind === 'number' || field.kind === 'choice' ? /[,\s]+/ : /\s*,\s*/)) {
    const v = fieldFromText(field, item);
    if (!v.ok) return refuse(`${key}: ${v.error}`);
    if (!values.includes(v.value)) values.push(v.value);
  }
  const axis = verdict(SweepAxisInput, { key, values });
  return axis.ok ? accept(values) : refuse(axis.error);
}
