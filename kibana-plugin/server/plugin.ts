import { API_ROUTES, parseRetention } from '@mitra/core';
import type {
  CoreSetup,
  CoreStart,
  ElasticsearchClient,
  KibanaFeatureConfig,
  Logger,
  Plugin,
  PluginInitializerContext,
} from '../kibana_api/server';
import type { AlertingServerSetup, FeaturesPluginSetup, TaskManagerSetupContract, TaskManagerStartContract } from '../kibana_api/server';
import type { MitraConfig } from './config';
import { MITRA_FEATURE } from './feature';
import { pruneTaskDefinition, pruneTaskInstance } from './prune_task';
import { registerRoutes } from './routes';
import { fleetQueryRuleType } from './rule_type';

/** What `setup(core, plugins)` receives for the optional plugins in kibana.json. */
export interface MitraSetupDeps {
  alerting?: AlertingServerSetup;
  features?: FeaturesPluginSetup;
  taskManager?: TaskManagerSetupContract;
}

/** What `start(core, plugins)` receives for the optional plugins in kibana.json. */
export interface MitraStartDeps {
  taskManager?: TaskManagerStartContract;
}

/** What setup reports, so a caller can tell which optional integrations were wired. */
export interface MitraSetupResult {
  routes: number;
  ruleType: boolean;
  feature: boolean;
  pruneTask: boolean;
}

export class MitraServerPlugin implements Plugin<MitraSetupResult, void, MitraSetupDeps, MitraStartDeps> {
  private readonly logger: Logger;
  private readonly config: MitraConfig;
  private internalClient?: ElasticsearchClient;

  constructor(initializerContext: PluginInitializerContext) {
    this.logger = initializerContext.logger.get();
    // Validated by Kibana against configSchema (./config) before this runs.
    this.config = initializerContext.config.get<MitraConfig>();
  }

  setup(core: CoreSetup, plugins: MitraSetupDeps): MitraSetupResult {
    // Kibana itself skips a plugin whose `enabled` is false; this covers a host that does not.
    if (!this.config.enabled) return { routes: 0, ruleType: false, feature: false, pruneTask: false };
    const { prefix } = this.config;
    registerRoutes(core.http.createRouter(), API_ROUTES, { prefix, logger: this.logger });
    // Every integration is optional in kibana.json: the app and API work without them.
    plugins.features?.registerKibanaFeature(MITRA_FEATURE satisfies KibanaFeatureConfig);
    plugins.alerting?.registerType(fleetQueryRuleType(prefix));
    plugins.taskManager?.registerTaskDefinitions(
      pruneTaskDefinition({
        prefix,
        // Already checked by the config schema.
        days: parseRetention(this.config.retention, 'mitra.retention'),
        logger: this.logger,
        client: () => this.internalClient,
      }),
    );
    this.logger.debug(`routes under /api/mitra read indices ${prefix}*`);
    return {
      routes: API_ROUTES.length,
      ruleType: plugins.alerting !== undefined,
      feature: plugins.features !== undefined,
      pruneTask: plugins.taskManager !== undefined,
    };
  }

  start(core: CoreStart, plugins: MitraStartDeps): void {
    if (!this.config.enabled) return;
    this.internalClient = core.elasticsearch.client.asInternalUser;
    if (!plugins.taskManager || parseRetention(this.config.retention, 'mitra.retention') === undefined) return;
    // Kibana's pattern (start is synchronous): a failure to schedule is logged, never a failed start.
    void plugins.taskManager
      .ensureScheduled(pruneTaskInstance(this.config.prefix))
      .catch((e: unknown) => this.logger.error(`cannot schedule the prune task: ${(e as Error).message}`));
  }

  stop(): void {}
}
