import { checkParams, queryKind, QUERY_KINDS } from '@mitra/core';
import { PLUGIN_ID, RULE_TYPE_ID } from '../common';
import type { RuleType } from './kibana-types';

/** A fleet query (a saved-search kind and its parameters) and how many matches are tolerated. */
export interface FleetQueryParams {
  kind: string;
  params: Record<string, unknown>;
  /** Fire when more than this many things match (default 0: any match fires). */
  threshold: number;
}

export interface FleetQueryState extends Record<string, unknown> {
  /** Hosts that matched at the last run, so a recovered host can be told from a new one. */
  hosts: string[];
  lastChecked?: string;
}

export const MATCHED_GROUP = 'matched';

/**
 * Validates rule params the way Kibana calls it (`validate.params.validate`):
 * returns the normalised params or throws an Error whose message names the
 * bad field — Kibana shows that message when a rule is created or edited.
 */
export function validateFleetQueryParams(object: unknown): FleetQueryParams {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    throw new Error('rule params must be an object {kind, params, threshold?}');
  }
  const o = object as Record<string, unknown>;
  if (typeof o.kind !== 'string' || !o.kind) throw new Error(`params.kind is required: one of ${Object.keys(QUERY_KINDS).join(', ')}`);
  const params = checkParams(o.kind, o.params ?? {});
  const threshold = o.threshold ?? 0;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 0) {
    throw new Error(`params.threshold "${String(threshold)}" must be a whole number of matches (0 fires on any match)`);
  }
  return { kind: o.kind, params, threshold };
}

/**
 * `mitra.fleet-query`: runs a fleet query with the rule owner's privileges and
 * raises one alert per matching host (alert id = host name), so Kibana tracks
 * each host's alert, its recovery and its actions separately.
 */
export function fleetQueryRuleType(prefix: string): RuleType<FleetQueryParams, FleetQueryState> {
  return {
    id: RULE_TYPE_ID,
    name: 'Mitra fleet query',
    actionGroups: [{ id: MATCHED_GROUP, name: 'Host matched' }],
    defaultActionGroupId: MATCHED_GROUP,
    validate: { params: { validate: validateFleetQueryParams } },
    actionVariables: {
      context: [
        { name: 'host', description: 'The matching host' },
        { name: 'count', description: 'How many things the query matched across the fleet' },
        { name: 'kind', description: 'The query kind (hosts, lucene, values, drift)' },
      ],
    },
    producer: PLUGIN_ID,
    category: 'management',
    minimumLicenseRequired: 'basic',
    isExportable: true,
    async executor({ params, services, startedAt }) {
      const client = services.scopedClusterClient.asCurrentUser;
      const kind = queryKind(params.kind);
      const result = await kind.run(client, prefix, params.params);
      const { count, hosts } = kind.matches(result);
      const firing = count > params.threshold ? hosts : [];
      for (const host of firing) {
        services.alertFactory.create(host).scheduleActions(MATCHED_GROUP, { host, count, kind: params.kind });
      }
      return { state: { hosts: firing, lastChecked: startedAt.toISOString() } };
    },
  };
}
