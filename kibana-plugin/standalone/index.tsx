import '@elastic/charts/dist/theme_only_light.css';
import { fetchApi } from '../public/api';
import { renderApp } from '../public/application';

/**
 * The standalone page `mitra serve` hands out at `/`: the same app as in
 * Kibana, talking to the same routes on the same origin.
 */
const root = document.getElementById('root');
if (root) renderApp(root, fetchApi(window.location.origin));
