// Where a new sweep's runs train: here, or on Slurm when this machine can submit there (what
// system.slurm detected). The fields are text, checked by the contract's own executor schema, so
// the form says what the api would.
import { SlurmExecutorSchema, type Api, type Executor, type ExecutorKind, type SlurmInfo } from '../../../../src-main/common/contract';

const NUMBER_KEYS = new Set(['cpusPerTask', 'gpusPerTask', 'maxParallel']);

export class ExecutorForm {
  info = $state<SlurmInfo | null>(null);
  kind = $state<ExecutorKind>('local');
  partition = $state('');
  time = $state('');
  cpusPerTask = $state('');
  mem = $state('');
  gpusPerTask = $state('');
  maxParallel = $state('');

  async load(api: Api): Promise<void> {
    try {
      this.info = await api.call('system.slurm', {});
    } catch {
      this.info = null; // a server without the call: local only
    }
    this.partition ||= this.info?.partitions.find((p) => p.default)?.name ?? '';
  }

  /** The executor as the api takes it, or the first problem of each field. */
  readonly checked = $derived.by((): { ok: true; value: Executor | undefined } | { ok: false; errors: Record<string, string> } => {
    if (this.kind === 'local') return { ok: true, value: undefined };
    const raw: Record<string, unknown> = { kind: 'slurm' };
    const fields = { partition: this.partition, time: this.time, cpusPerTask: this.cpusPerTask, mem: this.mem, gpusPerTask: this.gpusPerTask, maxParallel: this.maxParallel };
    for (const [k, v] of Object.entries(fields)) if (v.trim() !== '') raw[k] = NUMBER_KEYS.has(k) && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v.trim();
    const r = SlurmExecutorSchema.safeParse(raw);
    if (r.success) return { ok: true, value: r.data };
    return { ok: false, errors: Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message])) };
  });

  error(key: string): string | null {
    return this.checked.ok ? null : (this.checked.errors[key] ?? null);
  }
}
