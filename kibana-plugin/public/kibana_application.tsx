import { KibanaRenderContextProvider } from '@kbn/react-kibana-context-render';
import * as ReactDOM from 'react-dom';
import { PLUGIN_NAME } from '../common';
import type { AppMountParameters, AppUnmount, ChromeStart, CoreStart } from '../kibana_api/public';
import { kibanaApi } from './api';
import type { AppHistory } from './app/history';
import { routeTitle, type Route } from './app/routes';
import { MitraApp } from './application';

/**
 * Mounts the app the way Kibana 9.2 apps mount (app_mount.ts): rendered into
 * `params.element` inside KibanaRenderContextProvider (theme incl. dark mode,
 * i18n) from Kibana's shared deps, routed through `params.history`, with
 * breadcrumbs and the document title set through chrome. React and ReactDOM
 * are Kibana's (`__kbnSharedDeps__`); the unmount empties the element.
 */
export function mountKibanaApp(params: AppMountParameters, core: CoreStart): AppUnmount {
  const frame = { api: kibanaApi(core.http), history: params.history, onRoute: chromeUpdater(core.chrome, params.history) };
  ReactDOM.render(
    <KibanaRenderContextProvider i18n={core.i18n} theme={core.theme}>
      <MitraApp frame={frame} />
    </KibanaRenderContextProvider>,
    params.element,
  );
  return () => {
    ReactDOM.unmountComponentAtNode(params.element);
    core.chrome.docTitle.reset();
  };
}

/** Breadcrumbs "Mitra › <screen>" (the first one leads back to the Fleet screen) and the tab title "<screen> - Mitra". */
function chromeUpdater(chrome: ChromeStart, history: AppHistory): (route: Route) => void {
  const home = { pathname: '/fleet', search: '' };
  return (route) => {
    const title = routeTitle(route);
    chrome.setBreadcrumbs([
      {
        text: PLUGIN_NAME,
        href: history.createHref(home),
        onClick: (e) => {
          e.preventDefault();
          history.push(home);
        },
        'data-test-subj': 'mitra-breadcrumb-home',
      },
      { text: title },
    ]);
    chrome.docTitle.change([title, PLUGIN_NAME]);
  };
}
