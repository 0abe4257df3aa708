import { NotFoundError } from '../../errors';
import { fileDrift, findHosts, fleetOverview, getSnapshot, searchSnapshots, settingValues, type HostQuery } from '../../fleet';
import { currentStateId } from '../../ids';
import { optional, pageOf, paging, required } from '../input';
import { defineRoute } from '../types';

/** Fleet questions over the current state (core/src/fleet). */
export const fleetRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/overview',
    summary: 'the fleet at a glance: host count, hosts per kernel major.minor and per OS',
    validate: () => ({}),
    handler: (_input, { client, prefix }) => fleetOverview(client, prefix),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/hosts',
    summary: 'hosts by kernel, os, package (missing_package, package + version_range), file size (file + larger_than/smaller_than), stale',
    validate: ({ query }) => {
      const q: HostQuery = {};
      const names = {
        kernel: 'kernel',
        os: 'os',
        missing_package: 'missingPackage',
        package: 'package',
        version_range: 'versionRange',
        file: 'file',
        larger_than: 'largerThan',
        smaller_than: 'smallerThan',
        stale: 'stale',
      } as const;
      for (const [param, key] of Object.entries(names)) {
        const v = optional(query, param);
        if (v !== undefined) q[key] = v;
      }
      return { q, ...paging(query, 1000) };
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
    summary: 'distribution of one setting across the fleet: key=vm.swappiness',
    validate: ({ query }) => ({ key: required(query, 'key', 'vm.swappiness') }),
    handler: (input, { client, prefix }) => settingValues(client, prefix, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/drift',
    summary: 'hosts whose copy of path differs from the majority or from golden',
    validate: ({ query }) => ({ path: required(query, 'path', '/etc/resolv.conf'), golden: optional(query, 'golden') }),
    handler: (input, { client, prefix }) => fileDrift(client, prefix, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/search',
    summary: 'Lucene search (query), over the current state or the state at a past time (at)',
    validate: ({ query }) => ({
      q: required(query, 'query', 'filename:"/etc/fstab" AND content:ext4'),
      at: optional(query, 'at'),
      ...paging(query),
    }),
    // The API's pages are 1-based like every other route; searchSnapshots counts from 0.
    handler: ({ q, at, page, size }, { client, prefix }) => searchSnapshots(client, prefix, { query: q, at, page: page - 1, size }),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/get',
    summary: "one host's current snapshot of one path",
    validate: ({ query }) => ({ host: required(query, 'host', 'web-01'), path: required(query, 'path', '/etc/hosts') }),
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
    validate: ({ query }) => ({ host: required(query, 'host', 'web-01'), path: required(query, 'path', '/etc/hosts') }),
    handler: async ({ host, path }) => ({ host, path, id: currentStateId(host, path) }),
  }),
];
