// A training configuration of either family as typed into a form: every field of the family's
// table as text, its verdict derived as the user types (fieldFromText: the very check of the
// `train` flags), and the patch to send only when every shown field is valid. Fields, labels,
// help and defaults come from the field table (TRAIN_FIELDS or LM_FIELDS).
import type { ApiInput, GateName } from '../../../../src-main/common/contract';
import { LM_FIELDS, lmShapeProblem } from '../../../../src-main/common/lm-fields';
import { configValue } from '../../../../src-main/common/run-fields';
import { Name, verdict, type Checked } from '../../../../src-main/common/rules';
import { defaultsOf, patchOf, type GridKey } from '../../../../src-main/common/train-config';
import { fieldFromText, TRAIN_FIELDS, type ChoiceField, type TrainField } from '../../../../src-main/common/train-fields';
import { tagsFromText } from './lists';

export type ConfigPatch = NonNullable<ApiInput<'train.start'>['config']>;
export type Family = 'classifier' | 'lm';
type Group = TrainField<string>['group'];

export const FAMILY_LABELS: Record<Family, string> = { classifier: 'GLU classifier', lm: 'language model' };

/** The family's field table. */
export const fieldsOfFamily = (family: Family): readonly TrainField<string>[] => (family === 'lm' ? LM_FIELDS : TRAIN_FIELDS);

/** What an empty field means, where empty is allowed. */
const EMPTY_MEANS: Record<string, string> = { tokenizer: 'empty: train a BPE on the corpus' };

// the data (dataset or corpus) has a picker of its own, the gate a select that decides which
// parameters show, and the execution provider is the settings' (system)
const isTyped = (f: TrainField<string>) => f.kind !== 'dataset' && f.kind !== 'corpus' && f.path !== 'gate' && f.group !== 'system';

export class ConfigForm {
  readonly family: Family;
  readonly table: readonly TrainField<string>[];
  /** the gate's select */
  readonly gateField: ChoiceField<string>;
  /** the data field: a classifier's dataset, a language model's corpus */
  readonly dataField: TrainField<string>;
  /** the fields typed as text or chosen from a list, in table order */
  readonly typed: readonly TrainField<string>[];
  dataset: string;
  gate: GateName;
  text: Record<string, string>;
  name = $state('');
  tags = $state('');
  checks: Record<string, Checked<string | number>>;
  datasetCheck: Checked<string | number>;
  nameCheck = $derived(this.name.trim() === '' ? null : verdict(Name, this.name));
  tagsCheck = $derived(tagsFromText(this.tags));
  /** a language model's heads must split d_model into even head widths (judged once both are numbers) */
  shapeProblem: string | null;
  /** the model's typed fields that apply: a gate's parameters only with that gate */
  modelFields: TrainField<string>[];
  /** every typed field that applies, sent with the config */
  shown: TrainField<string>[];
  valid: boolean;

  // fields made from the family's table are set here, where the family is known
  constructor(family: Family = 'classifier') {
    const defaults = defaultsOf(family);
    this.family = family;
    this.table = fieldsOfFamily(family);
    this.gateField = this.table.find((f) => f.path === 'gate') as ChoiceField<string>;
    this.dataField = this.table.find((f) => f.kind === 'dataset' || f.kind === 'corpus')!;
    this.typed = this.table.filter(isTyped);
    this.dataset = $state(defaults.dataset);
    this.gate = $state(defaults.gate);
    this.text = $state(Object.fromEntries(this.typed.map((f) => [f.path, String(configValue(defaults, f.path))])));
    this.checks = $derived(Object.fromEntries(this.typed.map((f) => [f.path, fieldFromText(f, this.text[f.path])])));
    this.datasetCheck = $derived(fieldFromText(this.dataField, this.dataset));
    this.shapeProblem = $derived.by(() => {
      const heads = this.checks.heads;
      const width = this.checks.d_model;
      if (this.family !== 'lm' || !heads?.ok || !width?.ok) return null;
      return lmShapeProblem({ heads: Number(heads.value), d_model: Number(width.value) });
    });
    this.modelFields = $derived(this.fieldsIn('model'));
    this.shown = $derived(this.typed.filter((f) => f.gate === undefined || f.gate === this.gate));
    this.valid = $derived(this.datasetCheck.ok && this.nameCheck?.ok !== false && this.tagsCheck.ok && this.shapeProblem === null && this.shown.every((f) => this.checks[f.path].ok));
  }

  /** The typed fields of a group that apply: a gate's parameters only with that gate. */
  fieldsIn(group: Group): TrainField<string>[] {
    return this.typed.filter((f) => f.group === group && (f.gate === undefined || f.gate === this.gate));
  }

  /** The message to show next to a field, or null. */
  error(field: string): string | null {
    const c = field === 'dataset' ? this.datasetCheck : field === 'name' ? this.nameCheck : field === 'tags' ? this.tagsCheck : this.checks[field];
    if (c && !c.ok) return c.error;
    return field === 'heads' || field === 'd_model' ? this.shapeProblem : null;
  }

  /** The placeholder of a field that may be left empty, saying what empty means. */
  placeholder(field: string): string | undefined {
    return EMPTY_MEANS[field];
  }

  /** The config to send (all shown fields; a language model's says its family), or null when a field is invalid. */
  patch(): ConfigPatch | null {
    if (!this.valid) return null;
    const value = (p: string) => (this.checks[p] as { value: string | number }).value;
    const patch = patchOf([
      ['dataset', this.dataset],
      ['gate', this.gate],
      ...this.shown.map((f) => [f.path as GridKey, value(f.path)] as const),
    ]);
    return this.family === 'lm' ? { family: 'lm', ...patch } : patch;
  }

  /** Name and tags as the api wants them (absent when empty). */
  labels(): { name?: string; tags?: string[] } {
    const tags = this.tagsCheck.ok ? this.tagsCheck.value : [];
    return { ...(this.name.trim() !== '' ? { name: this.name } : {}), ...(tags.length > 0 ? { tags } : {}) };
  }
}
