import { API_ROUTES } from '@mitra/core';
import type { CoreSetup, KibanaFeatureConfig, Logger, Plugin, PluginInitializerContext } from '../kibana_api/server';
import type { AlertingServerSetup, FeaturesPluginSetup } from '../kibana_api/server';
import type { MitraConfig } from './config';
import { MITRA_FEATURE } from './feature';
import { registerRoutes } from './routes';
import { fleetQueryRuleType } from './rule_type';

/** What `setup(core, plugins)` receives for the optional plugins in kibana.json. */
export interface MitraSetupDeps {
  alerting?: AlertingServerSetup;
  features?: FeaturesPluginSetup;
}

/** What setup reports, so a caller can tell which optional integrations were wired. */
export interface MitraSetupResult {
  routes: number;
  ruleType: boolean;
  feature: boolean;
}

export class MitraServerPlugin implements Plugin<MitraSetupResult, void, MitraSetupDeps> {
  private readonly logger: Logger;
  private readonly config: MitraConfig;

  constructor(initializerContext: PluginInitializerContext) {
    this.logger = initializerContext.logger.get();
    // Validated by Kibana against configSchema (./config) before this runs.
    this.config = initializerContext.config.get<MitraConfig>();
  }

  setup(core: CoreSetup, plugins: MitraSetupDeps): MitraSetupResult {
    // Kibana itself skips a plugin whose `enabled` is false; this covers a host that does not.
    if (!this.config.enabled) return { routes: 0, ruleType: false, feature: false };
    const { prefix } = this.config;
    registerRoutes(core.http.createRouter(), API_ROUTES, { prefix, logger: this.logger });
    // Both integrations are optional in kibana.json: the app and API work without them.
    plugins.features?.registerKibanaFeature(MITRA_FEATURE satisfies KibanaFeatureConfig);
    plugins.alerting?.registerType(fleetQueryRuleType(prefix));
    this.logger.debug(`routes under /api/mitra read indices ${prefix}*`);
    return { routes: API_ROUTES.length, ruleType: plugins.alerting !== undefined, feature: plugins.features !== undefined };
  }

  start(): void {}

  stop(): void {}
}
