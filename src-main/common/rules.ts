// The rules for what a person types or sends: tags, run names, notes, run ids, folder paths, and
// numbers within a range. Each rule is written once, as a zod schema with its message, and used
// by the api contract, the store, the command line and the renderer's forms alike, so all four
// give the same verdict in the same words. Node-free: the renderer bundles it.
import { describeRange, rangeProblem, type NumberRange } from '../engine/util/range';
import { z } from './zod';

export { describeRange, type NumberRange };

/** A verdict on one value: the value to use, or why there is none. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };
export const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
export const refuse = <T>(error: string): Checked<T> => ({ ok: false, error });

/** "config.lr: 0 is out of range: must be a number > 0; tags.0: …": each issue named by its field. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
}

/** A schema's verdict on `input`: its value, or its first message. */
export function verdict<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const r = schema.safeParse(input);
  return r.success ? accept(r.data) : refuse(r.error.issues[0].message);
}

// C0 and C1 control characters; notes may still hold newlines and tabs.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_IN_NOTE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Length in characters (code points), as SQLite's length() counts them. */
const chars = (s: string): number => [...s].length;

/** A value as a message shows it: text in single quotes (control characters blanked, long text cut), anything else as JSON (long JSON cut). */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    const cut = chars(value) > 40 ? [...value].slice(0, 40).join('') : value;
    return `'${cut.replace(CONTROL_ALL, ' ')}'${cut === value ? '' : '…'}`;
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return String(value);
  let json: string;
  try {
    // JSON writes Infinity and NaN (1e400 once parsed) as null: a message must say what was sent
    json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `${MARK}${v}` : typeof v === 'bigint' ? `${MARK}${v}n` : v)).replace(MARKED, '$1');
  } catch {
    return Array.isArray(value) ? 'a list' : 'an object'; // a cycle (IPC's structured clone allows them)
  }
  return chars(json) > 60 ? `${[...json].slice(0, 60).join('')}…` : json;
}
/** Stands for a value JSON cannot write, then replaced by its own text. */
const MARK = '\u0000';
const MARKED = /"\\u0000(-?Infinity|NaN|-?\d+n)"/g;

// ---------------------------------------------------------------- numbers

/** A finite number within `range`; "must be <range>" ends every message. */
export function ruledNumber(range: NumberRange): z.ZodType<number, number> {
  const must = `must be ${describeRange(range)}`;
  return z
    .number({
      error: (iss) =>
        iss.input === undefined ? `required: ${must}` : typeof iss.input === 'number' ? `${iss.input} is not a finite number: ${must}` : `${quote(iss.input)} is not a number: ${must}`,
    })
    .superRefine((v, ctx) => {
      const problem = rangeProblem(range, v);
      if (problem) ctx.addIssue({ code: 'custom', message: `${v} is ${problem}: ${must}` });
    });
}

// Plain decimal numbers only: Number() would also take '', '0x10', 'Infinity' and ' 1 '.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number typed as text (a flag's value, a form field): "1e-3" → 0.001; the messages of `ruledNumber`. */
export function numberFromText(range: NumberRange, text: string): Checked<number> {
  const must = `must be ${describeRange(range)}`;
  if (!DECIMAL.test(text)) return refuse(`${quote(text)} is not a number: ${must}`);
  const v = Number(text);
  if (!Number.isFinite(v)) return refuse(`${text} is not a finite number: ${must}`);
  const problem = rangeProblem(range, v);
  return problem ? refuse(`${text} is ${problem}: ${must}`) : accept(v);
}

// ---------------------------------------------------------------- choices

/** One of `values`, exactly as written. */
export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (iss) => `${iss.input === undefined ? 'missing' : quote(iss.input)} is not one of ${values.join(', ')}` });
}

// ---------------------------------------------------------------- text

/** Text of 1 to `max` characters without control characters; the first problem is the message. */
function text(max: number, control: RegExp, trimmed = false) {
  const must = `must be 1 to ${max} characters`;
  return z.string({ error: `must be text of 1 to ${max} characters` }).superRefine((s, ctx) => {
    const problem =
      s.trim() === ''
        ? `${quote(s)} is empty: ${must}`
        : chars(s) > max
          ? `${quote(s)} is too long (${chars(s)} characters): ${must}`
          : control.test(s)
            ? `${quote(s)} contains control characters`
            : trimmed && s.trim() !== s
              ? `${quote(s)} starts or ends with spaces`
              : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

export const MAX_TAG = 64;
export const MAX_NAME = 200;
export const MAX_NOTE = 10_000;
export const MAX_TAGS = 32;

/** A tag: 1 to 64 characters, no control characters, no leading or trailing spaces (it could be neither found nor removed). */
export const Tag = text(MAX_TAG, CONTROL, true);
/** A run's (or a sweep's, or a dataset's) name. */
export const Name = text(MAX_NAME, CONTROL);
/** A note: newlines and tabs allowed. */
export const NoteBody = text(MAX_NOTE, CONTROL_IN_NOTE);
export const Tags = z.array(Tag).max(MAX_TAGS, { error: `at most ${MAX_TAGS} tags` });

// ---------------------------------------------------------------- ids, paths, counts

export const RUN_ID: NumberRange = { integer: true, min: 1 };
export const RunId = ruledNumber(RUN_ID);

/** How many runs train at once. */
export const CONCURRENCY: NumberRange = { integer: true, min: 1, max: 64 };
export const Concurrency = ruledNumber(CONCURRENCY);

/** An absolute folder path on any platform: /…, C:\…, C:/… or \\server\share. */
export const AbsolutePath = z.string({ error: 'must be a folder path' }).superRefine((s, ctx) => {
  const problem = !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(s) ? `${quote(s)} is not an absolute folder path` : s.includes('\0') ? `${quote(s)} contains NUL` : null;
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
