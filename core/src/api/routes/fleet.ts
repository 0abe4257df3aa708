import { NotFoundError } from '../../errors';
import { fileDrift, findHosts, fleetOverview, getSnapshot, searchSnapshots, valueHosts, type HostQuery } from '../../fleet';
import { currentStateId } from '../../ids';
import { duration, kernelVersion, size, text, time } from '../../shapes/fields';
import { pageOf, paging, pagingFields, queryShape, withinWindow } from '../input';
import { defineRoute } from '../types';

/** Host names and paths: bounded so a typo of 40 KB is a 400, not a query nobody can answer. */
export const hostField = () => text('web-01', 1024);
export const pathField = () => text('/etc/hosts', 4096);

/** The conditions findHosts takes, as the API names them (the CLI spells them --larger-than). */
export const HOST_CONDITIONS = {
  kernel: kernelVersion().optional(),
  os: text('ubuntu:20.04', 256).optional(),
  missing_package: text('zsh', 256).optional(),
  package: text('openssl', 256).optional(),
  version_range: text('>=1.1,<3', 256).optional(),
  file: pathField().optional(),
  larger_than: size('4k').optional(),
  smaller_than: size('1M').optional(),
  stale: duration('2h').optional(),
};

/** GET /api/mitra/hosts: every condition findHosts takes, and the page. */
export const HOSTS_QUERY = queryShape({ ...HOST_CONDITIONS, ...pagingFields(1000) });

export const VALUES_QUERY = queryShape({
  key: text('vm.swappiness', 1024),
  value: text('60', 1024).optional(),
  ...pagingFields(100),
}).superRefine((q, ctx) => withinWindow(q, ctx, 100));
export const DRIFT_QUERY = queryShape({ path: text('/etc/resolv.conf', 4096), golden: hostField().optional() });
export const SEARCH_QUERY = queryShape({
  query: text('filename:"/etc/fstab" AND content:ext4', 32_768),
  at: time().optional(),
  ...pagingFields(100),
}).superRefine((q, ctx) => withinWindow(q, ctx, 100));
export const HOST_PATH_QUERY = queryShape({ host: hostField(), path: pathField() });

/** Fleet questions over the current state (core/src/fleet). */
export const fleetRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/overview',
    summary: 'the fleet at a glance: host count, hosts per kernel major.minor and per OS',
    input: () => ({}),
    handler: (_input, { client, prefix }) => fleetOverview(client, prefix),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/hosts',
    summary: 'hosts by kernel, os, package (missing_package, package + version_range), file size (file + larger_than/smaller_than), stale',
    query: HOSTS_QUERY,
    input: ({ query: v }) => {
      const q: HostQuery = {
        kernel: v.kernel,
        os: v.os,
        missingPackage: v.missing_package,
        package: v.package,
        versionRange: v.version_range,
        file: v.file,
        largerThan: v.larger_than,
        smallerThan: v.smaller_than,
        stale: v.stale,
      };
      return { q, ...paging(v, 1000) };
    },
    handler: async ({ q, page, size }, { client, prefix }) => {
      const { hosts, ...rest } = await findHosts(client, prefix, q);
      const p = pageOf(hosts, page, size);
      // The API pages by number; the fleet query's own cursor (next) is not passed on.
      return { ...rest, next: undefined, total: p.total, page, size, hosts: p.rows };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/values',
    summary:
      'distribution of one setting across the fleet (key=vm.swappiness), and a page of the hosts with one value (value=60, default the most common)',
    query: VALUES_QUERY,
    input: ({ query }) => query,
    handler: async ({ key, value, ...q }, { client, prefix }) => {
      const { page, size } = paging(q);
      // The API pages by number; the library's own cursor (next) is not passed on.
      const res = await valueHosts(client, prefix, { key, value, size, from: (page - 1) * size });
      return { ...res, next: undefined, page };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/drift',
    summary: 'hosts whose copy of path differs from the majority or from golden',
    query: DRIFT_QUERY,
    input: ({ query }) => query,
    handler: (input, { client, prefix }) => fileDrift(client, prefix, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/search',
    summary: 'Lucene search (query), over the current state or the state at a past time (at)',
    query: SEARCH_QUERY,
    input: ({ query }) => ({ q: query.query, at: query.at, ...paging(query) }),
    // The API's pages are 1-based like every other route; searchSnapshots counts from 0.
    handler: ({ q, at, page, size }, { client, prefix }) => searchSnapshots(client, prefix, { query: q, at, page: page - 1, size }),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/get',
    summary: "one host's current snapshot of one path",
    query: HOST_PATH_QUERY,
    input: ({ query }) => query,
    handler: async (input, { client, prefix }) => {
      const res = await getSnapshot(client, prefix, input);
      if (!res.doc) throw new NotFoundError(`host ${input.host} has no snapshot of ${input.path}`);
      return res;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/id',
    summary: 'the current-state document id: sha256(host + "_" + path)',
    query: HOST_PATH_QUERY,
    input: ({ query }) => query,
    handler: async ({ host, path }) => ({ host, path, id: currentStateId(host, path) }),
  }),
];
