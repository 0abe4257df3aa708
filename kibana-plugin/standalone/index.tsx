import '@elastic/charts/dist/theme_only_light.css';
import { EuiProvider } from '@elastic/eui';
import { createRoot } from 'react-dom/client';
import { PLUGIN_NAME } from '../common';
import { fetchApi } from '../public/api';
import { hashHistory } from '../public/app/history';
import { routeTitle } from '../public/app/routes';
import { MitraApp } from '../public/application';

/**
 * The standalone page `mitra serve` hands out at `/`: the same app as in
 * Kibana, talking to the same routes on the same origin, routed through the
 * URL hash, with its own React, EUI and charts (Kibana lends its own instead).
 */
const element = document.getElementById('root');
if (element) {
  const frame = {
    api: fetchApi(window.location.origin),
    history: hashHistory(window),
    onRoute: (route: Parameters<typeof routeTitle>[0]) => {
      document.title = `${routeTitle(route)} - ${PLUGIN_NAME}`;
    },
  };
  createRoot(element).render(
    <EuiProvider colorMode="light">
      <MitraApp frame={frame} />
    </EuiProvider>,
  );
}
