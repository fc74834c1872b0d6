// The atlas pages in the address bar: a run's atlas with its class and open feature, a run's
// explain page, and the feature comparison of two runs; what cannot be read falls back safely,
// and every route reads back as itself.
import { beforeAll, describe, expect, it } from 'vitest';
import { svelteLoader } from '../charts/svelte-ssr';

type RouterModule = typeof import('../../../src-renderer/src/lib/router.svelte');

describe('atlas routes', () => {
  let router: RouterModule;
  beforeAll(async () => {
    const svelte = await svelteLoader();
    router = await svelte.load<RouterModule>('src-renderer/src/lib/router.svelte.ts');
    await svelte.close();
  });

  it('reads a run atlas, with its class and feature when given', () => {
    expect(router.parseHash('#/run/12/atlas')).toEqual({ view: 'atlas', id: 12, class: null, feature: null });
    expect(router.parseHash('#/run/12/atlas?class=3&feature=2')).toEqual({ view: 'atlas', id: 12, class: 3, feature: 2 });
    expect(router.parseHash('#/run/12/atlas?class=0')).toEqual({ view: 'atlas', id: 12, class: 0, feature: null });
  });

  it('drops what is not a whole number (feature ranks start at 1)', () => {
    expect(router.parseHash('#/run/12/atlas?class=-1&feature=0')).toEqual({ view: 'atlas', id: 12, class: null, feature: null });
    expect(router.parseHash('#/run/12/atlas?class=1.5&feature=x')).toEqual({ view: 'atlas', id: 12, class: null, feature: null });
    expect(router.parseHash('#/run/12/atlas?class=0x3&feature=1e2')).toEqual({ view: 'atlas', id: 12, class: null, feature: null });
    expect(router.parseHash('#/run/abc/atlas')).toEqual({ view: 'runs' });
  });

  it('reads the explain page, and keeps a plain run and unknown sub-pages as the run', () => {
    expect(router.parseHash('#/run/7/explain')).toEqual({ view: 'explain', id: 7 });
    expect(router.parseHash('#/run/7')).toEqual({ view: 'run', id: 7 });
    expect(router.parseHash('#/run/7/elsewhere')).toEqual({ view: 'run', id: 7 });
  });

  it('reads a feature comparison with either run missing', () => {
    expect(router.parseHash('#/atlas-compare?a=3&b=4&class=1')).toEqual({ view: 'atlas-compare', a: 3, b: 4, class: 1 });
    expect(router.parseHash('#/atlas-compare?a=3')).toEqual({ view: 'atlas-compare', a: 3, b: null, class: null });
    expect(router.parseHash('#/atlas-compare')).toEqual({ view: 'atlas-compare', a: null, b: null, class: null });
  });

  it('reads a language model’s features with its layer, output token (a difference too, or text with spaces and symbols) and open eigenvector', () => {
    expect(router.parseHash('#/run/8/lm-atlas')).toEqual({ view: 'lm-atlas', id: 8, layer: null, token: null, feature: null });
    expect(router.parseHash('#/run/8/lm-atlas?layer=1&token=he-she&feature=3')).toEqual({ view: 'lm-atlas', id: 8, layer: 1, token: 'he-she', feature: 3 });
    expect(router.parseHash('#/run/8/lm-atlas?layer=x&token=&feature=0')).toEqual({ view: 'lm-atlas', id: 8, layer: null, token: null, feature: null });
    expect(router.hrefOf({ view: 'lm-atlas', id: 8, layer: 0, token: 'a&b=c d', feature: null })).toBe('#/run/8/lm-atlas?layer=0&token=a%26b%3Dc%20d');
  });

  it('writes each route so that it reads back as itself', () => {
    const routes = [
      { view: 'atlas', id: 12, class: null, feature: null },
      { view: 'atlas', id: 12, class: 0, feature: null },
      { view: 'atlas', id: 12, class: 9, feature: 3 },
      { view: 'explain', id: 5 },
      { view: 'atlas-compare', a: 3, b: 4, class: 2 },
      { view: 'atlas-compare', a: null, b: 4, class: null },
      { view: 'run', id: 2 },
      { view: 'compare', ids: [1, 2] },
      { view: 'lm-atlas', id: 8, layer: 1, token: '▁dog', feature: 2 },
      { view: 'lm-atlas', id: 8, layer: null, token: 'a&b=c d+e', feature: null },
    ] satisfies Parameters<RouterModule['hrefOf']>[0][];
    for (const route of routes) expect(router.parseHash(router.hrefOf(route))).toEqual(route);
    expect(router.hrefOf({ view: 'atlas', id: 12, class: 9, feature: 3 })).toBe('#/run/12/atlas?class=9&feature=3');
    expect(router.hrefOf({ view: 'atlas-compare', a: 3, b: 4, class: null })).toBe('#/atlas-compare?a=3&b=4');
  });

  it('shows a route it navigates to at once, and an address changed elsewhere once it differs', () => {
    const listeners: (() => void)[] = [];
    const fake = { location: { hash: '#/run/3/atlas' }, addEventListener: (_: string, l: () => void) => listeners.push(l) };
    Object.assign(globalThis, { window: fake });
    try {
      const r = new router.Router();
      expect(r.route).toEqual({ view: 'atlas', id: 3, class: null, feature: null });
      r.go({ view: 'atlas', id: 3, class: 2, feature: 1 });
      expect(fake.location.hash).toBe('#/run/3/atlas?class=2&feature=1');
      expect(r.route).toEqual({ view: 'atlas', id: 3, class: 2, feature: 1 });
      const shown = r.route;
      listeners.forEach((l) => l()); // the 'hashchange' of that same navigation: nothing new
      expect(r.route).toBe(shown);
      fake.location.hash = '#/run/3/atlas?class=2'; // back
      listeners.forEach((l) => l());
      expect(r.route).toEqual({ view: 'atlas', id: 3, class: 2, feature: null });
    } finally {
      Reflect.deleteProperty(globalThis, 'window');
    }
  });
});
