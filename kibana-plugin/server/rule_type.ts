import { checkParams, queryKind, QUERY_KINDS } from '@mitra/core';
import { PLUGIN_ID, RULE_TYPE_ID } from '../common';
import type { RuleType } from '../kibana_api/server';

/** A fleet query (a saved-search kind and its parameters) and how many matches are tolerated. */
export type FleetQueryParams = {
  kind: string;
  params: Record<string, unknown>;
  /** Fire when more than this many things match (default 0: any match fires). */
  threshold: number;
};

export type FleetQueryState = {
  /** Hosts alerted at the last run, so a recovered host can be told from a new one. */
  hosts: string[];
  /** How many hosts matched (more than `hosts` when the framework's alert limit cut the list). */
  matched: number;
  limitReached: boolean;
  lastChecked: string;
};

/** What each alert's actions can use: `{{context.host}}`, `{{context.count}}`, `{{context.kind}}`. */
export type MatchContext = { host: string; count: number; kind: string };

export const MATCHED_GROUP = 'matched';

/** Kibana's generics, in Kibana's order: Params, ExtractedParams, State, InstanceState, InstanceContext, ActionGroupIds. */
export type FleetQueryRuleType = RuleType<FleetQueryParams, never, FleetQueryState, never, MatchContext, typeof MATCHED_GROUP>;

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
 * each host's alert, its recovery and its actions separately. It raises at
 * most the framework's alert limit (`alertFactory.create` throws past it) and
 * reports whether the limit cut the list, as Kibana asks of rule types.
 */
export function fleetQueryRuleType(prefix: string): FleetQueryRuleType {
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
    solution: 'stack',
    minimumLicenseRequired: 'basic',
    isExportable: true,
    async executor({ params, services, startedAt, logger }) {
      const kind = queryKind(params.kind);
      const result = await kind.run(services.scopedClusterClient.asCurrentUser, prefix, params.params);
      const { count, hosts } = kind.matches(result);
      const firing = count > params.threshold ? hosts : [];
      const { alertFactory } = services;
      const limit = alertFactory.alertLimit.getValue();
      const alerted = firing.slice(0, limit);
      for (const host of alerted) alertFactory.create(host).scheduleActions(MATCHED_GROUP, { host, count, kind: params.kind });
      const limitReached = firing.length > limit;
      alertFactory.alertLimit.setLimitReached(limitReached);
      if (limitReached) {
        logger.warn(
          `${firing.length} hosts matched; alerts raised for the first ${limit} (the alert limit, alerting.rules.run.alerts.max in kibana.yml)`,
        );
      }
      return { state: { hosts: alerted, matched: firing.length, limitReached, lastChecked: startedAt.toISOString() } };
    },
  };
}
