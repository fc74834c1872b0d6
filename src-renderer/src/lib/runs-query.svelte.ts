// The runs view's query (filters, sort, page), kept in the address bar so a view can be
// bookmarked and shared, and the page it loads from the api.
import type { Api, ListedRun } from '../../../src-main/api/contract';

export class RunsQuery {
  filterText = $state('');
  sort = $state('-id');
  rows = $state.raw<ListedRun[]>([]);
  total = $state(0);
  error = $state<string | null>(null);
  loading = $state(false);

  constructor(private readonly api: Api) {
    const p = new URLSearchParams(window.location.search);
    this.filterText = p.getAll('filter').join(' ');
    this.sort = p.get('sort') ?? '-id';
  }

  /** Space-separated expressions: `gate=sqs test_accuracy>=0.9`. */
  get filters(): string[] {
    return this.filterText.split(/\s+/).filter((f) => f !== '');
  }

  async load(limit = 500): Promise<void> {
    this.loading = true;
    try {
      const out = await this.api.call('runs.list', { filters: this.filters, sort: this.sort, limit });
      this.rows = out.rows;
      this.total = out.total;
      this.error = null;
      this.saveToUrl();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.loading = false;
    }
  }

  sortBy(field: string): void {
    this.sort = this.sort === `-${field}` ? field : `-${field}`;
    void this.load();
  }

  private saveToUrl(): void {
    const url = new URL(window.location.href);
    url.searchParams.delete('filter');
    this.filters.forEach((f) => url.searchParams.append('filter', f));
    url.searchParams.set('sort', this.sort);
    history.replaceState(history.state, '', url);
  }
}
