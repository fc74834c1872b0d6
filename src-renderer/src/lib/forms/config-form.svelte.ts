// A training configuration as typed into a form: every field as text, its error derived as the
// user types, and the patch to send only when every field is valid. Defaults: the reference
// configuration (reference.ts).
import type { ApiInput, GateName } from '../../../../src-main/shared/contract';
import { REFERENCE } from './reference';
import { checkDataset, checkTags, checkText, checkNumber, RULES, type Checked, type NumericKey } from './validate';

/** The numeric fields in the order a form shows them, with their labels. */
export const NUMERIC_FIELDS: readonly { key: NumericKey; label: string; hint?: string }[] = [
  { key: 'd', label: 'd', hint: 'embedding width' },
  { key: 'h', label: 'h', hint: 'hidden (GLU) width' },
  { key: 'layers', label: 'layers' },
  { key: 'epochs', label: 'epochs' },
  { key: 'batch', label: 'batch' },
  { key: 'lr', label: 'learning rate' },
  { key: 'wd', label: 'weight decay' },
  { key: 'noise', label: 'input noise' },
  { key: 'warmup', label: 'warm-up steps' },
  { key: 'seed', label: 'seed' },
];
export const SQS_FIELDS: readonly { key: NumericKey; label: string }[] = [
  { key: 'sqs.c', label: 'c' },
  { key: 'sqs.lambda', label: 'λ' },
  { key: 'sqs.p', label: 'p' },
];

export type ConfigPatch = NonNullable<ApiInput<'train.start'>['config']>;

const initialText = (): Record<NumericKey, string> => ({
  'sqs.c': String(REFERENCE.sqs.c),
  'sqs.lambda': String(REFERENCE.sqs.lambda),
  'sqs.p': String(REFERENCE.sqs.p),
  d: String(REFERENCE.d),
  h: String(REFERENCE.h),
  layers: String(REFERENCE.layers),
  epochs: String(REFERENCE.epochs),
  batch: String(REFERENCE.batch),
  lr: String(REFERENCE.lr),
  wd: String(REFERENCE.wd),
  noise: String(REFERENCE.noise),
  warmup: String(REFERENCE.warmup),
  seed: String(REFERENCE.seed),
});

export class ConfigForm {
  dataset = $state(REFERENCE.dataset);
  gate = $state<GateName>(REFERENCE.gate);
  text = $state(initialText());
  name = $state('');
  tags = $state('');

  numbers = $derived(Object.fromEntries(Object.entries(this.text).map(([k, t]) => [k, checkNumber(RULES[k as NumericKey], t)])) as Record<NumericKey, Checked<number>>);
  datasetCheck = $derived(checkDataset(this.dataset));
  nameCheck = $derived(this.name.trim() === '' ? null : checkText(this.name, 200));
  tagsCheck = $derived(checkTags(this.tags));

  /** The message to show next to a field, or null. */
  error(field: NumericKey | 'dataset' | 'name' | 'tags'): string | null {
    const c = field === 'dataset' ? this.datasetCheck : field === 'name' ? this.nameCheck : field === 'tags' ? this.tagsCheck : this.numbers[field];
    return c && !c.ok ? c.error : null;
  }

  /** Fields the form shows: the gate's parameters only for sqs. */
  private shown(): NumericKey[] {
    return [...NUMERIC_FIELDS.map((f) => f.key), ...(this.gate === 'sqs' ? SQS_FIELDS.map((f) => f.key) : [])];
  }

  valid = $derived(this.datasetCheck.ok && this.nameCheck?.ok !== false && this.tagsCheck.ok && this.shown().every((k) => this.numbers[k].ok));

  /** The config to send (all shown fields), or null when a field is invalid. */
  patch(): ConfigPatch | null {
    if (!this.valid) return null;
    const v = (k: NumericKey) => (this.numbers[k] as { value: number }).value;
    return {
      dataset: this.dataset,
      gate: this.gate,
      ...(this.gate === 'sqs' ? { sqs: { c: v('sqs.c'), lambda: v('sqs.lambda'), p: v('sqs.p') } } : {}),
      d: v('d'),
      h: v('h'),
      layers: v('layers'),
      epochs: v('epochs'),
      batch: v('batch'),
      lr: v('lr'),
      wd: v('wd'),
      noise: v('noise'),
      warmup: v('warmup'),
      seed: v('seed'),
    };
  }

  /** Name and tags as the api wants them (absent when empty). */
  labels(): { name?: string; tags?: string[] } {
    const tags = this.tagsCheck.ok ? this.tagsCheck.value : [];
    return { ...(this.name.trim() !== '' ? { name: this.name } : {}), ...(tags.length > 0 ? { tags } : {}) };
  }
}
