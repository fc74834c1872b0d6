// A run's config of either family as a list of fields: what `runs show`, the run page and a
// sweep's grid columns print. Node-free.
import { isLmConfig, type RunConfig } from '../engine/train/lm-config';
import { LM_FIELDS } from './lm-fields';
import { TRAIN_FIELDS, type TrainField } from './train-fields';

/** The fields of a config's own family's table. */
export function fieldTable(config: RunConfig): readonly TrainField<string>[] {
  return isLmConfig(config) ? LM_FIELDS : TRAIN_FIELDS;
}

/** The value at `path` ('sqs.c', 'lr') in a config of any family. */
export function configValue(config: RunConfig, path: string): string | number {
  const [a, b] = path.split('.');
  const top = (config as unknown as Record<string, unknown>)[a];
  return (b === undefined ? top : (top as Record<string, unknown> | undefined)?.[b]) as string | number;
}

/** The config's fields that matter for its family and gate, in the table's order (with `family` first for a language model). */
export function fieldsOf(config: RunConfig): [string, string | number][] {
  const own = fieldTable(config)
    .filter((f) => f.gate === undefined || f.gate === config.gate)
    .map((f): [string, string | number] => [f.path, configValue(config, f.path)]);
  return isLmConfig(config) ? [['family', 'lm'], ...own] : own;
}
