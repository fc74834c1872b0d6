// A sweep's grid as typed into a form: axes of (key, "values, comma separated"), each axis's
// error, and the number of runs the grid creates (their product), all derived as the user types.
import type { ApiInput, GridKey } from '../../../../src-main/shared/contract';
import { checkGridSize, checkGridValues, checkNumber, CONCURRENCY, type Checked } from './validate';

export interface Axis {
  key: GridKey;
  text: string;
}

type Axes = ApiInput<'sweep.start'>['axes'];

export class GridForm {
  axes = $state<Axis[]>([{ key: 'seed', text: '0, 1' }]);
  /** '' = the settings' concurrency */
  concurrency = $state('');

  checks = $derived(this.axes.map((a) => checkGridValues(a.key, a.text)));
  size = $derived(checkGridSize(this.axes.map((a, i) => ({ key: a.key, count: this.checks[i].ok ? (this.checks[i] as { value: unknown[] }).value.length : 0 }))));
  concurrencyCheck = $derived<Checked<number> | null>(this.concurrency.trim() === '' ? null : checkNumber(CONCURRENCY, this.concurrency));

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
