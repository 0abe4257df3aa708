import { PLUGIN_ID, PLUGIN_NAME, RULE_TYPE_ID } from '../common';
import type { KibanaFeatureConfig } from './kibana-types';

/**
 * The Kibana feature that gates the app, the API and the rule type: `all`
 * reads and writes (saved searches, alert rules), `read` only reads. The API
 * privileges match the `requiredPrivileges` the routes declare.
 */
export const MITRA_FEATURE: KibanaFeatureConfig = {
  id: PLUGIN_ID,
  name: PLUGIN_NAME,
  category: { id: 'management', label: 'Management', euiIconType: 'managementApp', order: 5000 },
  app: [PLUGIN_ID],
  catalogue: [PLUGIN_ID],
  alerting: [RULE_TYPE_ID],
  privileges: {
    all: {
      app: [PLUGIN_ID],
      api: ['mitra_read', 'mitra_write'],
      catalogue: [PLUGIN_ID],
      savedObject: { all: [], read: ['index-pattern', 'search'] },
      ui: ['show', 'save'],
      alerting: { rule: { all: [RULE_TYPE_ID] }, alert: { all: [RULE_TYPE_ID] } },
    },
    read: {
      app: [PLUGIN_ID],
      api: ['mitra_read'],
      catalogue: [PLUGIN_ID],
      savedObject: { all: [], read: ['index-pattern', 'search'] },
      ui: ['show'],
      alerting: { rule: { read: [RULE_TYPE_ID] }, alert: { read: [RULE_TYPE_ID] } },
    },
  },
};
