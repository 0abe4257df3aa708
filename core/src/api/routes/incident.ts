import { incidentReport, parseFraction } from '../../incident/incident';
import { fleetIncident } from '../../incident/fleet';
import { DEFAULT_ORDER } from '../../incident/fragmentation';
import { DEFAULT_THRESHOLDS, type PatternThresholds } from '../../incident/verdict';
import { parseInstant } from '../../history/time';
import { integer, optional, required } from '../input';
import { defineRoute, type ApiRequest } from '../types';

const window = (query: ApiRequest['query']) => ({
  from: parseInstant(required(query, 'from', '2016-09-10T10:53:00Z'), 'parameter from'),
  to: parseInstant(required(query, 'to', '2016-09-10T10:54:00Z'), 'parameter to'),
});

const thresholds = (query: ApiRequest['query']): PatternThresholds => {
  const drop = optional(query, 'cache_drop');
  const anon = optional(query, 'anon_bound');
  return {
    cacheDrop: drop === undefined ? DEFAULT_THRESHOLDS.cacheDrop : parseFraction(drop, 'parameter cache_drop'),
    anonBound: anon === undefined ? DEFAULT_THRESHOLDS.anonBound : parseFraction(anon, 'parameter anon_bound'),
  };
};

/** Incident replay (core/src/incident): one host's memory in a window, and the hosts with the same pattern. */
export const incidentRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/incident',
    summary:
      'what memory did on host between from and to: page cache vs anonymous, watermarks, fragmentation, reclaim rates, settings, verdict (order, cache_drop, anon_bound)',
    validate: ({ query }) => ({
      host: required(query, 'host', 'web-01'),
      ...window(query),
      order: integer(query, 'order', { min: 0, max: 10, fallback: DEFAULT_ORDER }),
      thresholds: thresholds(query),
    }),
    handler: (input, ctx) => incidentReport(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/incident/fleet',
    summary:
      'hosts whose page cache fell by cache_drop (default 0.5) while anonymous memory stayed within anon_bound of MemTotal (default 0.02), between from and to',
    validate: ({ query }) => ({ ...window(query), thresholds: thresholds(query) }),
    handler: (input, ctx) => fleetIncident(ctx, input),
  }),
];
