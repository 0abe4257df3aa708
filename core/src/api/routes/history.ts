import { UsageError } from '../../errors';
import { diffHosts, diffVersions, parseVersionRef } from '../../history/compare';
import { DEFAULT_MAX_POINTS, series } from '../../history/series';
import { parseInstant } from '../../history/time';
import { contentAt, listVersions } from '../../history/versions';
import { integer, optional, optionalTime, paging, required } from '../input';
import { defineRoute } from '../types';

const fileParams = (query: Record<string, string | string[] | undefined>) => ({
  host: required(query, 'host', 'web-01'),
  path: required(query, 'path', '/etc/hosts'),
});

/** Versions, content at a time, diffs and /proc series (core/src/history). */
export const historyRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/history',
    summary: 'versions of path on host, newest first (from, to, page, size)',
    validate: ({ query }) => ({ ...fileParams(query), from: optionalTime(query, 'from'), to: optionalTime(query, 'to'), ...paging(query) }),
    handler: (input, ctx) => listVersions(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/content',
    summary: 'content of path on host at time at (latest version at or before it)',
    validate: ({ query }) => ({ ...fileParams(query), at: parseInstant(required(query, 'at', '2026-11-27T03:00:00Z'), 'parameter at') }),
    handler: (input, ctx) => contentAt(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/diff',
    summary: 'unified diff of path on host between from and to (times or version ids)',
    validate: ({ query }) => {
      const from = parseVersionRef(required(query, 'from', '2026-11-20T00:00:00Z'), 'parameter from');
      const to = parseVersionRef(optional(query, 'to') ?? 'now', 'parameter to');
      const byTime = 'at' in from || 'at' in to;
      return {
        host: byTime ? required(query, 'host', 'web-01') : optional(query, 'host'),
        path: byTime ? required(query, 'path', '/etc/hosts') : optional(query, 'path'),
        from,
        to,
      };
    },
    handler: (input, ctx) => diffVersions(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/diff/hosts',
    summary: "unified diff of two hosts' current copies of path (a, b)",
    validate: ({ query }) => ({
      path: required(query, 'path', '/etc/hosts'),
      hostA: required(query, 'a', 'web-01'),
      hostB: required(query, 'b', 'web-02'),
    }),
    handler: (input, ctx) => diffHosts(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/series',
    summary: 'a parsed /proc number over time for host: field=mitra.meminfo.Cached (from, to, max_points)',
    validate: ({ query }) => {
      const input = {
        host: required(query, 'host', 'web-01'),
        field: required(query, 'field', 'mitra.meminfo.Cached'),
        from: optionalTime(query, 'from'),
        to: optionalTime(query, 'to'),
        maxPoints: integer(query, 'max_points', { min: 1, max: 10_000, fallback: DEFAULT_MAX_POINTS }),
      };
      if (input.from && input.to && input.from > input.to)
        throw new UsageError(`parameter from (${input.from}) is after parameter to (${input.to})`);
      return input;
    },
    handler: (input, ctx) => series(ctx, input),
  }),
];
