import { PLUGIN_ID, PLUGIN_NAME, RULE_TYPE_ID } from '../common';
import type { AlertingKibanaPrivilege, KibanaFeatureConfig } from '../kibana_api/server';

/**
 * The rule type and who may own its rules: rules made in the Mitra app
 * (consumer `mitra`) and in Stack Management → Rules (consumer `alerts`).
 */
const FLEET_QUERY_RULES: AlertingKibanaPrivilege = [{ ruleTypeId: RULE_TYPE_ID, consumers: [PLUGIN_ID, 'alerts'] }];

/**
 * The Kibana feature that gates the app, the API and the rule type: `all`
 * reads and writes (saved searches, alert rules), `read` only reads. The API
 * privileges match the `requiredPrivileges` the routes declare; `alerting` is
 * the 8.18+/9.x `{ruleTypeId, consumers}` form.
 */
export const MITRA_FEATURE: KibanaFeatureConfig = {
  id: PLUGIN_ID,
  name: PLUGIN_NAME,
  category: { id: 'management', label: 'Management', euiIconType: 'managementApp', order: 5000 },
  app: [PLUGIN_ID],
  catalogue: [PLUGIN_ID],
  alerting: FLEET_QUERY_RULES,
  privileges: {
    all: {
      app: [PLUGIN_ID],
      api: ['mitra_read', 'mitra_write'],
      catalogue: [PLUGIN_ID],
      savedObject: { all: [], read: ['index-pattern', 'search'] },
      ui: ['show', 'save'],
      alerting: { rule: { all: FLEET_QUERY_RULES }, alert: { all: FLEET_QUERY_RULES } },
    },
    read: {
      app: [PLUGIN_ID],
      api: ['mitra_read'],
      catalogue: [PLUGIN_ID],
      savedObject: { all: [], read: ['index-pattern', 'search'] },
      ui: ['show'],
      alerting: { rule: { read: FLEET_QUERY_RULES }, alert: { read: FLEET_QUERY_RULES } },
    },
  },
};
