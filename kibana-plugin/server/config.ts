import { schema, type TypeOf } from '@kbn/config-schema';
import { DEFAULT_PREFIX, prefixProblem } from '@mitra/core';
import type { PluginConfigDescriptor } from '../kibana_api/server';

/**
 * The plugin's kibana.yml keys (`mitra.*`). Kibana validates them against this
 * schema before the plugin is constructed and refuses to start with
 * `[config validation of [mitra].prefix]: …` on a bad value; `mitra.enabled:
 * false` makes Kibana skip the plugin (the key must be declared to be allowed).
 */
export const configSchema = schema.object({
  enabled: schema.boolean({ defaultValue: true }),
  /** Which indices the routes and the rule type read: `<prefix>current`, `<prefix>history-*`, ... */
  prefix: schema.string({ defaultValue: DEFAULT_PREFIX, validate: prefixProblem }),
});

export type MitraConfig = TypeOf<typeof configSchema>;

export const config: PluginConfigDescriptor<MitraConfig> = { schema: configSchema };
