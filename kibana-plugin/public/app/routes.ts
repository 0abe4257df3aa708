import { isQuestionType, type Question } from './questions';

/**
 * Every screen state is a URL (hash routing, so it works under Kibana's
 * /app/mitra and under `mitra serve` alike, with no server-side routes):
 *   #/fleet?type=kernel&value=4.4&page=2
 *   #/host/web-01?path=/etc/hosts&from=<version id>&to=<version id>&view=memory
 *   #/compare?path=/etc/resolv.conf&group=<sha256>
 *   #/saved?tab=rules
 */
export type Route =
  | { screen: 'fleet'; question?: Question; page: number }
  | { screen: 'host'; host: string; path?: string; from?: string; to?: string; view?: 'files' | 'memory' }
  | { screen: 'compare'; path?: string; group?: string }
  | { screen: 'saved'; tab: SavedTab };

export type SavedTab = 'searches' | 'rules' | 'history';
const SAVED_TABS: SavedTab[] = ['searches', 'rules', 'history'];

export const DEFAULT_ROUTE: Route = { screen: 'fleet', page: 1 };

export function parseRoute(hash: string): Route {
  const [pathPart, queryPart = ''] = hash.replace(/^#/, '').split('?', 2);
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

export function formatRoute(route: Route): string {
  const qs = (params: Record<string, string | number | undefined>) => {
    const s = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
    const text = s.toString();
    return text ? `?${text}` : '';
  };
  switch (route.screen) {
    case 'host':
      return `#/host/${encodeURIComponent(route.host)}${qs({ path: route.path, from: route.from, to: route.to, view: route.view })}`;
    case 'compare':
      return `#/compare${qs({ path: route.path, group: route.group })}`;
    case 'saved':
      return `#/saved${qs({ tab: route.tab === 'searches' ? undefined : route.tab })}`;
    case 'fleet': {
      const q = route.question;
      return `#/fleet${qs({ type: q?.type, value: q?.value, extra: q?.extra, page: route.page > 1 ? route.page : undefined })}`;
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
