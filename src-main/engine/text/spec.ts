// What a text corpus spec says, read in one place: `stories`, `tinystories` or `text:<file|dir>`,
// as given to the CLI, sent by the UI and stored with every language-model run. Node-free: the
// renderer's form checks what is typed with it.

export type TextSpec = { kind: 'stories' } | { kind: 'tinystories' } | { kind: 'text'; path: string };

export const TEXT_SPEC_FORMS = ['stories', 'tinystories', 'text:<file|dir>'] as const;

/** The corpus a language-model run reads when none is named. */
export const DEFAULT_TEXT_SPEC = 'stories';

const TEXT = 'text:';
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const quote = (s: string): string => `'${s.replace(new RegExp(CONTROL, 'g'), ' ')}'`;

/** The spec's meaning, or why it has none; whether the files are there is the reader's question. */
export function parseTextSpec(text: string): { ok: true; value: TextSpec } | { ok: false; error: string } {
  if (text === 'stories' || text === 'tinystories') return { ok: true, value: { kind: text } };
  if (!text.startsWith(TEXT)) return { ok: false, error: `${quote(text)} is not one of ${TEXT_SPEC_FORMS.join(', ')}` };
  const path = text.slice(TEXT.length);
  if (path.trim() === '') return { ok: false, error: `${quote(text)} names no file or folder: write text:<file|dir>` };
  if (CONTROL.test(path)) return { ok: false, error: `${quote(text)} contains control characters` };
  return { ok: true, value: { kind: 'text', path } };
}

/** The spec as text, e.g. to store with a run. */
export function textSpecText(spec: TextSpec): string {
  return spec.kind === 'text' ? `${TEXT}${spec.path}` : spec.kind;
}
