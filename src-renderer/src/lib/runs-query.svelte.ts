// The runs view's state: the query (filters, sort, group-by) kept in the address bar so a view
// can be bookmarked, the rows it loads, the selection and the keyboard cursor.
import type { Api, ListedRun, RunGroup } from '../../../src-main/common/contract';

/** the most rows one view holds; the table renders only those on screen */
export const MAX_ROWS = 10_000;

export class RunsQuery {
  filterText = $state('');
  sort = $state('-id');
  groupBy = $state('');
  rows = $state.raw<ListedRun[]>([]);
  groups = $state.raw<RunGroup[] | null>(null);
  total = $state(0);
  error = $state<string | null>(null);
  cursor = $state(0);
  selected = $state<Set<number>>(new Set());
  private generation = 0;

  constructor(private readonly api: Api) {
    const p = new URLSearchParams(window.location.search);
    this.filterText = p.getAll('filter').join(' ');
    this.sort = p.get('sort') ?? '-id';
    this.groupBy = p.get('group') ?? '';
  }

  /** Space-separated expressions: `gate=sqs test_accuracy>=0.9`. */
  get filters(): string[] {
    return this.filterText.split(/\s+/).filter((f) => f !== '');
  }

  async load(): Promise<void> {
    const mine = ++this.generation;
    try {
      const out = await this.api.call('runs.list', { filters: this.filters, sort: this.sort, limit: MAX_ROWS, ...(this.groupBy ? { groupBy: this.groupBy } : {}) });
      // a slower, older answer must not overwrite a newer one
      if (mine !== this.generation) return;
      this.rows = out.rows;
      this.groups = out.groups;
      this.total = out.total;
      this.cursor = Math.min(this.cursor, Math.max(0, out.rows.length - 1));
      this.error = null;
      this.saveToUrl();
    } catch (e) {
      if (mine === this.generation) this.error = (e as Error).message;
    }
  }

  sortBy(field: string): void {
    this.sort = this.sort === `-${field}` ? field : `-${field}`;
    void this.load();
  }

  toggle(id: number): void {
    const next = new Set(this.selected);
    if (!next.delete(id)) next.add(id);
    this.selected = next;
  }

  move(by: number): void {
    this.cursor = Math.max(0, Math.min(this.rows.length - 1, this.cursor + by));
  }

  private saveToUrl(): void {
    const url = new URL(window.location.href);
    url.searchParams.delete('filter');
    this.filters.forEach((f) => url.searchParams.append('filter', f));
    url.searchParams.set('sort', this.sort);
    if (this.groupBy) url.searchParams.set('group', this.groupBy);
    else url.searchParams.delete('group');
    history.replaceState(history.state, '', url);
  }
}
