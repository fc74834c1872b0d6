// A sweep's grid as typed into a form: axes of (key, "values, comma separated"), each axis's
// error, and the number of runs the grid creates (their product), all derived as the user types.
// The grid as a whole is judged by the contract's own sweep.start schema, over a base config of
// the form's model family, whose field table also gives the keys it may vary.
import { SweepStartInput, type ApiInput, type GridKey } from '../../../../src-main/common/contract';
import { fieldsOfFamily, type Family } from './config-form.svelte';
import { accept, CONCURRENCY, numberFromText, refuse, verdict, type Checked } from '../../../../src-main/common/rules';
import { gridValuesFromText } from './lists';

export interface Axis {
  key: GridKey;
  text: string;
}

type Axes = ApiInput<'sweep.start'>['axes'];

const FIRST: Axis = { key: 'seed', text: '0, 1' };
/** keys offered first when an axis is added, in this order */
const LIKELY = ['lr', 'wd', 'gate', 'noise', 'd', 'h', 'd_model', 'd_hidden', 'layers'];

export class GridForm {
  axes = $state<Axis[]>([{ ...FIRST }]);
  #family = $state<Family>('classifier');
  /** '' = the settings' concurrency */
  concurrency = $state('');

  /** the keys the family's config has */
  keys = $derived(fieldsOfFamily(this.#family).map((f) => f.path as GridKey));
  checks = $derived(this.axes.map((a) => gridValuesFromText(a.key, a.text, this.#family)));
  /** the run count, or why sweep.start would refuse the grid (a repeated key, too many runs) */
  size = $derived.by((): Checked<number> => {
    // an axis whose values are not valid yet counts as none; its own error says why
    const axes = this.axes.flatMap((a, i) => {
      const c = this.checks[i];
      return c.ok ? [{ key: a.key, values: c.value }] : [];
    });
    if (axes.length === 0 && this.axes.length > 0) return accept(0);
    const v = verdict(SweepStartInput, { ...(this.#family === 'lm' ? { base: { family: 'lm' as const } } : {}), axes });
    return v.ok ? accept(axes.reduce((n, a) => n * a.values.length, 1)) : refuse(v.error);
  });
  concurrencyCheck = $derived<Checked<number> | null>(this.concurrency === '' ? null : numberFromText(CONCURRENCY, this.concurrency));

  /** "2 runs", or why the grid is refused. */
  get preview(): string {
    if (!this.size.ok) return this.size.error;
    if (this.checks.some((c) => !c.ok)) return 'fix the values above';
    return `${this.size.value} run${this.size.value === 1 ? '' : 's'}`;
  }

  get family(): Family {
    return this.#family;
  }

  /** Another family's base config: the grid starts again from its first axis, whose key every family has. */
  set family(f: Family) {
    if (f === this.#family) return;
    this.#family = f;
    this.axes = [{ ...FIRST }];
  }

  get valid(): boolean {
    return this.size.ok && this.checks.every((c) => c.ok) && this.concurrencyCheck?.ok !== false;
  }

  axisError(i: number): string | null {
    const c = this.checks[i];
    return c && !c.ok ? c.error : null;
  }

  add(): void {
    const used = new Set(this.axes.map((a) => a.key));
    const key = [...LIKELY.filter((k) => this.keys.includes(k as GridKey)), ...this.keys].find((k) => !used.has(k as GridKey)) as GridKey;
    this.axes.push({ key, text: '' });
  }

  remove(i: number): void {
    this.axes.splice(i, 1);
  }

  /** What sweep.start takes, or null when something is invalid. */
  toInput(): { axes: Axes; concurrency?: number } | null {
    if (!this.valid) return null;
    const axes = this.axes.map((a, i) => ({ key: a.key, values: (this.checks[i] as { value: (string | number)[] }).value }));
    const c = this.concurrencyCheck;
    return { axes, ...(c?.ok ? { concurrency: c.value } : {}) };
  }
}
