import type { KbnBundles } from '../../../../kibana-plugin/kibana_api/public';

/**
 * What Kibana's bootstrap script sets up before any plugin bundle loads
 * (src/core/packages/rendering/server-internal/src/bootstrap/render_template.ts):
 * the public path of every bundle and the bundle loader `__kbnBundles__`,
 * where `define(key, bundleRequire, bundleModuleKey)` registers a module once
 * and `get(key)` runs `bundleRequire(bundleModuleKey)`. Written here from
 * that file; nothing more than it offers.
 */
declare global {
  interface Window {
    __kbnBundles__: KbnBundles;
    __kbnPublicPath__: Record<string, string>;
  }
}

function kbnBundlesLoader(): KbnBundles {
  const modules: Record<string, { bundleRequire: (key: unknown) => unknown; bundleModuleKey: unknown }> = {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(modules, key);
  return {
    has,
    define(key, bundleRequire, bundleModuleKey) {
      if (has(key)) throw new Error(`__kbnBundles__ already has a module defined for "${key}"`);
      modules[key] = { bundleRequire, bundleModuleKey };
    },
    get(key) {
      if (!has(key)) throw new Error(`__kbnBundles__ does not have a module defined for "${key}"`);
      return modules[key].bundleRequire(modules[key].bundleModuleKey);
    },
  };
}

// The page sets the plugin's public path as Kibana does: /bundles/plugin/<id>/<build>/
// (src/core/packages/rendering/server-internal/src/bootstrap/get_plugin_bundle_paths.test.ts).
const publicPath = document.querySelector('meta[name="mitra-public-path"]')?.getAttribute('content') ?? '';
window.__kbnPublicPath__ = { mitra: publicPath };
window.__kbnBundles__ = kbnBundlesLoader();
