// The datasets a form offers (datasets.list) and importing a folder of IDX files: the server
// loads the folder as training would and refuses it with the reason, which is shown as is. Which
// folder is the host's choice (system.host): the desktop app's folder dialog, or in a browser a
// folder typed under the roots the server was started with (serve --data-root).
import type { Api, DatasetInfo, HostInfo } from '../../../../src-main/common/contract';
import { AbsolutePath, verdict } from '../../../../src-main/common/rules';

export class DatasetCatalog {
  list = $state.raw<DatasetInfo[]>([]);
  host = $state.raw<HostInfo | null>(null);
  error = $state<string | null>(null);
  importError = $state<string | null>(null);
  importing = $state(false);

  constructor(private readonly api: Api) {}

  async load(): Promise<void> {
    try {
      [this.list, this.host] = await Promise.all([this.api.call('datasets.list', {}), this.host ?? this.api.call('system.host', {})]);
      this.error = null;
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** The imported dataset's spec, or null (importError says why). */
  async import(path: string): Promise<string | null> {
    const p = verdict(AbsolutePath, path.trim());
    if (!p.ok) {
      this.importError = `path: ${p.error}`;
      return null;
    }
    return this.send({ path: p.value });
  }

  /** Imports the folder chosen in the host's dialog: its spec, or null (cancelled, or importError says why). */
  choose(): Promise<string | null> {
    return this.send({});
  }

  private async send(input: { path?: string }): Promise<string | null> {
    this.importing = true;
    try {
      const info = await this.api.call('datasets.import', input);
      this.importError = null;
      if (!info) return null;
      await this.load();
      return info.spec;
    } catch (e) {
      this.importError = (e as Error).message;
      return null;
    } finally {
      this.importing = false;
    }
  }
}

/** "MNIST digits (bundled) · 8,000 train / 2,000 test · 28×28" */
export function describeDataset(d: DatasetInfo): string {
  const sizes = d.trainN !== null && d.testN !== null ? ` · ${d.trainN.toLocaleString('en')} train / ${d.testN.toLocaleString('en')} test` : '';
  const shape = d.imageShape ? ` · ${d.imageShape[0]}×${d.imageShape[1]}` : '';
  return `${d.name}${sizes}${shape}`;
}
