// The entry of the browser bundle, as Kibana's optimizer writes it
// (packages/kbn-optimizer/src/worker/entry_point_creator.ts and
// kbn-ui-shared-deps-npm/src/public_path_module_creator.js): chunks load from
// the public path Kibana's bootstrap sets for this plugin, and the plugin's
// public entry registers with Kibana's bundle loader under plugin/<id>/public,
// where core reads it (plugin_reader.ts). Built by build-kibana.js.
/* global __webpack_public_path__:writable, __webpack_require__, __kbnBundles__ */
__webpack_public_path__ = window.__kbnPublicPath__['mitra'];
__kbnBundles__.define('plugin/mitra/public', __webpack_require__, require.resolve('../public/index.ts'));
