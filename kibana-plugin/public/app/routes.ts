import { isQuestionType, type Question } from './questions';

/**
 * Every screen state is a location (path + query) in the app's history:
 *   /fleet?type=kernel&value=4.4&page=2
 *   /host/web-01?path=/etc/hosts&from=<version id>&to=<version id>&view=memory
 *   /compare?path=/etc/resolv.conf&group=<sha256>
 *   /saved?tab=rules
 * In Kibana the history is the app's ScopedHistory (URLs /app/mitra/fleet?...);
 * standalone it is a hash history (URLs /#/fleet?...), so `mitra serve` needs
 * no server-side routes.
 */
export type Route =
  | { screen: 'fleet'; question?: Question; page: number }
  | { screen: 'host'; host: string; path?: string; from?: string; to?: string; view?: 'files' | 'memory' }
  | { screen: 'compare'; path?: string; group?: string }
  | { screen: 'saved'; tab: SavedTab };

export type SavedTab = 'searches' | 'rules' | 'history';
const SAVED_TABS: SavedTab[] = ['searches', 'rules', 'history'];

export const DEFAULT_ROUTE: Route = { screen: 'fleet', page: 1 };

/** A location as a history hands it out (ScopedHistory's `location`, or its path + query as one string). */
export type RouteLocation = string | { pathname: string; search: string };

export function parseRoute(where: RouteLocation): Route {
  const [pathPart, queryPart = ''] =
    typeof where === 'string' ? where.replace(/^#/, '').split('?', 2) : [where.pathname, where.search.replace(/^\?/, '')];
  const q = new URLSearchParams(queryPart);
  const get = (k: string) => q.get(k) ?? undefined;
  const segments = pathPart.split('/').filter(Boolean).map(safeDecode);
  switch (segments[0]) {
    case 'host':
      if (!segments[1]) return DEFAULT_ROUTE;
      return clean({
        screen: 'host',
        host: segments[1],
        path: get('path'),
        from: get('from'),
        to: get('to'),
        view: get('view') === 'memory' ? 'memory' : undefined,
      });
    case 'compare':
      return clean({ screen: 'compare', path: get('path'), group: get('group') });
    case 'saved': {
      const tab = get('tab');
      return { screen: 'saved', tab: SAVED_TABS.includes(tab as SavedTab) ? (tab as SavedTab) : 'searches' };
    }
    default: {
      const type = get('type');
      const value = get('value');
      const page = Math.max(1, Number.parseInt(get('page') ?? '1', 10) || 1);
      if (!type || !isQuestionType(type) || value === undefined) return { screen: 'fleet', page };
      const extra = get('extra');
      return { screen: 'fleet', page, question: { type, value, ...(extra ? { extra } : {}) } };
    }
  }
}

/** The route as a history location ({pathname, search}) to push or to turn into an href. */
export function routeLocation(route: Route): { pathname: string; search: string } {
  const text = formatRoute(route);
  const at = text.indexOf('?');
  return at < 0 ? { pathname: text, search: '' } : { pathname: text.slice(0, at), search: text.slice(at) };
}

/** The screen's title, for the browser tab and Kibana's breadcrumbs. */
export function routeTitle(route: Route): string {
  switch (route.screen) {
    case 'fleet':
      return 'Fleet';
    case 'host':
      return `Host ${route.host}`;
    case 'compare':
      return 'Compare';
    case 'saved':
      return 'Saved searches & alerts';
  }
}

/** The route as path + query (`/fleet?type=kernel&value=4.4`). */
export function formatRoute(route: Route): string {
  const qs = (params: Record<string, string | number | undefined>) => {
    const s = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
    const text = s.toString();
    return text ? `?${text}` : '';
  };
  switch (route.screen) {
    case 'host':
      return `/host/${encodeURIComponent(route.host)}${qs({ path: route.path, from: route.from, to: route.to, view: route.view })}`;
    case 'compare':
      return `/compare${qs({ path: route.path, group: route.group })}`;
    case 'saved':
      return `/saved${qs({ tab: route.tab === 'searches' ? undefined : route.tab })}`;
    case 'fleet': {
      const q = route.question;
      return `/fleet${qs({ type: q?.type, value: q?.value, extra: q?.extra, page: route.page > 1 ? route.page : undefined })}`;
    }
  }
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
