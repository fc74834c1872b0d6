// Text sampled from a language-model run, as asked on its page: the prompt and the sampling
// settings as typed, each judged by the contract's GENERATE rules as it is typed; the result,
// or the refusal, of `runs.generate`.
import { GENERATE, type Api, type ApiOutput } from '../../../../src-main/common/contract';
import { numberFromText, type Checked } from '../../../../src-main/common/rules';

const SETTINGS = ['maxTokens', 'temperature', 'topK', 'seed'] as const;
type Setting = (typeof SETTINGS)[number];

export const SETTING_LABELS: Record<Setting, string> = { maxTokens: 'max tokens', temperature: 'temperature', topK: 'top-k (0: all)', seed: 'seed' };

export class GenerateForm {
  prompt = $state('Once upon a time');
  text = $state<Record<Setting, string>>(Object.fromEntries(SETTINGS.map((k) => [k, String(GENERATE.defaults[k])])) as Record<Setting, string>);
  checks = $derived(Object.fromEntries(SETTINGS.map((k) => [k, numberFromText(GENERATE[k], this.text[k])])) as Record<Setting, Checked<number>>);
  promptError = $derived(this.prompt === '' ? 'must not be empty' : this.prompt.length > GENERATE.prompt.maxChars ? `at most ${GENERATE.prompt.maxChars} characters` : null);
  valid = $derived(this.promptError === null && SETTINGS.every((k) => this.checks[k].ok));
  result = $state.raw<ApiOutput<'runs.generate'> | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  constructor(
    private readonly api: Api,
    readonly id: number,
  ) {}

  readonly settings = SETTINGS;

  settingError(k: Setting): string | null {
    const c = this.checks[k];
    return c.ok ? null : c.error;
  }

  /** Asks the run for a continuation; its refusal (no weights yet, a classifier) is shown as the error. */
  async generate(): Promise<void> {
    if (!this.valid || this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      const value = (k: Setting) => (this.checks[k] as { value: number }).value;
      this.result = await this.api.call('runs.generate', { id: this.id, prompt: this.prompt, maxTokens: value('maxTokens'), temperature: value('temperature'), topK: value('topK'), seed: value('seed') });
    } catch (e) {
      this.result = null;
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }
}
