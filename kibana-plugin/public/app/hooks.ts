import { createContext, useCallback, useContext, useEffect, useState, type MouseEvent } from 'react';
import type { MitraApi } from '../api';
import type { AppHistory } from './history';
import type { Catalog } from './questions';
import { parseRoute, routeLocation, type Route } from './routes';

export const ApiContext = createContext<MitraApi | null>(null);
/** Where the app's routes live: Kibana's ScopedHistory, or the standalone page's hash history. */
export const HistoryContext = createContext<AppHistory | null>(null);

export function useHistory(): AppHistory {
  const history = useContext(HistoryContext);
  if (!history) throw new Error('useHistory outside <HistoryContext.Provider>: MitraApp provides it');
  return history;
}

export function useApi(): MitraApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>: MitraApp provides it');
  return api;
}

/** The route in the history's location, kept in sync both ways (links, back button, typed URLs). */
export function useRoute(): [Route, (r: Route) => void] {
  const history = useHistory();
  const [route, setRoute] = useState(() => parseRoute(history.location));
  useEffect(() => {
    setRoute(parseRoute(history.location));
    return history.listen((location) => setRoute(parseRoute(location)));
  }, [history]);
  const navigate = useCallback((r: Route) => history.push(routeLocation(r)), [history]);
  return [route, navigate];
}

/**
 * A link to a route: the href the history makes (so open-in-new-tab works)
 * and a click handler that navigates inside the app without a page load.
 */
export function useLink(): (r: Route) => { href: string; onClick: (e: MouseEvent) => void } {
  const history = useHistory();
  return useCallback(
    (r: Route) => ({
      href: history.createHref(routeLocation(r)),
      onClick: (e: MouseEvent) => {
        // Modified and middle clicks keep the browser's meaning (new tab, new window).
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        history.push(routeLocation(r));
      },
    }),
    [history],
  );
}

export type Loaded<T> = { status: 'idle' } | { status: 'loading' } | { status: 'error'; error: Error } | { status: 'done'; data: T };

/**
 * Runs `load` whenever `key` changes (null: nothing to load) and keeps only the
 * newest answer, so a slow earlier request never overwrites a later one, and
 * an answer to an earlier key is never shown as the answer to the current one.
 */
export function useLoad<T>(key: string | null, load: () => Promise<T>): [Loaded<T>, () => void] {
  const [answer, setAnswer] = useState<{ key: string | null; state: Loaded<T> }>({
    key,
    state: { status: key === null ? 'idle' : 'loading' },
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (key === null) {
      setAnswer({ key, state: { status: 'idle' } });
      return;
    }
    let current = true;
    setAnswer({ key, state: { status: 'loading' } });
    load().then(
      (data) => current && setAnswer({ key, state: { status: 'done', data } }),
      (error: Error) => current && setAnswer({ key, state: { status: 'error', error } }),
    );
    return () => {
      current = false;
    };
    // `load` is recreated every render; `key` says when the request changes.
  }, [key, generation]);
  const state: Loaded<T> = answer.key === key ? answer.state : key === null ? { status: 'idle' } : { status: 'loading' };
  return [state, () => setGeneration((g) => g + 1)];
}

const catalogs = new WeakMap<MitraApi, Promise<Catalog>>();

/** The question catalog (GET /api/mitra/questions), asked once per API for the whole app. */
export function loadCatalog(api: MitraApi): Promise<Catalog> {
  let p = catalogs.get(api);
  if (!p) {
    p = api.get<Catalog>('/questions');
    // A failed load is asked again next time rather than remembered.
    p.catch(() => catalogs.delete(api));
    catalogs.set(api, p);
  }
  return p;
}

export function useCatalog(): Loaded<Catalog> {
  const api = useApi();
  return useLoad('questions', () => loadCatalog(api))[0];
}
