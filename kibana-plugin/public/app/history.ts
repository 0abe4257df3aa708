import type { ScopedHistory } from '../../kibana_api/public';

/**
 * The part of a history the app routes through. Kibana hands in a
 * ScopedHistory (AppMountParameters.history); the standalone page uses
 * `hashHistory()`. Derived from the declared ScopedHistory, so the app can
 * use nothing Kibana's history lacks.
 */
export type AppHistory = Pick<ScopedHistory, 'location' | 'listen' | 'push' | 'replace' | 'createHref'>;

type To = Parameters<AppHistory['push']>[0];

const pathOf = (to: To) => (typeof to === 'string' ? to : `${to.pathname ?? '/'}${to.search ?? ''}`);

/** A history over the URL hash (`#/fleet?type=kernel`), for the standalone page served by `mitra serve` at `/`. */
export function hashHistory(win: Window = window): AppHistory {
  const read = (): AppHistory['location'] => {
    const [pathname, search = ''] = win.location.hash.replace(/^#/, '').split('?', 2);
    return { pathname: pathname || '/', search: search ? `?${search}` : '', hash: '', state: undefined };
  };
  return {
    get location() {
      return read();
    },
    listen(listener) {
      const onChange = () => listener(read(), 'POP');
      win.addEventListener('hashchange', onChange);
      return () => win.removeEventListener('hashchange', onChange);
    },
    push(to) {
      win.location.hash = pathOf(to);
    },
    replace(to) {
      win.location.replace(`#${pathOf(to)}`);
    },
    createHref: (to) => `#${pathOf(to)}`,
  };
}
