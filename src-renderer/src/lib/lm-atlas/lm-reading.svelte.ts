// What the language-model atlas page reads of one run: its shape (lm.info) once, and the spectrum
// of the chosen layer and output direction, asked again whenever either changes (an older answer
// arriving late is dropped). Features, explanations and comparisons are each their own Latest in
// the component that shows them.
import type { Api, LmInfo, LmSpectrum, LmToken } from '../../../../src-main/common/contract';
import type { Provenance } from '../../../../src-main/common/figures/figure';
import { APP_VERSION } from '../../../../src-main/common/version';
import { Latest } from '../atlas/request.svelte';

export class LmReading {
  readonly info = new Latest<LmInfo>();
  readonly spectrum = new Latest<LmSpectrum>();

  constructor(
    private readonly api: Api,
    readonly id: number,
  ) {}

  load(): void {
    void this.info.run(() => this.api.call('lm.info', { id: this.id }));
  }

  read(layer: number, direction: string): void {
    void this.spectrum.run(() => this.api.call('lm.spectrum', { id: this.id, layer, direction }));
  }

  /** The spectrum when it is the one asked for (not a stale one of another layer or direction). */
  spectrumOf(layer: number, direction: string): LmSpectrum | null {
    const s = this.spectrum.value;
    return s && s.layer === layer && s.direction.spec === direction ? s : null;
  }
}

/** What the screen passes the figure builders: the provenance an exported figure would carry (the screen shows none). */
export function lmProvenance(info: { runId: number; gate: string }): Provenance {
  return { run_id: String(info.runId), run_dir: '', gate: info.gate, config: null, app_version: APP_VERSION };
}

/** The direction a search match is read as: a word-start token by its word ("dog" for ▁dog), any other by its piece. */
export const directionOfToken = (t: LmToken): string => (t.text.startsWith(' ') && t.text.trim() !== '' ? t.text.trim() : t.token);
