// A sweep's grid as typed into a form: axes of (key, "values, comma separated"), each axis's
// error, and the number of runs the grid creates (their product), all derived as the user types.
// The grid as a whole is judged by the contract's own sweep.start schema.
import { SweepStartInput, type ApiInput, type GridKey } from '../../../../src-main/common/contract';
import { accept, CONCURRENCY, numberFromText, refuse, verdict, type Checked } from '../../../../src-main/common/rules';
import { gridValuesFromText } from './lists';

export interface Axis {
  key: GridKey;
  text: string;
}

type Axes = ApiInput<'sweep.start'>['axes'];

export class GridForm {
  axes = $state<Axis[]>([{ key: 'seed', text: '0, 1' }]);
  /** '' = the settings' concurrency */
  concurrency = $state('');

  checks = $derived(this.axes.map((a) => gridValuesFromText(a.key, a.text)));
  /** the run count, or why sweep.start would refuse the grid (a repeated key, too many runs) */
  size = $derived.by((): Checked<number> => {
    // an axis whose values are not valid yet counts as none; its own error says why
    const axes = this.axes.flatMap((a, i) => {
      const c = this.checks[i];
      return c.ok ? [{ key: a.key, values: c.value }] : [];
    });
    if (axes.length === 0 && this.axes.length > 0) return accept(0);
    const v = verdict(SweepStartInput, { axes });
    return v.ok ? accept(axes.reduce((n, a) => n * a.values.length, 1)) : refuse(v.error);
  });
  concurrencyCheck = $derived<Checked<number> | null>(this.concurrency === '' ? null : numberFromText(CONCURRENCY, this.concurrency));

  /** "2 runs", or why the grid is refused. */
  get preview(): string {
    if (!this.size.ok) return this.size.error;
    if (this.checks.some((c) => !c.ok)) return 'fix the values above';
    return `${this.size.value} run${this.size.value === 1 ? '' : 's'}`;
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
    const key = (['lr', 'wd', 'gate', 'noise', 'd', 'h'] as const).find((k) => !used.has(k)) ?? 'epochs';
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
