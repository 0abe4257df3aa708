import type { MitraApi } from './api';
import { App } from './app/app';
import type { AppHistory } from './app/history';
import { ApiContext, HistoryContext } from './app/hooks';
import type { Route } from './app/routes';

/** What a host page hands the app: how to reach the API, the history to route through, who hears route changes. */
export interface AppFrame {
  api: MitraApi;
  history: AppHistory;
  onRoute?: (route: Route) => void;
}

/**
 * The app with its services, for any host: Kibana wraps it in its render
 * context (kibana_application.tsx), the standalone page in an EuiProvider
 * (standalone/index.tsx). Neither the theme nor the React root is chosen here.
 */
export function MitraApp({ frame }: { frame: AppFrame }) {
  return (
    <ApiContext.Provider value={frame.api}>
      <HistoryContext.Provider value={frame.history}>
        <App onRoute={frame.onRoute} />
      </HistoryContext.Provider>
    </ApiContext.Provider>
  );
}
