import { EuiProvider } from '@elastic/eui';
import { createRoot } from 'react-dom/client';
import type { MitraApi } from './api';
import { App } from './app/app';
import { ApiContext } from './app/hooks';

/**
 * Mounts the app into `element` and returns the unmount function Kibana's
 * application service calls when the user leaves the app. The standalone
 * page calls it the same way.
 */
export function renderApp(element: HTMLElement, api: MitraApi): () => void {
  const root = createRoot(element);
  root.render(
    <EuiProvider colorMode="light">
      <ApiContext.Provider value={api}>
        <App />
      </ApiContext.Provider>
    </EuiProvider>,
  );
  return () => root.unmount();
}
