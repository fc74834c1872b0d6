// Views are addressed by the URL hash (#/runs, #/new, #/run/12, #/compare?ids=3,4, #/settings,
// #/run/12/atlas?class=3&feature=2, #/run/12/explain, #/atlas-compare?a=3&b=4&class=1,
// #/run/12/lm-atlas?layer=1&token=dog&feature=2) so that
// the back button, bookmarks and Esc all behave as in any web page.

export type Route =
  | { view: 'runs' }
  | { view: 'new' }
  | { view: 'sweep' }
  | { view: 'run'; id: number }
  | { view: 'compare'; ids: number[] }
  | { view: 'settings' }
  /** a run's feature atlas; class and feature (its rank) null when not chosen */
  | { view: 'atlas'; id: number; class: number | null; feature: number | null }
  | { view: 'explain'; id: number }
  /** features of run a matched to run b's; either null until picked */
  | { view: 'atlas-compare'; a: number | null; b: number | null; class: number | null }
  /** a language model's features: layer, output direction (a token or tok1-tok2) and open feature, null until chosen */
  | { view: 'lm-atlas'; id: number; layer: number | null; token: string | null; feature: number | null };

/** a whole number written in plain digits, else null */
const natural = (s: string | null | undefined): number | null => (s && /^\d{1,9}$/.test(s) ? Number(s) : null);
const positive = (s: string | null | undefined): number | null => {
  const n = natural(s);
  return n !== null && n > 0 ? n : null;
};

function query(params: Record<string, number | string | null>): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');
  return q ? `?${q}` : '';
}

export function parseHash(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'new':
      return { view: 'new' };
    case 'sweep':
      return { view: 'sweep' };
    case 'settings':
      return { view: 'settings' };
    case 'run': {
      const id = positive(parts[1]);
      if (id === null) return { view: 'runs' };
      if (parts[2] === 'atlas') return { view: 'atlas', id, class: natural(params.get('class')), feature: positive(params.get('feature')) };
      if (parts[2] === 'explain') return { view: 'explain', id };
      if (parts[2] === 'lm-atlas') return { view: 'lm-atlas', id, layer: natural(params.get('layer')), token: params.get('token') || null, feature: positive(params.get('feature')) };
      return { view: 'run', id };
    }
    case 'atlas-compare':
      return { view: 'atlas-compare', a: positive(params.get('a')), b: positive(params.get('b')), class: natural(params.get('class')) };
    case 'compare':
      return { view: 'compare', ids: (params.get('ids') ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0) };
    default:
      return { view: 'runs' };
  }
}

export function hrefOf(route: Route): string {
  switch (route.view) {
    case 'run':
      return `#/run/${route.id}`;
    case 'compare':
      return `#/compare?ids=${route.ids.join(',')}`;
    case 'atlas':
      return `#/run/${route.id}/atlas${query({ class: route.class, feature: route.feature })}`;
    case 'explain':
      return `#/run/${route.id}/explain`;
    case 'lm-atlas':
      return `#/run/${route.id}/lm-atlas${query({ layer: route.layer, token: route.token, feature: route.feature })}`;
    case 'atlas-compare':
      return `#/atlas-compare${query({ a: route.a, b: route.b, class: route.class })}`;
    default:
      return `#/${route.view}`;
  }
}

export class Router {
  route = $state<Route>(parseHash(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => this.follow());
  }

  /** Navigates (a history entry) and shows the new route at once, not a task later at 'hashchange'. */
  go(route: Route): void {
    window.location.hash = hrefOf(route);
    this.follow();
  }

  /** The route of the address, replaced only when it says something else (an equal route re-renders nothing). */
  private follow(): void {
    const next = parseHash(window.location.hash);
    if (hrefOf(next) !== hrefOf(this.route)) this.route = next;
  }
}
