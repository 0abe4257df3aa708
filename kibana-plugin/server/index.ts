import type { PluginInitializer } from '../kibana_api/server';
import { MitraServerPlugin, type MitraSetupDeps, type MitraSetupResult, type MitraStartDeps } from './plugin';

/** Kibana's server entry point: `plugin(initializerContext)` resolves to the plugin instance. */
export const plugin: PluginInitializer<MitraSetupResult, void, MitraSetupDeps, MitraStartDeps> = async (initializerContext) =>
  new MitraServerPlugin(initializerContext);

/** `mitra.enabled`, `mitra.prefix` and `mitra.retention` in kibana.yml. */
export { config, type MitraConfig } from './config';
export type { MitraServerPlugin, MitraSetupDeps, MitraSetupResult, MitraStartDeps };
