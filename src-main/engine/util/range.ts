// A closed or half-open range of numbers, as the train config's fields and the gates' parameters
// declare them. Plain data, so every layer can state it and check against it.

export interface NumberRange {
  integer?: boolean;
  min: number;
  /** true: the value must be > min; otherwise ≥ min */
  above?: boolean;
  max?: number;
}

/** "an integer from 1 to 4", "a number > 0" */
export function describeRange(r: NumberRange): string {
  const kind = r.integer ? 'an integer' : 'a number';
  if (r.max !== undefined) return `${kind} from ${r.min} to ${r.max}`;
  return `${kind} ${r.above ? '>' : '>='} ${r.min}`;
}

/** What is wrong with `v` for `r`, or null: non-finite numbers are out of range. */
export function rangeProblem(r: NumberRange, v: number): 'out of range' | 'not an integer' | null {
  if (!Number.isFinite(v)) return 'out of range';
  if (r.integer && !Number.isSafeInteger(v)) return 'not an integer';
  const low = r.above ? v <= r.min : v < r.min;
  return low || (r.max !== undefined && v > r.max) ? 'out of range' : null;
}
