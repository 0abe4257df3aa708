/** Shared by the server and the browser: names that must agree on both sides. */
export const PLUGIN_ID = 'mitra';
export const PLUGIN_NAME = 'Mitra';
/** The Kibana version this plugin's manifest and saved objects target. */
export const KIBANA_VERSION = '8.17.0';
/** Every route lives under this path, in Kibana and in `mitra serve` alike. */
export const API_BASE = '/api/mitra';
/** The alerting rule type registered when Kibana's alerting plugin is present. */
export const RULE_TYPE_ID = 'mitra.fleet-query';
/** Default index prefix: `mitra-current`, `mitra-history-*`, ... */
export const DEFAULT_PREFIX = 'mitra-';
