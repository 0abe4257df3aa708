import { z } from 'zod';
import { diffHosts, diffVersions } from '../../history/compare';
import { DEFAULT_MAX_POINTS, series } from '../../history/series';
import { contentAt, listVersions } from '../../history/versions';
import { int, text, time, versionRef } from '../../shapes/fields';
import { PAGING_FIELDS } from '../../questions/paging';
import { queryShape } from '../input';
import { defineRoute } from '../types';
import { hostField, pathField } from './fleet';

/** `from` must not be after `to`: an empty window is a typo, not an empty answer. */
export function ordered(q: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (q.from && q.to && q.from > q.to)
    ctx.addIssue({ code: 'custom', path: ['from'], message: `(${q.from}) is after the end time ${q.to}: give the earlier time as from` });
}

export const HISTORY_QUERY = queryShape({
  host: hostField(),
  path: pathField(),
  from: time('2026-11-20T00:00:00Z').optional(),
  to: time('now').optional(),
  // Pages as every list does: size versions from cursor (the previous answer's next).
  ...PAGING_FIELDS,
}).superRefine((q, ctx) => ordered(q, ctx));

export const CONTENT_QUERY = queryShape({ host: hostField(), path: pathField(), at: time() });

export const DIFF_QUERY = queryShape({
  host: hostField().optional(),
  path: pathField().optional(),
  from: versionRef('2026-11-20T00:00:00Z'),
  to: versionRef('now').optional(),
}).superRefine((q, ctx) => {
  const byTime = 'at' in q.from || (q.to !== undefined && 'at' in q.to);
  for (const name of ['host', 'path'] as const)
    if (byTime && q[name] === undefined)
      ctx.addIssue({ code: 'custom', path: [name], message: 'is required when from or to is a time, e.g. host=web-01&path=/etc/hosts' });
});

export const DIFF_HOSTS_QUERY = queryShape({ path: pathField(), a: hostField(), b: text('web-02', 1024) });

export const SERIES_QUERY = queryShape({
  host: hostField(),
  field: text('mitra.meminfo.Cached', 256),
  from: time('2026-11-20T00:00:00Z').optional(),
  to: time('now').optional(),
  max_points: int(1, 10_000, String(DEFAULT_MAX_POINTS)).optional(),
}).superRefine((q, ctx) => ordered(q, ctx));

/** Versions, content at a time, diffs and /proc series (core/src/history). */
export const historyRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/history',
    summary: 'versions of path on host, newest first (from, to, size, cursor)',
    query: HISTORY_QUERY,
    input: ({ query }) => query,
    handler: (input, ctx) => listVersions(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/content',
    summary: 'content of path on host at time at (latest version at or before it)',
    query: CONTENT_QUERY,
    input: ({ query }) => query,
    handler: (input, ctx) => contentAt(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/diff',
    summary: 'unified diff of path on host between from and to (times or version ids)',
    query: DIFF_QUERY,
    input: ({ query }) => ({ ...query, to: query.to ?? { at: new Date().toISOString() } }),
    handler: (input, ctx) => diffVersions(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/diff/hosts',
    summary: "unified diff of two hosts' current copies of path (a, b)",
    query: DIFF_HOSTS_QUERY,
    input: ({ query }) => ({ path: query.path, hostA: query.a, hostB: query.b }),
    handler: (input, ctx) => diffHosts(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/series',
    summary: 'a parsed /proc number over time for host: field=mitra.meminfo.Cached (from, to, max_points)',
    query: SERIES_QUERY,
    input: ({ query }) => ({ ...query, maxPoints: query.max_points ?? DEFAULT_MAX_POINTS }),
    handler: (input, ctx) => series(ctx, input),
  }),
];
