// What a dataset spec says, read in one place: `digits`, `fashion-mnist` or `idx:<dir>`, as given
// to the CLI, sent by the UI and stored with every run. Node-free: the contract's schema wraps it.

export type DatasetSpec = { kind: 'digits' } | { kind: 'fashion-mnist' } | { kind: 'idx'; dir: string };

export const DATASET_SPEC_FORMS = ['digits', 'fashion-mnist', 'idx:<dir>'] as const;

const IDX = 'idx:';
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const quote = (s: string): string => `'${s.replace(new RegExp(CONTROL, 'g'), ' ')}'`;

/** The spec's meaning, or why it has none; whether the data is there is the loader's question. */
export function parseDatasetSpec(text: string): { ok: true; value: DatasetSpec } | { ok: false; error: string } {
  if (text === 'digits' || text === 'fashion-mnist') return { ok: true, value: { kind: text } };
  if (!text.startsWith(IDX)) return { ok: false, error: `${quote(text)} is not one of ${DATASET_SPEC_FORMS.join(', ')}` };
  const dir = text.slice(IDX.length);
  if (dir.trim() === '') return { ok: false, error: `${quote(text)} names no folder: write idx:<dir>` };
  if (CONTROL.test(dir)) return { ok: false, error: `${quote(text)} contains control characters` };
  return { ok: true, value: { kind: 'idx', dir } };
}

/** The spec as text, e.g. for a folder just imported. */
export function datasetSpecText(spec: DatasetSpec): string {
  return spec.kind === 'idx' ? `${IDX}${spec.dir}` : spec.kind;
}
