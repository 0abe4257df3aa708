import { PLUGIN_ID, PLUGIN_NAME } from '../common';
import { kibanaApi, type KibanaHttp } from './api';

/** The slice of Kibana's public CoreSetup this plugin uses (Kibana 8.17 shapes). */
export interface PublicCoreSetup {
  application: {
    register(app: {
      id: string;
      title: string;
      category?: { id: string; label: string; order?: number; euiIconType?: string };
      mount(params: { element: HTMLElement; history: unknown; appBasePath: string }): Promise<() => void>;
    }): void;
  };
  getStartServices(): Promise<[{ http: KibanaHttp }, unknown, unknown]>;
}

export class MitraPublicPlugin {
  setup(core: PublicCoreSetup): void {
    core.application.register({
      id: PLUGIN_ID,
      title: PLUGIN_NAME,
      category: { id: 'management', label: 'Management', order: 5000, euiIconType: 'managementApp' },
      async mount(params) {
        // Loaded only when the app opens: Kibana's page load stays free of the app's code.
        const [{ renderApp }, [coreStart]] = await Promise.all([import('./application'), core.getStartServices()]);
        return renderApp(params.element, kibanaApi(coreStart.http));
      },
    });
  }

  start(): void {}

  stop(): void {}
}
