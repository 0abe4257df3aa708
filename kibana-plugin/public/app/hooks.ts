import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { MitraApi } from '../api';
import { formatRoute, parseRoute, type Route } from './routes';

export const ApiContext = createContext<MitraApi | null>(null);

export function useApi(): MitraApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>: renderApp provides it');
  return api;
}

/** The route in the URL hash, kept in sync both ways (links, back button, typed URLs). */
export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((r: Route) => {
    window.location.hash = formatRoute(r);
  }, []);
  return [route, navigate];
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
