// A training configuration as typed into a form: every field as text, its verdict derived as the
// user types (fieldFromText: the very check of the `train` flags), and the patch to send only
// when every shown field is valid. Fields, labels, help and defaults come from the field table.
import type { ApiInput, GateName } from '../../../../src-main/common/contract';
import { Name, verdict, type Checked } from '../../../../src-main/common/rules';
import { patchOf } from '../../../../src-main/common/train-config';
import { DEFAULT_CONFIG, fieldAt, fieldFromText, TRAIN_FIELDS, valueAt, type ChoiceField, type ConfigPath, type NumberField } from '../../../../src-main/common/train-fields';
import { tagsFromText } from './lists';

export type ConfigPatch = NonNullable<ApiInput<'train.start'>['config']>;

const numeric = (group: 'model' | 'training') => TRAIN_FIELDS.filter((f): f is NumberField => f.kind === 'number' && f.group === group);

/** The gate's select, its parameters (each shown for its gate only) and the training fields, in table order. */
export const GATE_FIELD = fieldAt('gate') as ChoiceField;
export const MODEL_FIELDS = numeric('model');
export const TRAINING_FIELDS = numeric('training');
const TYPED = [...MODEL_FIELDS, ...TRAINING_FIELDS];

export class ConfigForm {
  dataset = $state(DEFAULT_CONFIG.dataset);
  gate = $state<GateName>(DEFAULT_CONFIG.gate);
  text = $state(Object.fromEntries(TYPED.map((f) => [f.path, String(valueAt(DEFAULT_CONFIG, f.path))])) as Record<ConfigPath, string>);
  name = $state('');
  tags = $state('');

  checks = $derived(Object.fromEntries(TYPED.map((f) => [f.path, fieldFromText(f, this.text[f.path])])) as Record<ConfigPath, Checked<string | number>>);
  datasetCheck = $derived(fieldFromText(fieldAt('dataset'), this.dataset));
  nameCheck = $derived(this.name.trim() === '' ? null : verdict(Name, this.name));
  tagsCheck = $derived(tagsFromText(this.tags));

  /** The model's typed fields that apply: a gate's parameters only with that gate. */
  modelFields = $derived(MODEL_FIELDS.filter((f) => f.gate === undefined || f.gate === this.gate));
  /** Every typed field that applies, sent with the config. */
  shown = $derived([...this.modelFields, ...TRAINING_FIELDS]);

  /** The message to show next to a field, or null. */
  error(field: ConfigPath | 'name' | 'tags'): string | null {
    const c = field === 'dataset' ? this.datasetCheck : field === 'name' ? this.nameCheck : field === 'tags' ? this.tagsCheck : this.checks[field];
    return c && !c.ok ? c.error : null;
  }

  valid = $derived(this.datasetCheck.ok && this.nameCheck?.ok !== false && this.tagsCheck.ok && this.shown.every((f) => this.checks[f.path].ok));

  /** The config to send (all shown fields), or null when a field is invalid. */
  patch(): ConfigPatch | null {
    if (!this.valid) return null;
    const value = (p: ConfigPath) => (this.checks[p] as { value: string | number }).value;
    return patchOf([
      ['dataset', this.dataset],
      ['gate', this.gate],
      ...this.shown.map((f) => [f.path, value(f.path)] as const),
    ]);
  }

  /** Name and tags as the api wants them (absent when empty). */
  labels(): { name?: string; tags?: string[] } {
    const tags = this.tagsCheck.ok ? this.tagsCheck.value : [];
    return { ...(this.name.trim() !== '' ? { name: this.name } : {}), ...(tags.length > 0 ? { tags } : {}) };
  }
}
