// The modules Kibana's browser lends to plugin bundles, and the global each
// one lives under: the entries of `externals` in
// src/platform/packages/private/kbn-ui-shared-deps-src/src/definitions.js
// that this plugin can reach (its own imports and those of the UI libraries
// it uses). Kibana's optimizer passes the whole map to webpack's `externals`
// (packages/kbn-optimizer/src/worker/webpack.config.ts); anything listed here
// is taken from Kibana at run time and never bundled.
module.exports = {
  '@kbn/i18n': '__kbnSharedDeps__.KbnI18n',
  '@kbn/i18n-react': '__kbnSharedDeps__.KbnI18nReact',
  '@emotion/cache': '__kbnSharedDeps__.EmotionCache',
  '@emotion/react': '__kbnSharedDeps__.EmotionReact',
  moment: '__kbnSharedDeps__.Moment',
  'moment-timezone': '__kbnSharedDeps__.MomentTimezone',
  react: '__kbnSharedDeps__.React',
  'react-dom': '__kbnSharedDeps__.ReactDom',
  'react-dom/server': '__kbnSharedDeps__.ReactDomServer',
  rxjs: '__kbnSharedDeps__.Rxjs',
  '@elastic/charts': '__kbnSharedDeps__.ElasticCharts',
  '@elastic/eui': '__kbnSharedDeps__.ElasticEui',
  '@elastic/eui-theme-borealis': '__kbnSharedDeps__.ElasticEuiThemeBorealis',
  lodash: '__kbnSharedDeps__.Lodash',
  'lodash/fp': '__kbnSharedDeps__.LodashFp',
  tslib: '__kbnSharedDeps__.TsLib',
  uuid: '__kbnSharedDeps__.Uuid',
  history: '__kbnSharedDeps__.History',
  classnames: '__kbnSharedDeps__.Classnames',
  '@kbn/react-kibana-context-render': '__kbnSharedDeps__.KbnReactKibanaContextRender',
};
