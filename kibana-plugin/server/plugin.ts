import { API_ROUTES, type ApiRoute } from '@mitra/core';
import { DEFAULT_PREFIX } from '../common';
import { MITRA_FEATURE } from './feature';
import type { CoreSetup, Logger, MitraSetupDeps, PluginInitializerContext } from './kibana-types';
import { registerRoutes } from './routes';
import { fleetQueryRuleType } from './rule_type';

export interface MitraPluginOptions {
  /** Index prefix (default `mitra-`): which indices the routes and the rule type read. */
  prefix?: string;
  /** The route table to mount (default: every Mitra route). */
  routes?: ApiRoute[];
}

/** What setup reports, so a caller can tell which optional integrations were wired. */
export interface MitraSetupResult {
  routes: number;
  ruleType: boolean;
  feature: boolean;
}

export class MitraServerPlugin {
  private readonly logger: Logger;
  private readonly prefix: string;
  private readonly routes: ApiRoute[];

  constructor(initializerContext: PluginInitializerContext, options: MitraPluginOptions = {}) {
    this.logger = initializerContext.logger.get();
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.routes = options.routes ?? API_ROUTES;
  }

  setup(core: CoreSetup, plugins: MitraSetupDeps): MitraSetupResult {
    registerRoutes(core.http.createRouter(), this.routes, { prefix: this.prefix, logger: this.logger });
    // Both integrations are optional in kibana.json: the app and API work without them.
    plugins.features?.registerKibanaFeature(MITRA_FEATURE);
    plugins.alerting?.registerType(fleetQueryRuleType(this.prefix));
    return { routes: this.routes.length, ruleType: plugins.alerting !== undefined, feature: plugins.features !== undefined };
  }

  start(): void {}

  stop(): void {}
}
