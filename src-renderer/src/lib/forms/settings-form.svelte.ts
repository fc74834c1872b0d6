// The settings as a form: loaded from settings.get, checked as typed, and only the changed
// fields sent to settings.set. The execution providers come with what this machine detected.
// The workspace folder is shown, not typed: the desktop app switches it in its own folder dialog
// (settings.chooseWorkspace); a browser's server is restarted on another (system.host tells which).
import type { Api, ExecutionProvider, HostInfo, Settings } from '../../../../src-main/common/contract';
import { CONCURRENCY, numberFromText } from '../../../../src-main/common/rules';

export class SettingsForm {
  saved = $state.raw<Settings | null>(null);
  host = $state.raw<HostInfo | null>(null);
  executionProvider = $state<ExecutionProvider>('cpu');
  concurrency = $state('1');
  available = $state.raw<ExecutionProvider[]>([]);
  known = $state.raw<readonly ExecutionProvider[]>([]);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  busy = $state(false);

  concurrencyCheck = $derived(numberFromText(CONCURRENCY, this.concurrency));
  valid = $derived(this.concurrencyCheck.ok);

  constructor(private readonly api: Api) {}

  async load(): Promise<void> {
    try {
      const [settings, eps, host] = await Promise.all([this.api.call('settings.get', {}), this.api.call('system.executionProviders', {}), this.api.call('system.host', {})]);
      this.available = eps.available;
      this.known = eps.known;
      this.host = host;
      this.show(settings);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private show(s: Settings): void {
    this.saved = s;
    this.executionProvider = s.executionProvider;
    this.concurrency = String(s.concurrency);
  }

  /** Sends the changed fields; false when a field is invalid (nothing is sent). */
  async save(): Promise<boolean> {
    this.notice = null;
    if (!this.saved || !this.concurrencyCheck.ok) return false;
    const patch: { executionProvider?: ExecutionProvider; concurrency?: number } = {};
    if (this.executionProvider !== this.saved.executionProvider) patch.executionProvider = this.executionProvider;
    if (this.concurrencyCheck.value !== this.saved.concurrency) patch.concurrency = this.concurrencyCheck.value;
    return this.run(async () => {
      this.show(await this.api.call('settings.set', patch));
      this.notice = Object.keys(patch).length === 0 ? 'Nothing changed.' : 'Saved.';
    });
  }

  /** Opens the host's folder dialog and switches to the workspace chosen there (nothing when cancelled). */
  async chooseWorkspace(): Promise<boolean> {
    this.notice = null;
    return this.run(async () => {
      const s = await this.api.call('settings.chooseWorkspace', {});
      if (s) this.show(s);
      this.notice = s ? 'Workspace switched.' : null;
    });
  }

  private async run(f: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    try {
      await f();
      this.error = null;
      return true;
    } catch (e) {
      this.error = (e as Error).message;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
