import * as ElasticCharts from '@elastic/charts';
import * as ElasticEui from '@elastic/eui';
import EmotionCache from '@emotion/cache';
import * as EmotionReact from '@emotion/react';
import * as Lodash from 'lodash';
import Moment from 'moment';
import * as React from 'react';
import * as ReactDom from 'react-dom';
import * as KbnReactKibanaContextRender from './render_context';

/**
 * Kibana's shared dependencies, built here from node_modules under the keys
 * Kibana's bundle uses (src/platform/packages/private/kbn-ui-shared-deps-src/src/definitions.js
 * `externals`; the plugin bundle reads `__kbnSharedDeps__.<key>`).
 */
declare global {
  interface Window {
    __kbnSharedDeps__: Record<string, unknown>;
  }
}

window.__kbnSharedDeps__ = {
  React,
  ReactDom,
  ElasticEui,
  ElasticCharts,
  EmotionReact,
  EmotionCache,
  Moment,
  Lodash,
  KbnReactKibanaContextRender,
};
