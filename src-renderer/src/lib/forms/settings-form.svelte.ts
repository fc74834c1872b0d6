// The settings as a form: loaded from settings.get, checked as typed, and only the changed
// fields sent to settings.set. The execution providers come with what this machine detected.
import type { Api, ExecutionProvider, Settings } from '../../../../src-main/shared/contract';
import { AbsolutePath, CONCURRENCY, numberFromText, verdict } from '../../../../src-main/shared/rules';

export class SettingsForm {
  saved = $state.raw<Settings | null>(null);
  workspaceDir = $state('');
  executionProvider = $state<ExecutionProvider>('cpu');
  concurrency = $state('1');
  available = $state.raw<ExecutionProvider[]>([]);
  known = $state.raw<readonly ExecutionProvider[]>([]);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  busy = $state(false);

  dirCheck = $derived(verdict(AbsolutePath, this.workspaceDir.trim()));
  concurrencyCheck = $derived(numberFromText(CONCURRENCY, this.concurrency));
  valid = $derived(this.dirCheck.ok && this.concurrencyCheck.ok);

  constructor(private readonly api: Api) {}

  async load(): Promise<void> {
    try {
      const [settings, eps] = await Promise.all([this.api.call('settings.get', {}), this.api.call('system.executionProviders', {})]);
      this.available = eps.available;
      this.known = eps.known;
      this.show(settings);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private show(s: Settings): void {
    this.saved = s;
    this.workspaceDir = s.workspaceDir;
    this.executionProvider = s.executionProvider;
    this.concurrency = String(s.concurrency);
  }

  /** Sends the changed fields; false when a field is invalid (nothing is sent). */
  async save(): Promise<boolean> {
    this.notice = null;
    if (!this.valid || !this.saved || !this.dirCheck.ok || !this.concurrencyCheck.ok) return false;
    const patch: Partial<Settings> = {};
    if (this.dirCheck.value !== this.saved.workspaceDir) patch.workspaceDir = this.dirCheck.value;
    if (this.executionProvider !== this.saved.executionProvider) patch.executionProvider = this.executionProvider;
    if (this.concurrencyCheck.value !== this.saved.concurrency) patch.concurrency = this.concurrencyCheck.value;
    this.busy = true;
    try {
      this.show(await this.api.call('settings.set', patch));
      this.error = null;
      this.notice = Object.keys(patch).length === 0 ? 'Nothing changed.' : 'Saved.';
      return true;
    } catch (e) {
      this.error = (e as Error).message;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
