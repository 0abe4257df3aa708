import { schema, type TypeOf } from '@kbn/config-schema';
import { DEFAULT_PREFIX, DEFAULT_RETENTION_DAYS, parseRetention, prefixProblem } from '@mitra/core';
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
  /** How long daily history is kept where the engine has no ILM/ISM policy (the prune task): `90d`, or `off`. */
  retention: schema.string({ defaultValue: `${DEFAULT_RETENTION_DAYS}d`, validate: retentionProblem }),
});

function retentionProblem(value: string): string | undefined {
  try {
    parseRetention(value, 'mitra.retention');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export type MitraConfig = TypeOf<typeof configSchema>;

export const config: PluginConfigDescriptor<MitraConfig> = { schema: configSchema };
