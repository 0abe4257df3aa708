import { incidentReport, parseFraction } from '../../incident/incident';
import { fleetIncident } from '../../incident/fleet';
import { DEFAULT_ORDER } from '../../incident/fragmentation';
import { DEFAULT_THRESHOLDS, type PatternThresholds } from '../../incident/verdict';
import { parseInstant } from '../../history/time';
import { fraction, int, time } from '../../shapes/fields';
import { queryShape } from '../input';
import { defineRoute } from '../types';
import { hostField } from './fleet';
import { ordered } from './history';

export const INCIDENT_WINDOW = { from: time('2016-09-10T10:53:00Z'), to: time('2016-09-10T10:54:00Z') };
export const INCIDENT_PATTERN = {
  cache_drop: fraction(String(DEFAULT_THRESHOLDS.cacheDrop)).optional(),
  anon_bound: fraction(String(DEFAULT_THRESHOLDS.anonBound)).optional(),
};

export const INCIDENT_QUERY = queryShape({
  host: hostField(),
  ...INCIDENT_WINDOW,
  order: int(0, 10, String(DEFAULT_ORDER)).optional(),
  ...INCIDENT_PATTERN,
}).superRefine((q, ctx) => ordered(q, ctx));

export const FLEET_INCIDENT_QUERY = queryShape({ ...INCIDENT_WINDOW, ...INCIDENT_PATTERN }).superRefine((q, ctx) => ordered(q, ctx));

const window = (q: { from: string; to: string }) => ({
  from: parseInstant(q.from, 'parameter from'),
  to: parseInstant(q.to, 'parameter to'),
});

const thresholds = (q: { cache_drop?: string; anon_bound?: string }): PatternThresholds => ({
  cacheDrop: q.cache_drop === undefined ? DEFAULT_THRESHOLDS.cacheDrop : parseFraction(q.cache_drop, 'parameter cache_drop'),
  anonBound: q.anon_bound === undefined ? DEFAULT_THRESHOLDS.anonBound : parseFraction(q.anon_bound, 'parameter anon_bound'),
});

/** Incident replay (core/src/incident): one host's memory in a window, and the hosts with the same pattern. */
export const incidentRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/incident',
    summary:
      'what memory did on host between from and to: page cache vs anonymous, watermarks, fragmentation, reclaim rates, settings, verdict (order, cache_drop, anon_bound)',
    query: INCIDENT_QUERY,
    input: ({ query }) => ({ host: query.host, ...window(query), order: query.order ?? DEFAULT_ORDER, thresholds: thresholds(query) }),
    handler: (input, ctx) => incidentReport(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/incident/fleet',
    summary:
      'hosts whose page cache fell by cache_drop (default 0.5) while anonymous memory stayed within anon_bound of MemTotal (default 0.02), between from and to',
    query: FLEET_INCIDENT_QUERY,
    input: ({ query }) => ({ ...window(query), thresholds: thresholds(query) }),
    handler: (input, ctx) => fleetIncident(ctx, input),
  }),
];
