import { PLUGIN_ID, PLUGIN_NAME } from '../common';
import type { CoreSetup, CoreStart, Plugin, TriggersAndActionsUIPublicPluginSetup } from '../kibana_api/public';
import { kibanaApi } from './api';
import { fleetQueryRuleTypeModel } from './rule_type_model';

/** The optional plugins the browser side uses (kibana.json `optionalPlugins`). */
export interface MitraSetupDeps {
  triggersActionsUi?: TriggersAndActionsUIPublicPluginSetup;
}

export class MitraPublicPlugin implements Plugin<void, void, MitraSetupDeps> {
  setup(core: CoreSetup, plugins: MitraSetupDeps): void {
    core.application.register({
      id: PLUGIN_ID,
      title: PLUGIN_NAME,
      category: { id: 'management', label: 'Management', order: 5000, euiIconType: 'managementApp' },
      async mount(params) {
        // Loaded only when the app opens: Kibana's page load stays free of the app's code.
        const [{ mountKibanaApp }, [coreStart]] = await Promise.all([import('./kibana_application'), core.getStartServices()]);
        return mountKibanaApp(params, coreStart);
      },
    });
    // "Mitra fleet query" in Kibana's Rules UI, when alerting's UI is there.
    const api = () => core.getStartServices().then(([coreStart]) => kibanaApi(coreStart.http));
    plugins.triggersActionsUi?.ruleTypeRegistry.register(fleetQueryRuleTypeModel(api));
  }

  start(_core: CoreStart): void {}

  stop(): void {}
}
