// Views are addressed by the URL hash (#/runs, #/new, #/run/12, #/compare?ids=3,4, #/settings)
// so that the back button, bookmarks and Esc all behave as in any web page.

export type Route =
  | { view: 'runs' }
  | { view: 'new' }
  | { view: 'sweep' }
  | { view: 'run'; id: number }
  | { view: 'compare'; ids: number[] }
  | { view: 'settings' };

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
      const id = Number(parts[1]);
      return Number.isInteger(id) && id > 0 ? { view: 'run', id } : { view: 'runs' };
    }
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
    default:
      return `#/${route.view}`;
  }
}

export class Router {
  route = $state<Route>(parseHash(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => (this.route = parseHash(window.location.hash)));
  }

  go(route: Route): void {
    window.location.hash = hrefOf(route);
  }
}
