import type { PluginInitializerContext } from './kibana-types';
import { MitraServerPlugin } from './plugin';

/** Kibana's server entry point: `plugin(initializerContext)` returns the plugin instance. */
export function plugin(initializerContext: PluginInitializerContext): MitraServerPlugin {
  return new MitraServerPlugin(initializerContext);
}

export { MitraServerPlugin, type MitraPluginOptions, type MitraSetupResult } from './plugin';
export { fleetQueryRuleType, validateFleetQueryParams, type FleetQueryParams } from './rule_type';
export { MITRA_FEATURE } from './feature';
export { kibanaPath, registerRoutes } from './routes';
